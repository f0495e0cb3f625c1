-- Feedback from the kiosks (issue 12 items 5–6; docs/survey-and-step-times.md): quality-survey answers (regulation
-- appendix 3) and step times (tables 1–2), pushed by each kiosk's sync worker to POST /api/sync/feedback.
--
-- id is the kiosk's random item id, the idempotency key: an item pushed twice is stored once (the second push is told
-- "duplicate"). Both tables are WITHOUT ROWID, so rows lie in id order, not in the order they arrived.

-- A survey answer: only the service, the clinic, the Astana day and the answers. On purpose there is no kiosk id, no
-- time of receipt and nothing of a request or a person, although the push that brought it was authenticated by a
-- kiosk: Central cannot line an answer up with the requests of that kiosk or that hour. Each question is counted on its
-- own: a kiosk sends one item per tap, so an item usually holds one of the two.
CREATE TABLE survey_answers (
    id          TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36 AND id = lower(id)),
    service     TEXT    NOT NULL CHECK (service IN ('home-call', 'appointment', 'attachment')),
    clinic_id   INTEGER CHECK (clinic_id IS NULL OR clinic_id >= 1),   -- NULL: the kiosk could not tell which clinic
    day         TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    q1          TEXT    CHECK (q1 IN ('not', 'partly', 'fully')),
    q2          TEXT    CHECK (q2 IN ('not', 'partly', 'fully')),
    CHECK (q1 IS NOT NULL OR q2 IS NOT NULL)
) WITHOUT ROWID;
CREATE INDEX survey_answers_by_day ON survey_answers (day, service, clinic_id);

-- How long one step took: the kiosk it was measured at (the authenticated sender), the channel (kiosk: table 1; desk:
-- table 2), the service (NULL before one is chosen), the step, the duration and the Astana day. No personal data.
CREATE TABLE step_times (
    id          TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36 AND id = lower(id)),
    kiosk_id    TEXT    NOT NULL,
    channel     TEXT    NOT NULL CHECK (channel IN ('kiosk', 'desk')),
    service     TEXT,
    step        TEXT    NOT NULL,
    duration_ms INTEGER NOT NULL CHECK (duration_ms BETWEEN 1 AND 3600000),
    day         TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
) WITHOUT ROWID;
CREATE INDEX step_times_by_day ON step_times (day, step, kiosk_id);
