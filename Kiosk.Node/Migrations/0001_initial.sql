-- The kiosk node's own settings: small facts about this node (for example its kiosk id once it is enrolled at
-- Central), one row per key. The citizen-facing shell keeps no personal data on disk: its sessions live in memory
-- and end with the inactivity reset. The outbox of signed requests arrives with a later migration.
CREATE TABLE kiosk_settings (
    key        TEXT NOT NULL PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
