-- The kiosk register and the intake of signed requests (issue 4 items 2–3; DESIGN §6; docs/sync-protocol.md).
-- Conventions as in 0001: instants are ISO-8601 UTC text, dates 'YYYY-MM-DD' (Astana), clock times 'HH:MM' (Astana).

-- Every kiosk Central knows. Secrets are stored only as SHA-256 hashes (lower-case hex): the credential is 256 random
-- bits and the enrollment code over 100, so a plain hash is enough (no password stretching needed).
CREATE TABLE kiosks (
    kiosk_id               TEXT PRIMARY KEY,
    name                   TEXT NOT NULL,
    credential_hash        TEXT,              -- null until the kiosk enrolls (or is provisioned from configuration)
    enrollment_code_hash   TEXT,              -- the pending one-time code; null once used
    enrollment_expires_at  TEXT,
    enrolled_at            TEXT,
    revoked_at             TEXT,              -- set by an operator: every sync call of the kiosk is refused from then on
    created_at             TEXT NOT NULL,
    -- Heartbeat figures (issue 4 item 6), written by the heartbeat endpoint.
    last_heartbeat_at      TEXT,
    outbox_depth           INTEGER,
    oldest_pending_seconds INTEGER,
    version                TEXT,
    clock_skew_seconds     REAL               -- the kiosk's clock minus Central's, as last measured; null: not measured
) WITHOUT ROWID;

-- Every registered request. request_id is the envelope's id, the document's requestId and the idempotency key: a
-- second push of it finds this row and gets the same answer. document and signature are the exact bytes received.
CREATE TABLE requests (
    request_id          TEXT PRIMARY KEY CHECK (length(request_id) = 36),
    kiosk_id            TEXT    NOT NULL REFERENCES kiosks (kiosk_id),
    kind                TEXT    NOT NULL CHECK (kind IN ('home-call', 'appointment', 'attachment')),
    iin                 TEXT    NOT NULL CHECK (length(iin) = 12),
    document            BLOB    NOT NULL,
    document_sha256     TEXT    NOT NULL,
    signature           BLOB    NOT NULL,
    signed_at           TEXT,              -- the CMS signing-time attribute, as the signer claims it
    judged_at           TEXT,              -- the instant the rules were applied as of (trusted signing time, or receipt)
    received_at         TEXT    NOT NULL,
    registration_number TEXT    NOT NULL UNIQUE,
    status              TEXT    NOT NULL CHECK (status IN ('registered', 'accepted', 'refused')),
    decided_at          TEXT,
    reason              TEXT,              -- a RefusalReasons code when refused
    visit_date          TEXT,              -- accepted home call: the day and window of the doctor's visit
    visit_from          TEXT,
    visit_to            TEXT,
    clinic_id           INTEGER REFERENCES clinics (id),
    decision_seq        INTEGER UNIQUE,    -- order of decisions: the cursor of GET /api/sync/decisions
    CHECK ((status = 'registered') = (decision_seq IS NULL))
);
CREATE INDEX requests_decisions_by_kiosk ON requests (kiosk_id, decision_seq) WHERE decision_seq IS NOT NULL;
CREATE INDEX requests_home_calls_by_clinic ON requests (clinic_id, visit_date) WHERE status = 'accepted';

-- Daily registration-number counters, per kind prefix and Astana date.
CREATE TABLE registration_counters (
    prefix TEXT    NOT NULL,
    day    TEXT    NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (prefix, day)
) WITHOUT ROWID;

-- Permanent rejections, per envelope id: a replay gets the same rejection, never a second look.
CREATE TABLE rejected_envelopes (
    request_id  TEXT PRIMARY KEY CHECK (length(request_id) = 36),
    kiosk_id    TEXT NOT NULL REFERENCES kiosks (kiosk_id),
    reason      TEXT NOT NULL,
    problems    TEXT NOT NULL,             -- every problem code, space-separated (reason is the first)
    rejected_at TEXT NOT NULL
) WITHOUT ROWID;
