-- Issue 5: cancelled bookings, the reason of each attachment, and the alternatives a refused appointment offers.
-- Conventions as in 0001: instants are ISO-8601 UTC text, dates 'YYYY-MM-DD' (Astana).
--
-- bookings (0001) holds ACTIVE bookings only, so its UNIQUE (slot_id) is exactly "one active booking per slot",
-- enforced by the database. A cancellation moves the row into cancelled_bookings and deletes it from bookings in one
-- transaction, which frees the slot. No table is rebuilt: SQLite cannot drop 0001's inline UNIQUE without the
-- twelve-step rebuild (new table, copy, drop, rename, which breaks on views and triggers that name the table and
-- cannot switch foreign keys off inside the migration's transaction), and the readers that already ask
-- "NOT EXISTS (SELECT 1 FROM bookings …)" for a free slot stay right unchanged.
CREATE TABLE cancelled_bookings (
    id                INTEGER PRIMARY KEY,
    booking_id        INTEGER NOT NULL,                 -- the id it had in bookings: not unique, SQLite may give a
                                                        -- deleted row's id to a later booking
    slot_id           INTEGER NOT NULL REFERENCES slots (id),
    iin               TEXT    NOT NULL REFERENCES persons (iin),
    request_id        TEXT    NOT NULL UNIQUE,          -- the appointment request that made the booking
    created_at        TEXT    NOT NULL,
    cancelled_at      TEXT    NOT NULL,
    cancel_request_id TEXT    NOT NULL UNIQUE           -- the signed cancellation that ended it
);
CREATE INDEX cancelled_bookings_by_slot ON cancelled_bookings (slot_id);

-- A cancellation is a request of kind 'appointment' (its document's details carry "action":"cancel"), so requests'
-- kind CHECK of 0002 stands. A refused appointment keeps the free slots it offered (a JSON array, see
-- docs/appointments-and-attachment.md), which the kiosk pulls with the decision.
ALTER TABLE requests ADD COLUMN alternatives TEXT;

-- Why each attachment was made, so voluntary changes can be counted per calendar year from the history; and the
-- request that made it. Rows from before (the registry's own) have neither.
ALTER TABLE attachments ADD COLUMN reason TEXT
    CHECK (reason IS NULL OR reason IN ('voluntary', 'change-of-residence', 'first-attachment'));
ALTER TABLE attachments ADD COLUMN request_id TEXT;
CREATE INDEX attachments_voluntary_by_person ON attachments (iin, attached_on) WHERE reason = 'voluntary';
