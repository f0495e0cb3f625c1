-- Reference pull (issue 4 item 4; docs/sync-protocol.md "Reference data"): a clinic's phone, for the kiosk to show
-- (the regulation's "contact the clinic"). Null until known. Changing it, like any clinic column, its districts or
-- its hours, bumps the clinic's version so kiosks pull it again.
ALTER TABLE clinics ADD COLUMN phone TEXT;

-- The pull selects each table by version; slots already have slots_by_version.
CREATE INDEX districts_by_version ON districts (version);
CREATE INDEX clinics_by_version ON clinics (version);
CREATE INDEX doctors_by_version ON doctors (version);
