-- The clinic's appointment journal (issue 12 item 3; docs/journals.md) lists refused bookings beside the booked and the
-- cancelled ones. A refused booking has no row in bookings and no clinic_id (the decision names none); what it asked
-- for is only in its signed document (details.slotId). This index finds a slot's refused bookings without reading every
-- request: an index on that expression, over refused appointment requests only. The journal's query writes the same
-- expression, so SQLite uses it. Cancellations (details.action = "cancel") carry a slotId too; the query leaves them out.
CREATE INDEX requests_refused_appointments_by_slot
    ON requests (json_extract(CAST(document AS TEXT), '$.details.slotId'))
    WHERE kind = 'appointment' AND status = 'refused';
