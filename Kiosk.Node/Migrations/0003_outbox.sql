-- The sync outbox (issue 4, DESIGN §3.1 step 4, §6): one row per signed request that must reach Central, written in
-- the same transaction as its signed_requests row, so a request the citizen was told is accepted is always queued.
-- The sync worker moves a row from 'queued' to 'sent' only when Central answered for it (registered or duplicate, with
-- the registration number), or to 'dead' when Central rejected it for good (last_error says why); nothing is deleted
-- here. No personal data: the request id, times, counters and Central's answer only.
CREATE TABLE outbox (
    request_id          TEXT NOT NULL PRIMARY KEY REFERENCES signed_requests (request_id),
    state               TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'dead')),
    attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at     TEXT NOT NULL,          -- UTC ISO 8601: not pushed before this (backoff)
    last_error          TEXT,                   -- the last failure or Central's rejection reason code
    created_at          TEXT NOT NULL,          -- UTC ISO 8601: when the row was queued
    sent_at             TEXT,                   -- UTC ISO 8601: when Central acknowledged it
    registration_number TEXT,                   -- Central's registration number, once registered
    answer              TEXT,                   -- Central's answer for the item (registered, duplicate, rejected: JSON)
    CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);
-- The worker pushes the due rows, oldest first.
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, created_at);
