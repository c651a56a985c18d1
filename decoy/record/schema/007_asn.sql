-- 7: the autonomous system behind each address, looked up at record time
-- like the country (geoip-asn): its number and the organisation as the ASN
-- database spells it. Rows recorded before have NULL (never rewritten: the
-- database of that time is not the one of today).
ALTER TABLE requests ADD COLUMN asn INTEGER;
ALTER TABLE requests ADD COLUMN as_org TEXT;
ALTER TABLE views ADD COLUMN asn INTEGER;
ALTER TABLE views ADD COLUMN as_org TEXT;
ALTER TABLE logins ADD COLUMN asn INTEGER;
ALTER TABLE logins ADD COLUMN as_org TEXT;
CREATE INDEX logins_asn ON logins(asn);
