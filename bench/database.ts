/**
 * The benchmark's database: a fresh "<db>_bench" on the DATABASE_URL server (or a fresh PGlite directory),
 * migrated, seeded with the demo network, filled with patients of realistic record sizes by set-based
 * SQL, plus the heavy patient.
 */
import pg from "pg";
import { CODE_SYSTEM } from "../lib/terminology/code-systems";
import { LAB_TESTS } from "../lib/terminology/lab-tests";
import { CHECKUP_ITEMS as CHECKUP_ITEMS_SEED } from "../prisma/seed/codes";
import type { Rows } from "../prisma/seed/patients";
import { HEAVY_ID } from "./heavy";
import {
  CHECKUP_ITEMS, CHECKUPS_MAX, CONDITIONS_MAX, LABS_PER_VISIT, PRESCRIPTION_ITEMS, recordsOf, visitsOfRange, VISITS_PER_CHECKUP, VISITS_PER_CONDITION,
  VISITS_PER_DOCUMENT, VISITS_PER_PROCEDURE,
} from "./record-sizes";

/** Drops and recreates "<name>_<suffix>" next to the DATABASE_URL database (the role needs CREATEDB). */
export async function recreateBenchDatabase(baseUrl: string, suffix = "bench"): Promise<string> {
  const url = new URL(baseUrl);
  const name = `${decodeURIComponent(url.pathname.slice(1)) || "postgres"}_${suffix}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

/** UTC wall-clock text: Prisma stores DateTime as timestamp(3) without time zone, in UTC. */
export const ts = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");

/**
 * What the bench's SQL goes through: a node-postgres client on PostgreSQL, the PGlite instance itself on
 * the embedded database (both answer `query(text, values)` with `{ rows }`).
 */
export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** Filler patients per batch: about 300,000 clinical rows, so the progress bar moves and no statement holds gigabytes. */
const BATCH = 2000;
/** The many-patient mix: about this many filler patients are consented to fac-01 (doctor1's facility). */
export const MIX_TARGET = 1000;

export interface FillProgress {
  patients: number;
  rows: number;
}

/**
 * Filler patients pat-f000001 …: two facility links, a consent, and a record whose size follows
 * bench/record-sizes.ts (a log-normal number of visits, each an encounter, a prescription with items and
 * lab results; conditions, checkups with items, letters, procedures and allergies in proportion), spread
 * over up to ten years. Every MIX_TARGET-th share of them is consented to fac-01, doctor1's facility, so
 * that about MIX_TARGET patients of every size make the many-patient mix at any population. Deterministic:
 * values derive from the patient number, not random(). Set-based SQL in batches of BATCH patients, one
 * statement per table and batch, all inside the database (no rows cross the wire), on one connection or
 * several at once (`lanes`); `progress` is called after every batch.
 */
export async function insertFillers(lanes: SqlClient | readonly SqlClient[], count: number, now: Date, progress?: (p: FillProgress) => void): Promise<void> {
  const n = Math.floor(count);
  if (!Number.isInteger(n) || n < 1) return;
  const every = Math.max(1, Math.floor(n / MIX_TARGET));
  const done = { patients: 0, rows: 0 };
  let next = 1;
  // each lane (a connection of its own) takes the next batch until none is left: the batches touch
  // disjoint patients, so the lanes never wait on each other's rows
  const lane = async (c: SqlClient) => {
    while (next <= n) {
      const lo = next;
      const hi = Math.min(n, lo + BATCH - 1);
      next = hi + 1;
      // awaited first: `done.rows += await …` would read done.rows before another lane added to it
      const rows = await insertFillerBatch(c, lo, visitsOfRange(lo, hi), every, now);
      done.rows += rows;
      done.patients += hi - lo + 1;
      progress?.({ ...done });
    }
  };
  await Promise.all((Array.isArray(lanes) ? lanes : [lanes]).map(lane));
}

/**
 * Runs `fill` with the record tables' non-unique indexes dropped, then builds them again: one sorted
 * build per index is far cheaper than maintaining it row by row through millions of inserts. Only on
 * the bench's own fresh database; the definitions are read back from the catalogue, so the indexes
 * come back exactly as the migrations made them.
 */
export async function withoutSecondaryIndexes<T>(c: SqlClient, fill: () => Promise<T>): Promise<T> {
  const tables = [...CLINICAL, "PrescriptionItem", "CheckupItem"];
  const { rows } = await c.query(
    `SELECT ic.relname AS name, pg_get_indexdef(x.indexrelid) AS def FROM pg_index x
      JOIN pg_class ic ON ic.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1::text[]) AND NOT x.indisunique AND NOT x.indisprimary`,
    [tables],
  );
  for (const r of rows) await c.query(`DROP INDEX "${String(r.name).replace(/"/g, '""')}"`);
  try {
    return await fill();
  } finally {
    for (const r of rows) await c.query(String(r.def));
  }
}

