-- CreateTable
CREATE TABLE "RecordMapCount" (
    "patientId" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sensitivity" "Sensitivity" NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "RecordMapCount_pkey" PRIMARY KEY ("patientId","facilityId","month","kind","sensitivity")
);

-- The counts are kept by the database itself, in the same transaction as every write to a record
-- table, whoever writes (the importers, the seed, a bulk COPY, an operator's fix): an application-side
-- counter would miss all but the first. Statement-level triggers with transition tables add one
-- aggregated upsert per statement, not one per row, so a bulk load stays a bulk load.
-- (Transition tables allow one event per trigger, hence three triggers per table.)
CREATE FUNCTION record_map_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    WITH gone AS (
      SELECT "patientId", "facilityId", to_char("occurredAt" + interval '9 hours', 'YYYY-MM') AS month, sensitivity, count(*)::int AS n
        FROM old_rows GROUP BY 1, 2, 3, 4
    )
    UPDATE "RecordMapCount" c SET n = c.n - gone.n
      FROM gone
     WHERE c."patientId" = gone."patientId" AND c."facilityId" = gone."facilityId" AND c.month = gone.month
       AND c.kind = TG_ARGV[0] AND c.sensitivity = gone.sensitivity;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    -- in key order, so that two writers of one patient take the count rows' locks in the same order
    INSERT INTO "RecordMapCount" ("patientId", "facilityId", month, kind, sensitivity, n)
    SELECT "patientId", "facilityId", to_char("occurredAt" + interval '9 hours', 'YYYY-MM'), TG_ARGV[0], sensitivity, count(*)::int
      FROM new_rows GROUP BY 1, 2, 3, 5 ORDER BY 1, 2, 3, 5
    ON CONFLICT ("patientId", "facilityId", month, kind, sensitivity) DO UPDATE SET n = "RecordMapCount".n + EXCLUDED.n;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    DELETE FROM "RecordMapCount" c USING (SELECT DISTINCT "patientId" FROM old_rows) p
     WHERE c."patientId" = p."patientId" AND c.kind = TG_ARGV[0] AND c.n <= 0;
  END IF;
  RETURN NULL;
END $$;

DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES ('Encounter', 'encounter'), ('Condition', 'condition'), ('Prescription', 'prescription'), ('LabResult', 'lab'),
                                 ('Checkup', 'checkup'), ('Allergy', 'allergy'), ('Procedure', 'procedure'), ('Document', 'document')) v(tbl, kind)
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_map_count(%L)', t.tbl || '_map_ins', t.tbl, t.kind);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_map_count(%L)', t.tbl || '_map_upd', t.tbl, t.kind);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION record_map_count(%L)', t.tbl || '_map_del', t.tbl, t.kind);
    -- the records already there
    EXECUTE format('INSERT INTO "RecordMapCount" ("patientId", "facilityId", month, kind, sensitivity, n)
                    SELECT "patientId", "facilityId", to_char("occurredAt" + interval ''9 hours'', ''YYYY-MM''), %L, sensitivity, count(*)::int
                      FROM %I GROUP BY 1, 2, 3, 5', t.kind, t.tbl);
  END LOOP;
END $$;
