-- Slips (issue 6 item 3; docs/slips.md): the signed token of every slip this kiosk printed or can print, so a
-- reprint carries the same token. A receipt is signed here with the kiosk's device key when the request is accepted;
-- a result or refusal comes signed by the provider with the decision pulled from Central. A token holds the masked IIN
-- and initials only (no full IIN, address, phone or reason for a home call).
CREATE TABLE slips (
    request_id TEXT NOT NULL CHECK (length(request_id) = 36 AND request_id = lower(request_id)),
    kind       TEXT NOT NULL CHECK (kind IN ('receipt', 'result', 'refusal')),
    token      TEXT NOT NULL,
    issued_at  TEXT NOT NULL,           -- UTC ISO 8601
    PRIMARY KEY (request_id, kind)
) WITHOUT ROWID;
