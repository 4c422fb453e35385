-- A diagnosis or allergy whose source gave only the year (発症 2018: occurredPrecision YEAR) is stored
-- at 1 January, and the record map counted it in January: a clinician read a visit that month that
-- never happened. Its count now goes to the year itself ('2018'), which the map shows as a column of
-- its own ("2018, month unknown") and which the yearly map adds to that year like any other.
-- Only Condition and Allergy have occurredPrecision: their triggers pass 'precise', and the column is
-- read through to_jsonb only for them, so the other tables' bulk loads pay nothing for it.
CREATE OR REPLACE FUNCTION record_map_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    WITH gone AS (
      SELECT "patientId", "facilityId",
             coalesce(to_char("occurredAt" + interval '9 hours', CASE WHEN TG_ARGV[1] = 'precise' THEN CASE WHEN to_jsonb(o) ->> 'occurredPrecision' = 'YEAR' THEN 'YYYY' END END),
                      to_char("occurredAt" + interval '9 hours', 'YYYY-MM')) AS month,
             sensitivity, count(*)::int AS n
        FROM old_rows o GROUP BY 1, 2, 3, 4
    )
    UPDATE "RecordMapCount" c SET n = c.n - gone.n
      FROM gone
     WHERE c."patientId" = gone."patientId" AND c."facilityId" = gone."facilityId" AND c.month = gone.month
       AND c.kind = TG_ARGV[0] AND c.sensitivity = gone.sensitivity;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    -- in key order, so that two writers of one patient take the count rows' locks in the same order
    INSERT INTO "RecordMapCount" ("patientId", "facilityId", month, kind, sensitivity, n)
    SELECT "patientId", "facilityId",
           coalesce(to_char("occurredAt" + interval '9 hours', CASE WHEN TG_ARGV[1] = 'precise' THEN CASE WHEN to_jsonb(r) ->> 'occurredPrecision' = 'YEAR' THEN 'YYYY' END END),
                    to_char("occurredAt" + interval '9 hours', 'YYYY-MM')),
           TG_ARGV[0], sensitivity, count(*)::int
      FROM new_rows r GROUP BY 1, 2, 3, 5 ORDER BY 1, 2, 3, 5
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
  FOR t IN SELECT * FROM (VALUES ('Condition', 'condition'), ('Allergy', 'allergy')) v(tbl, kind)
  LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', t.tbl || '_map_ins', t.tbl);
    EXECUTE format('DROP TRIGGER %I ON %I', t.tbl || '_map_upd', t.tbl);
    EXECUTE format('DROP TRIGGER %I ON %I', t.tbl || '_map_del', t.tbl);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_map_count(%L, ''precise'')', t.tbl || '_map_ins', t.tbl, t.kind);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_map_count(%L, ''precise'')', t.tbl || '_map_upd', t.tbl, t.kind);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION record_map_count(%L, ''precise'')', t.tbl || '_map_del', t.tbl, t.kind);
    -- the records already there, counted again the new way
    EXECUTE format('DELETE FROM "RecordMapCount" WHERE kind = %L', t.kind);
    EXECUTE format('INSERT INTO "RecordMapCount" ("patientId", "facilityId", month, kind, sensitivity, n)
                    SELECT "patientId", "facilityId", to_char("occurredAt" + interval ''9 hours'', CASE WHEN "occurredPrecision" = ''YEAR'' THEN ''YYYY'' ELSE ''YYYY-MM'' END), %L, sensitivity, count(*)::int
                      FROM %I GROUP BY 1, 2, 3, 5', t.kind, t.tbl);
  END LOOP;
END $$;
