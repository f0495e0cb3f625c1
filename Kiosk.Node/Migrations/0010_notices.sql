-- Clinic notices on the kiosk's start screen (issue 12 item 4; docs/notices.md), pulled from Central with the
-- reference data: the kiosk's copy of every notice that was neither withdrawn nor over when Central last sent the set
-- (the set is replaced as a whole, so a withdrawn or expired notice goes). The sync worker writes them
-- (ReferenceStore.Apply, NoticeRows); the start screen reads them (KioskNotices), shows only those valid now and
-- sanitises their bodies again before showing them. No personal data.
--
-- Conventions as on Central: instants are ISO-8601 UTC text; ids are Central's; a language without a version has ''.

-- A clinic's own web site (https): the only place its notices may link to, shown on the kiosk as text.
ALTER TABLE clinics ADD COLUMN website TEXT;

CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    title_kk   TEXT    NOT NULL,
    title_ru   TEXT    NOT NULL,
    title_en   TEXT    NOT NULL,
    body_kk    TEXT    NOT NULL,
    body_ru    TEXT    NOT NULL,
    body_en    TEXT    NOT NULL,
    valid_from TEXT    NOT NULL,
    valid_to   TEXT    NOT NULL,
    version    INTEGER NOT NULL
);
CREATE INDEX notices_by_window ON notices (valid_to, valid_from);

-- The clinics each notice is for. No foreign keys to clinics: a notice may name a clinic the kiosk has not pulled.
CREATE TABLE notice_clinics (
    notice_id INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
    clinic_id INTEGER NOT NULL,
    PRIMARY KEY (notice_id, clinic_id)
) WITHOUT ROWID;
CREATE INDEX notice_clinics_by_clinic ON notice_clinics (clinic_id);

-- A kiosk that pulled reference data before this script did not keep the clinics' web sites or the notices (it did not
-- know the fields): forget its reference version, so its next pull is a full one and brings them. The pull upserts
-- every row again; nothing is lost meanwhile.
DELETE FROM kiosk_settings WHERE key = 'sync.reference.version';