/** Filler patients lo … lo + visits.length - 1; returns the clinical rows inserted (items included). */
async function insertFillerBatch(c: SqlClient, lo: number, visits: number[], every: number, now: Date): Promise<number> {
  // fa: the consenting facility (fac-01 for every `every`-th patient, else fac-02 … fac-08); fb: the next one, a link only
  await c.query(`CREATE TEMP TABLE filler AS
    SELECT n, id, fa, 'fac-0' || (1 + right(fa, 1)::int % 8) AS fb, visits, greatest(14, 3650 / greatest(visits, 1)) AS gap,
      least(${CHECKUPS_MAX}, greatest(1, (visits + ${VISITS_PER_CHECKUP - 1}) / ${VISITS_PER_CHECKUP})) AS checkups
    FROM (SELECT n, 'pat-f' || lpad(n::text, 6, '0') AS id, CASE WHEN n % $2 = 0 THEN 'fac-01' ELSE 'fac-0' || (2 + n % 7) END AS fa, visits
      FROM unnest($1::int[]) WITH ORDINALITY AS u(visits, k), LATERAL (SELECT (k + $3 - 1)::int AS n) x) f`, [visits, every, lo]);
  const at = ts(now);
  // a day `expr` days before now, at a clinic hour
  const day = (expr: string) => `($1::timestamp - (${expr}) * interval '1 day' + ((${expr}) % 7 + 1) * interval '1 hour')`;
  // the i-th visit (1 = the latest), `gap` days apart
  const visitDay = day("(i - 1) * gap + 1 + (n + i) % 7");
  const statements: [string, unknown[]][] = [
    [`INSERT INTO "Patient" (id, "familyName", "givenName", "familyNameKana", "givenNameKana", sex, "birthDate", "insurerNumber", "insuredNumber", "postalCode", address)
      SELECT id, (ARRAY['佐藤','鈴木','高橋','田中','伊藤','渡辺','山本','中村','小林','加藤','吉田','山田'])[1 + n % 12],
        CASE WHEN n % 2 = 0 THEN (ARRAY['太一','健','誠','翔','大輔'])[1 + n / 12 % 5] ELSE (ARRAY['花子','恵','陽子','美穂','彩'])[1 + n / 12 % 5] END,
        (ARRAY['サトウ','スズキ','タカハシ','タナカ','イトウ','ワタナベ','ヤマモト','ナカムラ','コバヤシ','カトウ','ヨシダ','ヤマダ'])[1 + n % 12],
        CASE WHEN n % 2 = 0 THEN (ARRAY['タイチ','ケン','マコト','ショウ','ダイスケ'])[1 + n / 12 % 5] ELSE (ARRAY['ハナコ','メグミ','ヨウコ','ミホ','アヤ'])[1 + n / 12 % 5] END,
        (CASE WHEN n % 2 = 0 THEN 'MALE' ELSE 'FEMALE' END)::"Sex", DATE '1930-01-01' + (n * 7919) % 33000,
        '06220014', n::text, '420-' || lpad((n % 10000)::text, 4, '0'), '静岡県静岡市葵区' || (n % 50 + 1) || '-' || (n % 9 + 1)
      FROM filler`, []],
    [`INSERT INTO "PatientLink" ("patientId", id, "facilityId", "localPatientId")
      SELECT id, id || '-lnk-' || right(f, 2), f, 'F' || lpad(n::text, 7, '0') FROM filler, LATERAL (VALUES (fa), (fb)) v(f)`, []],
    [`INSERT INTO "Consent" ("patientId", id, "facilityId", scope, status, method, "identityVerification", "capturedById", "capturedAt")
      SELECT id, id || '-cns-01', fa, 'FULL', 'ACTIVE', 'WRITTEN', 'MYNUMBER_CARD', 'usr-clerk' || right(fa, 1), ${day("n % 3000 + 100")} FROM filler`, [at]],
    [`INSERT INTO "Encounter" ("patientId", id, "facilityId", "occurredAt", class, department, reason)
      SELECT id, id || '-enc-' || i, CASE WHEN i % 2 = 0 THEN fa ELSE fb END, ${visitDay}, 'OUTPATIENT', '内科', '定期受診'
      FROM filler, generate_series(1, visits) i`, [at]],
    [`INSERT INTO "Condition" ("patientId", id, "facilityId", "occurredAt", "codeSystem", code, display, icd10, major)
      SELECT id, id || '-cnd-' || i, fa, ${day("(n * 53 + i * 997) % 3650 + 1")}, $2, (ARRAY['8KPJ','NKPF','Q3KL','K0A6'])[1 + (n + i) % 4],
        (ARRAY['本態性高血圧症','2型糖尿病','脂質異常症','急性上気道炎'])[1 + (n + i) % 4], (ARRAY['I10','E11.9','E78.5','J06.9'])[1 + (n + i) % 4], i = 1
      FROM filler, generate_series(1, least(${CONDITIONS_MAX}, 1 + visits / ${VISITS_PER_CONDITION})) i`, [at, CODE_SYSTEM.MEDIS_DISEASE]],
    [`INSERT INTO "Prescription" ("patientId", id, "facilityId", kind, "occurredAt", status, "prescriberName", department)
      SELECT id, id || '-rx-' || i, fa, 'PRESCRIPTION', ${visitDay}, 'COMPLETED', '担当医', '内科'
      FROM filler, generate_series(1, visits) i`, [at]],
    [`INSERT INTO "PrescriptionItem" ("patientId", id, "prescriptionId", rp, "codeSystem", code, display, "yjCode", "hotCode", dose, "doseUnit", "usageText", days)
      SELECT id, id || '-rx-' || i || '-' || j, id || '-rx-' || i, j, $1, (ARRAY['103300702','113387402'])[j], (ARRAY['アムロジン錠5mg','リピトール錠10mg'])[j],
        (ARRAY['2171022F2041','2189015F2029'])[j], (ARRAY['103300702','113387402'])[j], 1, '錠', '1日1回朝食後', 28
      FROM filler, generate_series(1, visits) i, generate_series(1, ${PRESCRIPTION_ITEMS}) j`, [CODE_SYSTEM.HOT9]],
    [`INSERT INTO "LabResult" ("patientId", id, "facilityId", "occurredAt", "codeSystem", code, display, "valueNumeric", unit, flag)
      SELECT id, id || '-lab-' || i || '-' || j, fa, ${visitDay}, $2, ($3::text[])[1 + (n + j) % cardinality($3::text[])],
        ($4::text[])[1 + (n + j) % cardinality($3::text[])], ((n * 13 + i * 7 + j) % 100) / 10.0 + 1, ($5::text[])[1 + (n + j) % cardinality($3::text[])], 'N'
      FROM filler, generate_series(1, visits) i, generate_series(1, ${LABS_PER_VISIT}) j`, [at, CODE_SYSTEM.JLAC10, LAB_TESTS.map((t) => t.code), LAB_TESTS.map((t) => t.display), LAB_TESTS.map((t) => t.unit)]],
    [`INSERT INTO "Checkup" ("patientId", id, "facilityId", "occurredAt", programme)
      SELECT id, id || '-chk-' || k, fb, ${day("(k - 1) * 365 + (n * 17) % 365 + 30")}, '特定健診' FROM filler, generate_series(1, checkups) k`, [at]],
    [`INSERT INTO "CheckupItem" ("patientId", id, "checkupId", "codeSystem", code, display, "valueNumeric", unit, flag)
      SELECT id, id || '-chk-' || k || '-' || j, id || '-chk-' || k, $1, ($2::text[])[j], ($3::text[])[j], 100 + (n + j + k) % 50, ($4::text[])[j], 'N'
      FROM filler, generate_series(1, checkups) k, generate_series(1, ${CHECKUP_ITEMS}) j`,
      [CODE_SYSTEM.CHECKUP, CHECKUP_ITEMS_SEED.map((x) => x.code), CHECKUP_ITEMS_SEED.map((x) => x.display), CHECKUP_ITEMS_SEED.map((x) => x.unit ?? null)]],
    [`INSERT INTO "Allergy" ("patientId", id, "facilityId", "occurredAt", kind, "codeSystem", code, display, severity)
      SELECT id, id || '-alg-01', fa, ${day("(n * 11) % 3650 + 1")}, 'FOOD', $2, 'EGG', '卵', 'MILD' FROM filler WHERE n % 3 = 0`, [at, CODE_SYSTEM.LOCAL_ALLERGEN]],
    [`INSERT INTO "Procedure" ("patientId", id, "facilityId", "occurredAt", kind, "codeSystem", code, display)
      SELECT id, id || '-prc-' || i, fa, ${day("(i - 1) * gap * " + VISITS_PER_PROCEDURE + " + (n * 19) % 30 + 1")}, 'OTHER', $2, 'D308', '上部消化管内視鏡検査'
      FROM filler, generate_series(1, visits / ${VISITS_PER_PROCEDURE}) i`, [at, CODE_SYSTEM.PROCEDURE]],
    [`INSERT INTO "Document" ("patientId", id, "facilityId", "occurredAt", kind, title, "authorName", body)
      SELECT id, id || '-doc-' || i, fa, ${day("(i - 1) * gap * " + VISITS_PER_DOCUMENT + " + (n * 23) % 30 + 1")}, 'REFERRAL', '診療情報提供書', '担当医', repeat('高血圧症にて加療中の方です。', 20)
      FROM filler, generate_series(1, visits / ${VISITS_PER_DOCUMENT}) i`, [at]],
  ];
  for (const [sql, params] of statements) await c.query(sql, params);
  await c.query("DROP TABLE filler");
  return visits.reduce((s, _v, k) => s + recordsOf(lo + k).rows, 0);
}

