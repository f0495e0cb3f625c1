-- The rest of a kiosk's heartbeat (issue 4 item 6): free disk and dead letters, beside the figures of 0002.
ALTER TABLE kiosks ADD COLUMN free_disk_bytes INTEGER;
ALTER TABLE kiosks ADD COLUMN dead_letters INTEGER;
