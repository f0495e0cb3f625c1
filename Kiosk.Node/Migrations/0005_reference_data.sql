-- Reference data pulled from Central (issue 4 item 4; DESIGN §6 "pull"; docs/sync-protocol.md "Reference data"):
-- districts, clinics with the districts they serve and their weekly hours, doctors, and appointment slots with
-- whether a booking holds them, as of the reference version in kiosk_settings 'sync.reference.version' (written in the
-- same transaction as the rows of the pull's last page; kiosk_settings 'sync.reference.refreshed_at' says when).
-- The sync worker writes them (ReferenceStore.Apply); the appointment and attachment screens read them. No personal
-- data: doctors' names and rooms are public, as on the clinic's wall.
--
-- Conventions as on Central: instants are ISO-8601 UTC text; clinic clock times are 'HH:MM' Asia/Almaty; weekday is
-- 0 = Sunday … 6 = Saturday. Ids are Central's. 'version' is the reference version that last changed the row there.

CREATE TABLE districts (
    code    TEXT    NOT NULL PRIMARY KEY,
    name_ru TEXT    NOT NULL,
    name_kk TEXT    NOT NULL,
    name_en TEXT    NOT NULL,
    in_city INTEGER NOT NULL CHECK (in_city IN (0, 1)),
    version INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE clinics (
    id      INTEGER PRIMARY KEY,
    name_ru TEXT    NOT NULL,
    name_kk TEXT    NOT NULL,
    name_en TEXT    NOT NULL,
    address TEXT    NOT NULL,
    phone   TEXT,
    served  INTEGER NOT NULL DEFAULT 0,    -- people attached to the clinic, as Central last said
    version INTEGER NOT NULL
);

-- Replaced as a whole with their clinic. No foreign keys to districts: a page never arrives half-way, but Central's
-- order of tables is its own business.
CREATE TABLE clinic_districts (
    clinic_id INTEGER NOT NULL,
    district  TEXT    NOT NULL,
    PRIMARY KEY (clinic_id, district)
) WITHOUT ROWID;
CREATE INDEX clinic_districts_by_district ON clinic_districts (district);

CREATE TABLE clinic_hours (
    clinic_id INTEGER NOT NULL,
    weekday   INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens     TEXT    NOT NULL,
    closes    TEXT    NOT NULL,
    PRIMARY KEY (clinic_id, weekday)
) WITHOUT ROWID;

CREATE TABLE doctors (
    id           INTEGER PRIMARY KEY,
    clinic_id    INTEGER NOT NULL,
    surname      TEXT    NOT NULL,
    first_name   TEXT    NOT NULL,
    patronymic   TEXT,
    speciality   TEXT    NOT NULL,
    slot_minutes INTEGER NOT NULL,
    room         TEXT    NOT NULL,
    version      INTEGER NOT NULL
);
CREATE INDEX doctors_by_clinic ON doctors (clinic_id, speciality);

-- Slots that had not started when pulled; the worker deletes the ones long past.
CREATE TABLE slots (
    id        INTEGER PRIMARY KEY,
    doctor_id INTEGER NOT NULL,
    starts_at TEXT    NOT NULL,
    ends_at   TEXT    NOT NULL,
    booked    INTEGER NOT NULL CHECK (booked IN (0, 1))
);
CREATE INDEX slots_by_doctor ON slots (doctor_id, starts_at);
