-- Operators (issue 4 item 6): when a row became a dead letter, for the staff page's list (request id, reason, time).
-- Rows already dead keep NULL (the page shows no time for them). No personal data.
ALTER TABLE outbox ADD COLUMN dead_at TEXT;  -- UTC ISO 8601: when Central's rejection moved the row to 'dead'
