-- Decisions learnt from Central (issue 4 item 4, DESIGN §6 "pull"): one row per request of this kiosk that Central has
-- decided, written by the sync worker from GET /api/sync/decisions together with the pull cursor (kiosk_settings key
-- 'sync.decisions.cursor') in one transaction, so a decision is neither lost nor stored twice when the worker dies
-- between the two. The status screen ("check my request") reads them with the outbox row and the signed request.
--
-- No foreign key to signed_requests: a decision is kept even if its signed request was purged from the kiosk
-- (retention) or never stored here. No personal data: ids, codes, the visit window and Central's texts of a reason.
CREATE TABLE decisions (
    request_id          TEXT NOT NULL PRIMARY KEY     -- lower-case UUID, as in the outbox and the document
                        CHECK (length(request_id) = 36 AND request_id = lower(request_id)),
    registration_number TEXT NOT NULL,
    kind                TEXT NOT NULL,                -- home-call | appointment | attachment
    status              TEXT NOT NULL,                -- accepted | refused (checked in code: new services may add more)
    reason              TEXT,                         -- a refusal's reason code
    messages            TEXT,                         -- a refusal's texts from Central, JSON {"kk","ru","en"}
    visit_date          TEXT,                         -- yyyy-MM-dd, Astana: an accepted home call's visit
    visit_from          TEXT,                         -- HH:mm
    visit_to            TEXT,                         -- HH:mm
    decided_at          TEXT NOT NULL,                -- UTC ISO 8601, Central's clock
    received_at         TEXT NOT NULL                 -- UTC ISO 8601, the kiosk's clock: when the worker stored it
);
