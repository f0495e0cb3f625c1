-- Keys that sign slips (issue 6 item 1; docs/slips.md): the provider's ES256 keys (their private halves are files in
-- Slips:KeyDirectory, never in the database) and each kiosk's device key (public half only; the kiosk keeps the
-- private one). GET /.well-known/jwks.json publishes them from here.
--
-- A key signs from signs_from until the next key of the same issuer takes over, and stays published for
-- Slips:KeyRelevance after that, while the slips it signed still matter. A withdrawn key, or any key of a revoked
-- kiosk, is listed as revoked instead.
CREATE TABLE slip_keys (
    kid          TEXT PRIMARY KEY,                 -- the RFC 7638 thumbprint of the public key
    issuer       TEXT NOT NULL,                    -- 'provider' or 'kiosk:<kioskId>'
    kiosk_id     TEXT REFERENCES kiosks (kiosk_id),
    public_jwk   TEXT NOT NULL,                    -- the JWK as published
    signs_from   TEXT NOT NULL,                    -- UTC ISO 8601
    withdrawn_at TEXT,                             -- UTC ISO 8601: taken out of use (compromise); published as revoked
    created_at   TEXT NOT NULL,
    CHECK ((issuer = 'provider') = (kiosk_id IS NULL))
) WITHOUT ROWID;
CREATE INDEX slip_keys_by_issuer ON slip_keys (issuer, signs_from);

-- The provider's signed slip of each decision (a result or a refusal), made the first time the kiosk pulls the
-- decision and kept, so every pull and every reprint carries the same token.
CREATE TABLE decision_slips (
    request_id TEXT PRIMARY KEY REFERENCES requests (request_id),
    kind       TEXT NOT NULL CHECK (kind IN ('result', 'refusal')),
    token      TEXT NOT NULL,
    kid        TEXT NOT NULL REFERENCES slip_keys (kid),
    issued_at  TEXT NOT NULL
) WITHOUT ROWID;
