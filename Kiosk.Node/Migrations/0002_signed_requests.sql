-- Signed requests (issue 3 item 4, DESIGN §3.1 step 4): the request document's exact bytes and the detached CMS
-- signature over them, stored together byte for byte. The sync outbox (issue 4) refers to these rows and is written in
-- the same transaction.
--
-- applicant_iin is the full IIN, on purpose: "check my request" lists a signed-in citizen's own requests by it, and
-- the document and the signer's certificate inside the signature both carry the full IIN anyway, so a hashed or
-- masked column would hide nothing. What protects it is the kiosk's disk and a retention purge once Central holds
-- the request (issue 4). Screens and slips show only Iin.Masked.
--
-- A rowid table, not WITHOUT ROWID: each row carries a few KiB of BLOBs, too large for a clustered-key layout.
CREATE TABLE signed_requests (
    request_id        TEXT NOT NULL PRIMARY KEY                   -- lower-case UUID, the idempotency key, as in the document
                      CHECK (length(request_id) = 36 AND request_id = lower(request_id)),
    kind              TEXT NOT NULL,                              -- home-call | appointment | attachment (checked in code:
                                                                  -- a new kind must not need a table rebuild)
    applicant_iin     TEXT NOT NULL CHECK (length(applicant_iin) = 12 AND applicant_iin NOT GLOB '*[^0-9]*'),
    document          BLOB NOT NULL CHECK (typeof(document) = 'blob' AND length(document) > 0),
    signature         BLOB NOT NULL CHECK (typeof(signature) = 'blob' AND length(signature) > 0),
    signer_thumbprint TEXT NOT NULL,                              -- SHA-256 of the signer's certificate, upper-case hex
    signed_at         TEXT NOT NULL,                              -- the CMS signing-time, UTC ISO 8601
    created_at        TEXT NOT NULL                               -- the document's createdAt, UTC ISO 8601
);
CREATE INDEX signed_requests_by_applicant ON signed_requests (applicant_iin, created_at);
