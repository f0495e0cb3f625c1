-- Who filed a request (issue 12 items 2–3): a citizen at a kiosk, or a registrar at the clinic's desk (regulation
-- diagram 2). The journals show the channel; a desk request also names the registrar's IIN (personal data of staff,
-- for the provider's own records: never served to kiosks other than the clinic's journal, never logged).
ALTER TABLE requests ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk' CHECK (channel IN ('kiosk', 'desk'));
ALTER TABLE requests ADD COLUMN staff_iin TEXT CHECK (staff_iin IS NULL OR length(staff_iin) = 12);
CREATE INDEX requests_by_clinic_and_kind ON requests (clinic_id, kind, received_at) WHERE clinic_id IS NOT NULL;
