-- A FHIR Bundle is kept whole as it came (IngestDocument.body, HeldDocument.body: 17 KB on average in
-- the import bench), and so is a letter's text (Document.body). PostgreSQL compresses such a value
-- with pglz by default, which cost its import about 0.2 ms of server CPU per Bundle more than lz4
-- (measured on the bench's Bundles: 1.03-1.11 -> 0.86-0.89 ms per stored Bundle, round trip included).
-- Only where the server has lz4 (PostgreSQL 14+ built with it, as Debian's is; the embedded PGlite is
-- not): values already stored keep pglz and both read back the same.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) THEN
    ALTER TABLE "IngestDocument" ALTER COLUMN body SET COMPRESSION lz4;
    ALTER TABLE "HeldDocument" ALTER COLUMN body SET COMPRESSION lz4;
    ALTER TABLE "Document" ALTER COLUMN body SET COMPRESSION lz4;
  END IF;
END $$;
