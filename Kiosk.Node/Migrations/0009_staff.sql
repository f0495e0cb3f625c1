-- Staff who may sign in at this node (issue 12 item 1; docs/staff.md): the accounts of the kiosk's clinic and the
-- provider's operators, as Central's staff register last sent them (GET /api/sync/staff), so a registrar or operator
-- signs in when the network is down. Replaced as a whole by the sync worker. password_hash is a PasswordHasher hash
-- (null for a disabled account); the node never sees a password except while checking one.
CREATE TABLE staff_accounts (
    iin           TEXT    NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL,
    bin           TEXT    NOT NULL,
    roles         TEXT    NOT NULL,
    password_hash TEXT,
    disabled      INTEGER NOT NULL CHECK (disabled IN (0, 1))
) WITHOUT ROWID;

-- Wrong passwords in a row at this node and the lock they led to, per account (not per typed IIN: an IIN with no
-- account counts nowhere but in the per-address throttle). Kept apart from staff_accounts so a new list from Central
-- never forgives a lock.
CREATE TABLE staff_lockouts (
    iin          TEXT    NOT NULL PRIMARY KEY,
    failures     INTEGER NOT NULL CHECK (failures >= 0),
    locked_until TEXT
) WITHOUT ROWID;
