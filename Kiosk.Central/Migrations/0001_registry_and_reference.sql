-- Central's first schema: the reference data kiosks pull (districts, clinics and their hours, doctors, slots), the
-- population registry (persons, attachments) and bookings.
--
-- Conventions: dates are 'YYYY-MM-DD' text; instants are ISO-8601 UTC text ('2026-03-02T03:00:00.0000000Z', the
-- form Kiosk.Storage's Dapper handler writes, so text order is time order); clinic clock times are 'HH:MM' local
-- time in Asia/Almaty; weekday is 0 = Sunday … 6 = Saturday (as .NET DayOfWeek and JavaScript getDay()).

-- Every change to reference data gets a new version; reference rows carry the version that last changed them, so a
-- kiosk can pull "everything with version > the one I have".
CREATE TABLE reference_versions (
    version    INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    note       TEXT NOT NULL
);

CREATE TABLE districts (
    code    TEXT PRIMARY KEY,
    name_ru TEXT NOT NULL,
    name_kk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    in_city INTEGER NOT NULL CHECK (in_city IN (0, 1)),
    version INTEGER NOT NULL REFERENCES reference_versions (version)
);

CREATE TABLE clinics (
    id      INTEGER PRIMARY KEY,
    name_ru TEXT NOT NULL,
    name_kk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    address TEXT NOT NULL,
    version INTEGER NOT NULL REFERENCES reference_versions (version)
);

-- The districts whose residents a clinic accepts for attachment.
CREATE TABLE clinic_districts (
    clinic_id INTEGER NOT NULL REFERENCES clinics (id),
    district  TEXT    NOT NULL REFERENCES districts (code),
    PRIMARY KEY (clinic_id, district)
) WITHOUT ROWID;
CREATE INDEX clinic_districts_by_district ON clinic_districts (district);

-- Weekly opening hours; a day with no row is a closed day.
CREATE TABLE clinic_hours (
    clinic_id INTEGER NOT NULL REFERENCES clinics (id),
    weekday   INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens     TEXT    NOT NULL CHECK (opens GLOB '[0-2][0-9]:[0-5][0-9]'),
    closes    TEXT    NOT NULL CHECK (closes GLOB '[0-2][0-9]:[0-5][0-9]' AND closes > opens),
    PRIMARY KEY (clinic_id, weekday)
) WITHOUT ROWID;

CREATE TABLE doctors (
    id           INTEGER PRIMARY KEY,
    clinic_id    INTEGER NOT NULL REFERENCES clinics (id),
    surname      TEXT    NOT NULL,
    first_name   TEXT    NOT NULL,
    patronymic   TEXT,
    speciality   TEXT    NOT NULL CHECK (speciality IN ('district-therapist', 'paediatrician', 'general-practitioner')),
    slot_minutes INTEGER NOT NULL CHECK (slot_minutes IN (15, 20)),
    room         TEXT    NOT NULL,
    version      INTEGER NOT NULL REFERENCES reference_versions (version)
);
CREATE INDEX doctors_by_clinic ON doctors (clinic_id);

-- A doctor's schedule: one row per appointment slot. A slot is free while no booking refers to it.
CREATE TABLE slots (
    id        INTEGER PRIMARY KEY,
    doctor_id INTEGER NOT NULL REFERENCES doctors (id),
    starts_at TEXT    NOT NULL,
    ends_at   TEXT    NOT NULL CHECK (ends_at > starts_at),
    version   INTEGER NOT NULL REFERENCES reference_versions (version),
    UNIQUE (doctor_id, starts_at)
);
CREATE INDEX slots_by_version ON slots (version);

-- The population registry (ГБД ФЛ). Personal data: never served as reference data, never logged.
CREATE TABLE persons (
    iin         TEXT PRIMARY KEY CHECK (length(iin) = 12 AND iin NOT GLOB '*[^0-9]*'),
    surname     TEXT NOT NULL,
    first_name  TEXT NOT NULL,
    patronymic  TEXT,
    sex         TEXT NOT NULL CHECK (sex IN ('male', 'female')),
    birth_date  TEXT NOT NULL,
    district    TEXT NOT NULL REFERENCES districts (code),
    address     TEXT NOT NULL,
    deceased_on TEXT CHECK (deceased_on IS NULL OR deceased_on >= birth_date)
) WITHOUT ROWID;
CREATE INDEX persons_by_district ON persons (district);

-- Attachment history: a person's current attachment is the row with no detached_on; at most one per person.
CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    iin         TEXT    NOT NULL REFERENCES persons (iin),
    clinic_id   INTEGER NOT NULL REFERENCES clinics (id),
    attached_on TEXT    NOT NULL,
    detached_on TEXT CHECK (detached_on IS NULL OR detached_on >= attached_on)
);
CREATE UNIQUE INDEX attachments_one_current ON attachments (iin) WHERE detached_on IS NULL;
CREATE INDEX attachments_by_person ON attachments (iin, attached_on);
CREATE INDEX attachments_current_by_clinic ON attachments (clinic_id) WHERE detached_on IS NULL;

-- A booked slot. UNIQUE (slot_id) is what makes "two requests for one slot: exactly one wins" hold in the database.
CREATE TABLE bookings (
    id         INTEGER PRIMARY KEY,
    slot_id    INTEGER NOT NULL UNIQUE REFERENCES slots (id),
    iin        TEXT    NOT NULL REFERENCES persons (iin),
    request_id TEXT    NOT NULL UNIQUE,
    created_at TEXT    NOT NULL
);
CREATE INDEX bookings_by_person ON bookings (iin);
