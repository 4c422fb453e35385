-- The yearly record map of a long record summed over a thousand monthly counts on every view (the
-- heavy bench patient: 1,394 rows, 2.3 ms of the first screen's statement). RecordMapYear keeps the
-- same counts per year, written by the same trigger function in the same statements, so it is exact
-- whenever RecordMapCount is; `months` carries which months of the year have a count, so that the
-- map's choice of months or years (how many distinct months the visible record covers) needs no
-- monthly row either.
CREATE TABLE "RecordMapYear" (
    "patientId" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "year" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sensitivity" "Sensitivity" NOT NULL,
    "n" INTEGER NOT NULL,
    "months" INTEGER NOT NULL,

    CONSTRAINT "RecordMapYear_pkey" PRIMARY KEY ("patientId","facilityId","year","kind","sensitivity")
);

-- The period a record is counted in: its month in Japan time, or its year alone when its source gave
-- only the year (migration record_map_year_only_dates).
CREATE OR REPLACE FUNCTION record_map_period(at timestamp, year_only boolean) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_char(at + interval '9 hours', CASE WHEN year_only THEN 'YYYY' ELSE 'YYYY-MM' END) $$;

-- A RecordMapCount month's bit in RecordMapYear.months: 'YYYY-MM' is bit MM-1, the year-only 'YYYY' bit 12.
CREATE OR REPLACE FUNCTION record_map_month_bit(month text) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN length(month) = 4 THEN 4096 ELSE 1 << (substr(month, 6, 2)::int - 1) END $$;

-- The year row changes with its months, by deltas in both tables, never recounted: two writers of one
-- patient then each add their own delta under the row's lock, as they do to the monthly rows. A bit is
-- cleared when the decrement empties its month; an UPDATE's increment, which runs after, sets it again
-- when the month gets records back.
CREATE OR REPLACE FUNCTION record_map_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    WITH gone AS (
      -- occurredPrecision only on the tables that have it ('precise'), read through to_jsonb
      SELECT "patientId", "facilityId",
             record_map_period("occurredAt", CASE WHEN TG_ARGV[1] = 'precise' THEN to_jsonb(o) ->> 'occurredPrecision' = 'YEAR' ELSE false END) AS month,
             sensitivity, count(*)::int AS n
        FROM old_rows o GROUP BY 1, 2, 3, 4
    ), dec AS (
      UPDATE "RecordMapCount" c SET n = c.n - gone.n
        FROM gone
       WHERE c."patientId" = gone."patientId" AND c."facilityId" = gone."facilityId" AND c.month = gone.month
         AND c.kind = TG_ARGV[0] AND c.sensitivity = gone.sensitivity
      RETURNING c."patientId", c."facilityId", c.month, c.sensitivity, gone.n AS gone, c.n AS remaining
    )
    UPDATE "RecordMapYear" y SET n = y.n - d.gone, months = y.months & ~d.emptied
      FROM (SELECT "patientId", "facilityId", left(month, 4) AS year, sensitivity, sum(gone)::int AS gone,
                   bit_or(CASE WHEN remaining <= 0 THEN record_map_month_bit(month) ELSE 0 END) AS emptied
              FROM dec GROUP BY 1, 2, 3, 4) d
     WHERE y."patientId" = d."patientId" AND y."facilityId" = d."facilityId" AND y.year = d.year
       AND y.kind = TG_ARGV[0] AND y.sensitivity = d.sensitivity;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    -- in key order, so that two writers of one patient take the count rows' locks in the same order
    WITH added AS (
      -- occurredPrecision only on the tables that have it ('precise'), read through to_jsonb
      SELECT "patientId", "facilityId",
             record_map_period("occurredAt", CASE WHEN TG_ARGV[1] = 'precise' THEN to_jsonb(r) ->> 'occurredPrecision' = 'YEAR' ELSE false END) AS month,
             sensitivity, count(*)::int AS n
        FROM new_rows r GROUP BY 1, 2, 3, 4
    ), by_month AS (
      INSERT INTO "RecordMapCount" ("patientId", "facilityId", month, kind, sensitivity, n)
      SELECT "patientId", "facilityId", month, TG_ARGV[0], sensitivity, n FROM added ORDER BY 1, 2, 3, 5
      ON CONFLICT ("patientId", "facilityId", month, kind, sensitivity) DO UPDATE SET n = "RecordMapCount".n + EXCLUDED.n
    )
    INSERT INTO "RecordMapYear" ("patientId", "facilityId", year, kind, sensitivity, n, months)
    SELECT "patientId", "facilityId", left(month, 4), TG_ARGV[0], sensitivity, sum(n)::int, bit_or(record_map_month_bit(month))
      FROM added GROUP BY 1, 2, 3, 5 ORDER BY 1, 2, 3, 5
    ON CONFLICT ("patientId", "facilityId", year, kind, sensitivity)
      DO UPDATE SET n = "RecordMapYear".n + EXCLUDED.n, months = "RecordMapYear".months | EXCLUDED.months;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    DELETE FROM "RecordMapCount" c USING (SELECT DISTINCT "patientId" FROM old_rows) p
     WHERE c."patientId" = p."patientId" AND c.kind = TG_ARGV[0] AND c.n <= 0;
    DELETE FROM "RecordMapYear" y USING (SELECT DISTINCT "patientId" FROM old_rows) p
     WHERE y."patientId" = p."patientId" AND y.kind = TG_ARGV[0] AND y.n <= 0;
  END IF;
  RETURN NULL;
END $$;

-- the counts already kept, summed the new way
INSERT INTO "RecordMapYear" ("patientId", "facilityId", year, kind, sensitivity, n, months)
SELECT "patientId", "facilityId", left(month, 4), kind, sensitivity, sum(n)::int, bit_or(record_map_month_bit(month))
  FROM "RecordMapCount" WHERE n > 0 GROUP BY 1, 2, 3, 4, 5;
