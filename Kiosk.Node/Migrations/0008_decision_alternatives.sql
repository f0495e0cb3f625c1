-- Alternatives offered with a refused appointment (issue 5; docs/appointments-and-attachment.md "Alternatives"): when
-- Central refuses a booking as slot-taken or slot-past it offers up to three free slots of the same doctor, which the
-- sync worker stores here exactly as Central sent them (a JSON array of {slotId, doctorId, clinicId, startsAt, endsAt,
-- localDate, localTime}); the status screen shows them as one-touch buttons that start a new signed request. NULL:
-- none offered. No personal data.
ALTER TABLE decisions ADD COLUMN alternatives TEXT;