/**
 * Inserts PatientBuilder rows. json_populate_recordset types every value by the table's own row type,
 * so one statement per table carries any number of rows; the columns the builder leaves out take their defaults.
 */
export async function insertRows(c: SqlClient, rows: Rows): Promise<void> {
  const order: [keyof Rows, string][] = [
    ["patients", "Patient"], ["links", "PatientLink"], ["consents", "Consent"], ["encounters", "Encounter"], ["conditions", "Condition"],
    ["prescriptions", "Prescription"], ["prescriptionItems", "PrescriptionItem"], ["labResults", "LabResult"], ["checkups", "Checkup"],
    ["checkupItems", "CheckupItem"], ["allergies", "Allergy"], ["procedures", "Procedure"], ["documents", "Document"],
  ];
  for (const [key, table] of order) {
    const list = rows[key] as Record<string, unknown>[];
    if (list.length === 0) continue;
    // Only the columns the builder sets: json_populate_recordset gives every other column NULL, so
    // naming them would override the table's defaults (createdAt, recordedAt, uninformed…).
    const columns = [...new Set(list.flatMap((r) => Object.keys(r)))].map((k) => `"${k.replace(/"/g, '""')}"`).join(", ");
    await c.query(`INSERT INTO "${table}" (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::"${table}", $1::json)`, [JSON.stringify(list)]);
  }
}

