-- Staff accounts with roles (issue 12 item 1; docs/staff.md). Central holds the provider's staff register: who may
-- sign in at a clinic's desk (registrar) or watch the fleet and write notices (operator), for which organisation
-- (BIN), and a PasswordHasher hash of their password. Kiosk nodes pull the accounts of their clinic to let staff sign
-- in when the network is down. Conventions as in 0001: instants are ISO-8601 UTC text.

-- A clinic's BIN (the legal entity a registrar's employee certificate names in OU=BIN…); null until known.
ALTER TABLE clinics ADD COLUMN bin TEXT CHECK (bin IS NULL OR (length(bin) = 12 AND bin NOT GLOB '*[^0-9]*'));
CREATE UNIQUE INDEX clinics_by_bin ON clinics (bin) WHERE bin IS NOT NULL;

-- The clinic whose lobby (and desk) a kiosk node serves: its staff may sign in there. Null: no clinic's staff.
ALTER TABLE kiosks ADD COLUMN clinic_id INTEGER REFERENCES clinics (id);

CREATE TABLE staff_accounts (
    iin           TEXT PRIMARY KEY CHECK (length(iin) = 12 AND iin NOT GLOB '*[^0-9]*'),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    bin           TEXT NOT NULL CHECK (length(bin) = 12 AND bin NOT GLOB '*[^0-9]*'),
    roles         TEXT NOT NULL CHECK (roles IN ('operator', 'registrar', 'operator registrar')),
    password_hash TEXT NOT NULL,
    disabled_at   TEXT,                        -- set by `staff disable`: no sign-in, and Central refuses what it files
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    -- Central's own sign-in (its operator pages): wrong passwords in a row and the lock they led to. Kiosk nodes keep
    -- their own count for sign-ins at the node.
    failures      INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until  TEXT
) WITHOUT ROWID;
CREATE INDEX staff_accounts_by_bin ON staff_accounts (bin);
