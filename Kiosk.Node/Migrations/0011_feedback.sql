-- Anonymous reports for Central (issue 12 items 5–6; docs/survey-and-step-times.md): quality-survey answers
-- (regulation appendix 3) and step times (tables 1–2). They travel like requests — queued here, pushed by the sync
-- worker, retried with backoff, acknowledged per item — but in an outbox of their own, because the request outbox is
-- keyed by signed requests and these must never be linked to one.
--
-- Anonymity by construction:
--  * the payload of a survey item holds only the service, the clinic, the Astana day and the answers; of a step-time
--    item only the step, the service, the duration and the day (Kiosk.Core.Feedback, docs/schemas/feedback-push-v1.schema.json);
--  * item_id is a fresh random UUID, unrelated to any request id;
--  * the rows keep no creation time (next_attempt_at of a survey item is moved by a random delay), and the table is
--    WITHOUT ROWID, so rows are stored in item_id order, not in the order they were written: nothing here lines an
--    answer up with the request or the session it followed.
CREATE TABLE feedback_outbox (
    item_id         TEXT NOT NULL PRIMARY KEY                  -- lower-case random UUID: the idempotency key at Central
                    CHECK (length(item_id) = 36 AND item_id = lower(item_id)),
    kind            TEXT NOT NULL CHECK (kind IN ('survey', 'step-time')),
    payload         TEXT NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object'),
    state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,          -- UTC ISO 8601: not pushed before this (backoff; a survey's random delay)
    last_error      TEXT,                   -- the last failure or Central's rejection reason code
    sent_at         TEXT,                   -- UTC ISO 8601: when Central acknowledged it (sent rows are purged later)
    CHECK ((state = 'sent') = (sent_at IS NOT NULL))
) WITHOUT ROWID;
-- The worker pushes the due rows, earliest due first.
CREATE INDEX feedback_outbox_due ON feedback_outbox (state, next_attempt_at);

-- Which decided requests of this kiosk were offered the survey and what became of the offer, so that a citizen is not
-- asked twice about one request. Only flags: never the answer itself, no time, and no link to feedback_outbox.
CREATE TABLE surveyed_requests (
    request_id  TEXT NOT NULL PRIMARY KEY CHECK (length(request_id) = 36 AND request_id = lower(request_id)),
    q1_answered INTEGER NOT NULL DEFAULT 0 CHECK (q1_answered IN (0, 1)),
    q2_answered INTEGER NOT NULL DEFAULT 0 CHECK (q2_answered IN (0, 1)),
    skipped     INTEGER NOT NULL DEFAULT 0 CHECK (skipped IN (0, 1))
) WITHOUT ROWID;
