-- Clinic notices (issue 12 item 4; docs/notices.md): what a clinic tells citizens on the kiosks' start screen
-- (closed days, flu jabs). Operators write them at Central; they travel to the kiosks with the reference data.
--
-- A clinic's own web site: the only place a notice may link to (https, the same host). Null until known. Changing it,
-- like any clinic column, bumps the clinic's version so kiosks pull it again.
ALTER TABLE clinics ADD COLUMN website TEXT;

-- One row per notice. Titles are plain text; bodies are HTML already sanitised (Kiosk.Core/Notices/NoticeHtml.cs) when
-- saved, and the kiosk sanitises them again before showing them. A language without a version has '' in both. The
-- window is [valid_from, valid_to), instants in UTC ISO-8601 text (text order is time order); the operator's screen
-- shows them in Astana time. A notice is never deleted: it is withdrawn (and stays for the record).
-- created_by / updated_by / withdrawn_by name who did it: an operator account, or 'operator-token' for a call with the
-- operators' shared bearer token (which names no person).
-- 'version' is the reference version of the last change (create, update, withdraw): kiosks pull by it.
CREATE TABLE notices (
    id           INTEGER PRIMARY KEY,
    title_kk     TEXT    NOT NULL DEFAULT '',
    title_ru     TEXT    NOT NULL DEFAULT '',
    title_en     TEXT    NOT NULL DEFAULT '',
    body_kk      TEXT    NOT NULL DEFAULT '',
    body_ru      TEXT    NOT NULL DEFAULT '',
    body_en      TEXT    NOT NULL DEFAULT '',
    valid_from   TEXT    NOT NULL,
    valid_to     TEXT    NOT NULL CHECK (valid_to > valid_from),
    withdrawn    INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    withdrawn_at TEXT,
    withdrawn_by TEXT,
    created_by   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    version      INTEGER NOT NULL REFERENCES reference_versions (version),
    CHECK (title_kk <> '' OR title_ru <> '' OR title_en <> ''),
    CHECK ((withdrawn = 1) = (withdrawn_at IS NOT NULL))
);
CREATE INDEX notices_by_version ON notices (version);
CREATE INDEX notices_current ON notices (valid_to) WHERE withdrawn = 0;

-- The clinics a notice is for (at least one; the service checks it). Replaced as a whole when a notice is updated.
CREATE TABLE notice_clinics (
    notice_id INTEGER NOT NULL REFERENCES notices (id),
    clinic_id INTEGER NOT NULL REFERENCES clinics (id),
    PRIMARY KEY (notice_id, clinic_id)
) WITHOUT ROWID;
CREATE INDEX notice_clinics_by_clinic ON notice_clinics (clinic_id);