const CLINICAL = ["Encounter", "Condition", "Prescription", "LabResult", "Checkup", "Allergy", "Procedure", "Document"];

export interface BenchCounts {
  patients: number;
  /** the heavy patient's timeline entries (rows of the eight record tables) */
  heavyRecords: number;
  /** the same plus prescription and checkup items */
  heavyRows: number;
  heavyFacilities: number;
  heavyYears: number;
  /** all timeline entries in the database (rows of the eight record tables) */
  totalRecords: number;
  /** all clinical rows in the database, items included */
  totalRows: number;
}

export async function countBench(c: SqlClient): Promise<BenchCounts> {
  const one = async (sql: string, params: unknown[] = []) => Number((await c.query(sql, params)).rows[0]!.v);
  const union = CLINICAL.map((t) => `SELECT "facilityId", "occurredAt" FROM "${t}" WHERE "patientId" = $1`).join(" UNION ALL ");
  const heavy = (await c.query(`SELECT count(*) AS n, count(DISTINCT "facilityId") AS f, extract(epoch FROM max("occurredAt") - min("occurredAt")) / 86400 / 365.25 AS y FROM (${union}) r`, [HEAVY_ID])).rows[0]!;
  const items = await one(`SELECT (SELECT count(*) FROM "PrescriptionItem" WHERE "patientId" = $1) + (SELECT count(*) FROM "CheckupItem" WHERE "patientId" = $1) AS v`, [HEAVY_ID]);
  const sum = (tables: string[]) => one(`SELECT ${tables.map((t) => `(SELECT count(*) FROM "${t}")`).join(" + ")} AS v`);
  return {
    patients: await one(`SELECT count(*) AS v FROM "Patient"`),
    heavyRecords: Number(heavy.n),
    heavyRows: Number(heavy.n) + items,
    heavyFacilities: Number(heavy.f),
    heavyYears: Math.round(Number(heavy.y) * 10) / 10,
    totalRecords: await sum(CLINICAL),
    totalRows: await sum([...CLINICAL, "PrescriptionItem", "CheckupItem"]),
  };
}
