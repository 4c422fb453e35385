/**
 * The SQL floor: the statements getPatientView sends for the first screen (doctor, FULL consent, nothing
 * withheld), written by hand and run with node-postgres in one transaction. Same WHERE, ORDER BY and
 * LIMIT, same round trips (the first screen's reads as one statement, as lib/record/read-batch.ts sends them) (a parent and its items in one statement, as Prisma's relationJoins loads them), same columns; no
 * mapping beyond node-postgres' own row parsing. getPatientView ÷ this = the cost of the app's layer.
 *
 * Mirrors lib/record: guard.ts and access-facts.ts (consents, grants, withheld facilities, audit), identity.ts,
 * banner.ts, summary.ts, record-map.ts, prescriptions.ts, labs.ts (readLatestPerCodeSets), medication-checks.ts,
 * last-received.ts, timeline.ts and kinds.ts (lab panels, dispenses). When those change, change this too —
 * scripts/bench.ts warns when the statement counts of the two differ.
 */
import type pg from "pg";
import type { SqlClient } from "./database";
import { eventHash, GENESIS_HASH, hashedBodyPrefix } from "../lib/audit/hash";
import { CHAIN_LOCK, chainOf } from "../lib/audit/chains";
import { MONTHLY_MAP_MAX_MONTHS } from "../lib/record/record-map";
import { EGFR_CODE, POTASSIUM_CODE } from "../lib/record/interactions";
import { statementNamer } from "../lib/db/statement-names";

const DAY = 86_400_000;
/** lib/record/summary.ts MEDICATION_LOOKBACK_DAYS, lib/record/labs.ts RECENT_TEST_DAYS, first page + 1 */
const LOOKBACK_DAYS = 400;
const RECENT_DAYS = 30;
const TAKE = 26;

/** Prisma stores DateTime as UTC timestamp(3) without time zone: send the same text it sends. */
const ts = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");

export interface FloorActor {
  userId: string;
  name: string;
  profession: string;
  facilityId: string;
}

/**
 * The app names its statements, so PostgreSQL parses and plans each once per connection
 * (lib/db/statement-names.ts); the floor and the replay do the same, or they would pay on every view
 * what the app no longer does. Only ever sent through node-postgres: neither runs on PGlite.
 */
const floorName = statementNamer(1000);
const prepared = (c: SqlClient, text: string, values: unknown[]) => (c as unknown as pg.Client).query({ name: floorName(text), text, values });

/** Per-statement wall times of the last run, for the breakdown. */
export type StatementTimes = Map<string, number>;

export async function floorPatientView(c: pg.Client, actor: FloorActor, patientId: string, times?: StatementTimes): Promise<number> {
  let statements = 0;
  const q = async (label: string, text: string, values: unknown[] = []) => {
    const t0 = performance.now();
    const r = await prepared(c, text, values);
    statements++;
    times?.set(label, (times.get(label) ?? 0) + performance.now() - t0);
    return r.rows;
  };
  const today = new Date();
  const withheld: string[] = [];
  /** a parent's items in the same statement, as Prisma's relationJoins loads them */
  const withItems = (table: string, parent: string, order: string) =>
    `t.*, COALESCE((SELECT json_agg(i ORDER BY ${order}) FROM "${table}" i WHERE i."patientId" = t."patientId" AND i."${parent}" = t.id), '[]') AS items`;

  await q("BEGIN", "BEGIN");
  try {
    // guard.ts (access-facts.ts): every facility's consents, this user's grants, the withheld facilities,
    // and the header's row (identity.ts: the patient, its links and their facility names)
    await q(
      "access facts",
      `SELECT
        COALESCE((SELECT json_agg(json_build_object('id', c.id, 'facilityId', c."facilityId", 'scope', c.scope, 'status', c.status, 'expiresAt', c."expiresAt",
                   'withheldCategories', c."withheldCategories", 'capturedAt', c."capturedAt", 'capturedById', c."capturedById"))
                  FROM "Consent" c WHERE c."patientId" = p.id), '[]') AS consents,
        COALESCE((SELECT json_agg(json_build_object('userId', g."userId", 'patientId', g."patientId", 'startedAt', g."startedAt", 'expiresAt', g."expiresAt", 'endedAt', g."endedAt"))
                  FROM "BreakGlass" g WHERE g."patientId" = p.id AND g."userId" = $2), '[]') AS grants,
        ARRAY(SELECT f.id FROM "Facility" f WHERE f."recordsWithheld" ORDER BY f.id) AS withheld,
        p.id, p."familyName", p."givenName", p."familyNameKana", p."givenNameKana", p.sex::text AS sex, p."birthDate", p."insurerNumber", p."insuredSymbol", p."insuredNumber",
        COALESCE((SELECT json_agg(json_build_object('id', l."facilityId", 'name', f.name, 'localPatientId', l."localPatientId") ORDER BY l."facilityId")
                  FROM "PatientLink" l JOIN "Facility" f ON f.id = l."facilityId" WHERE l."patientId" = p.id), '[]') AS links
      FROM "Patient" p WHERE p.id = $1`,
      [patientId, actor.userId],
    );

    // the record kinds and their tables (lib/record/kinds.ts), every one a doctor sees
    const kinds: [string, string][] = [
      ["encounter", "Encounter"], ["condition", "Condition"], ["prescription", "Prescription"], ["lab", "LabResult"],
      ["checkup", "Checkup"], ["allergy", "Allergy"], ["procedure", "Procedure"], ["document", "Document"],
    ];
    const allKinds = kinds.map(([k]) => k);

    // summary.ts and timeline.ts: the first screen's reads, each written with its own $1…$n and
    // numbered on into one statement (lib/record/read-batch.ts)
    const batch: { label: string; text: string; order?: string }[] = [];
    const batchValues: unknown[] = [];
    const part = (label: string, text: string, values: unknown[], order?: string) => {
      const offset = batchValues.length;
      batchValues.push(...values);
      batch.push({ label, text: text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`), order });
    };
    // summary.ts: problems (which give the banner its infections), the banner's allergies, current medicines (prescriptions.ts)
    part("problems", `SELECT * FROM "Condition" WHERE "patientId" = $1 AND "endedAt" IS NULL AND outcome IS NULL ORDER BY major DESC, "occurredAt" DESC, id`, [patientId], `x.major DESC, x."occurredAt" DESC, x.id`);
    part("banner allergies", `SELECT * FROM "Allergy" WHERE "patientId" = $1 AND active ORDER BY "occurredAt" DESC, id`, [patientId], `x."occurredAt" DESC, x.id`);
    part(
      "medication items",
      `SELECT p.id AS "prescriptionId", i.id AS "itemId", i.rp, p.kind::text AS kind, p."facilityId", p."prescriberName", p."fillsId", p."occurredAt",
        p.status::text AS status, p."stoppedAt", i."codeSystem", i.code, i.display, i."yjCode", i.days, i."asNeeded", i."usageText", i.dose, i."doseUnit"
      FROM "Prescription" p JOIN "PrescriptionItem" i ON i."patientId" = p."patientId" AND i."prescriptionId" = p.id
      WHERE p."patientId" = $1 AND p."occurredAt" >= $2 AND NOT (p.sensitivity::text = ANY($3::text[]))
      ORDER BY p."occurredAt" DESC, p.id DESC, i.rp, i.id`,
      [patientId, ts(new Date(today.getTime() - LOOKBACK_DAYS * DAY)), withheld],
      `x."occurredAt" DESC, x."prescriptionId" DESC, x.rp, x."itemId"`,
    );
    // labs.ts readLatestPerCodeSets: tests done elsewhere in the last 30 days and the renal checks' latest eGFR and potassium, one statement
    const latest = (set: string, lab: string, checkup: string) => `SELECT '${set}'::text AS "set", latest.* FROM (SELECT DISTINCT ON ("code") * FROM (
        SELECT 'lab' AS source, "id", "code", "display", "unit", "occurredAt", "facilityId", "valueNumeric" AS value, "valueText" AS text, "flag", "refLow", "refHigh"
          FROM "LabResult" WHERE "patientId" = $1 AND NOT ("sensitivity"::text = ANY($2::text[])) ${lab}
        UNION ALL
        SELECT 'checkup' AS source, i."id", i."code", i."display", i."unit", c."occurredAt", c."facilityId", i."valueNumeric" AS value, i."valueText" AS text, i."flag", i."refLow", i."refHigh"
          FROM "CheckupItem" i JOIN "Checkup" c ON c."patientId" = i."patientId" AND c."id" = i."checkupId"
          WHERE i."patientId" = $1 AND c."patientId" = $1 AND NOT (c."sensitivity"::text = ANY($2::text[])) ${checkup}
      ) o WHERE "occurredAt" <= $5 ORDER BY "code", "occurredAt" DESC, "id") latest`;
    part(
      "latest tests",
      `SELECT * FROM (${latest("recent", `AND "occurredAt" >= $3 AND "facilityId" <> $4`, `AND c."occurredAt" >= $3 AND c."facilityId" <> $4`)}
        UNION ALL ${latest("renal", `AND "code" = ANY($6::text[]) AND "valueNumeric" IS NOT NULL`, `AND i."code" = ANY($6::text[]) AND i."valueNumeric" IS NOT NULL`)}) s
      ORDER BY "set", "occurredAt" DESC, "code"`,
      [patientId, withheld, ts(new Date(today.getTime() - RECENT_DAYS * DAY)), actor.facilityId, ts(today), [EGFR_CODE, POTASSIUM_CODE]],
      `x."set", x."occurredAt" DESC, x.code`,
    );
    part("latest checkup", `SELECT ${withItems("CheckupItem", "checkupId", "i.code, i.id")} FROM "Checkup" t WHERE "patientId" = $1 ORDER BY "occurredAt" DESC, id DESC LIMIT 1`, [patientId]);
    // record-map.ts: months, or years when the record covers more than 24 months, from the kept
    // yearly counts (the monthly ones only for a short record); its counts per facility also name the
    // header's facilities (identity.ts)
    const counts = `SELECT kind, "facilityId", month, n FROM "RecordMapCount" WHERE "patientId" = $1 AND kind = ANY($3::text[]) AND NOT (sensitivity::text = ANY($2::text[])) AND n > 0`;
    const years = `SELECT kind, "facilityId", year, n, months FROM "RecordMapYear" WHERE "patientId" = $1 AND kind = ANY($3::text[]) AND NOT (sensitivity::text = ANY($2::text[])) AND n > 0`;
    part(
      "record map",
      `SELECT * FROM (WITH y AS (${years}),
        span AS (SELECT coalesce(sum(bit_count(b::bit(13))), 0) > $4 AS years FROM (SELECT bit_or(months) AS b FROM y GROUP BY year) z)
      SELECT true AS years, kind, "facilityId", year AS period, sum(n)::int AS count FROM y WHERE (SELECT years FROM span) GROUP BY 2, 3, 4
      UNION ALL SELECT false, kind, "facilityId", month, sum(n)::int FROM (${counts}) m WHERE NOT (SELECT years FROM span) GROUP BY 2, 3, 4) r
      ORDER BY 4, 3, 2`,
      [patientId, withheld, allKinds, MONTHLY_MAP_MAX_MONTHS],
      `x.period, x."facilityId", x.kind`,
    );
    // last-received.ts: the map's facilities' last import, sent birth dates and sexes, contacts
    part(
      "source notes",
      `SELECT f.id AS "facilityId",
        (SELECT max(d."importedAt") FROM "IngestDocument" d WHERE d."patientId" = $1 AND d."facilityId" = f.id) AS at,
        sent.births, sent.sexes,
        (SELECT json_agg(json_build_object('kind', c.kind, 'code', c.code, 'text', c.text, 'name', c.name, 'nameKana', c."nameKana", 'phone', c.phone,
                 'workPhone', c."workPhone", 'address', c.address, 'insurerNumber', c."insurerNumber", 'insuredRelation', c."insuredRelation",
                 'validFrom', c."validFrom", 'validTo', c."validTo") ORDER BY c.position, c.id)
          FROM "PatientContact" c WHERE c."patientId" = $1 AND c."facilityId" = f.id AND c.kind = ANY($4::text[])) AS contacts
      FROM (WITH RECURSIVE f(id) AS ((SELECT min(c."facilityId") FROM "RecordMapCount" c WHERE c."patientId" = $1 AND c.kind = ANY($3::text[]) AND NOT (c.sensitivity::text = ANY($2::text[])) AND c.n > 0)
          UNION ALL SELECT (SELECT min(c."facilityId") FROM "RecordMapCount" c WHERE c."patientId" = $1 AND c."facilityId" > f.id AND c.kind = ANY($3::text[]) AND NOT (c.sensitivity::text = ANY($2::text[])) AND c.n > 0) FROM f WHERE f.id IS NOT NULL)
        SELECT id FROM f WHERE id IS NOT NULL) AS f(id)
      LEFT JOIN LATERAL (
        SELECT array_agg(DISTINCT x.v ORDER BY x.v) FILTER (WHERE x.k = 'b') AS births, array_agg(DISTINCT x.v ORDER BY x.v) FILTER (WHERE x.k = 's') AS sexes
        FROM "PatientLink" l, LATERAL (SELECT 'b', unnest(l."sentBirthDates") UNION ALL SELECT 's', unnest(l."sentSexes")) AS x(k, v)
        WHERE l."patientId" = $1 AND l."facilityId" = f.id) AS sent ON TRUE`,
      [patientId, withheld, allKinds, ["PHONE", "NEXT_OF_KIN", "INSURANCE"]],
    );

    // timeline.ts: one statement for the page's keys across the tables (lab results as panels, a
    // dispense drawn under its prescription left out), the rows they name of each kind, and the
    // dispenses that fill its prescriptions, each aggregated as JSON
    const shown = `t."patientId" = $1 AND NOT (t.sensitivity::text = ANY($2::text[]))`;
    const perTable = ([k, t]: [string, string]) =>
      k === "lab"
        ? `(SELECT 'lab'::text AS kind, t.id, t."occurredAt" FROM (SELECT min(t.id) AS id, t."occurredAt" FROM "LabResult" t WHERE ${shown}
              AND t."occurredAt" >= (SELECT min(d.at) FROM (SELECT DISTINCT t."occurredAt" AS at FROM "LabResult" t WHERE ${shown} ORDER BY 1 DESC LIMIT ${TAKE + 1}) d)
              GROUP BY t."occurredAt", t."facilityId") t
            ORDER BY t."occurredAt" DESC, t.id DESC LIMIT ${TAKE})`
        : `(SELECT '${k}'::text AS kind, t.id, t."occurredAt" FROM "${t}" t WHERE ${shown}
            ${k === "prescription" ? `AND (t."fillsId" IS NULL OR t."fillsId" NOT IN (SELECT t.id FROM "Prescription" t WHERE ${shown} AND t.kind = 'PRESCRIPTION'))` : ""}
            ORDER BY t."occurredAt" DESC, t.id DESC LIMIT ${TAKE})`;
    const columns: Record<string, string> = {
      prescription: withItems("PrescriptionItem", "prescriptionId", "i.rp, i.id"),
      checkup: withItems("CheckupItem", "checkupId", "i.code, i.id"),
      document: `t.id, t."occurredAt", t."facilityId", t.title, t.kind::text AS kind, t.uninformed, t."authorName", t.recipient`,
    };
    const ids = (k: string) => `SELECT p.id FROM tp p WHERE p.kind = '${k}'`;
    const rowsOf = ([k, t]: [string, string]) =>
      k === "lab"
        ? `(SELECT json_agg(x ORDER BY x.code, x.id) FROM (SELECT t.id, t."occurredAt", t."facilityId", t.code, t."codeSystem", t.display, t."valueNumeric", t."valueText", t.unit, t.flag, t."refText", t."refLow", t."refHigh"
              FROM "LabResult" t WHERE ${shown} AND (t."occurredAt", t."facilityId") IN (SELECT r."occurredAt", r."facilityId" FROM "LabResult" r WHERE r."patientId" = $1 AND r.id IN (${ids("lab")}))) x)`
        : `(SELECT json_agg(x) FROM (SELECT ${columns[k] ?? "t.*"} FROM "${t}" t WHERE ${shown} AND t.id IN (${ids(k)})) x)`;
    part(
      "timeline page",
      `WITH tk AS (SELECT kind, id, "occurredAt" FROM (${kinds.map(perTable).join(" UNION ALL ")}) k ORDER BY "occurredAt" DESC, kind DESC, id DESC LIMIT ${TAKE}),
        tp AS (SELECT kind, id FROM tk ORDER BY "occurredAt" DESC, kind DESC, id DESC LIMIT ${TAKE - 1})
      SELECT (SELECT json_agg(json_build_array(tk.kind, tk.id, tk."occurredAt") ORDER BY tk."occurredAt" DESC, tk.kind DESC, tk.id DESC) FROM tk) AS keys,
        ${kinds.map(rowsOf).join(",\n        ")},
        (SELECT json_agg(x ORDER BY x."occurredAt", x.id) FROM (SELECT t.id, t."occurredAt", t."facilityId", t."fillsId",
            (SELECT string_agg(i.display, '、' ORDER BY i.rp, i.id) FROM "PrescriptionItem" i WHERE i."patientId" = t."patientId" AND i."prescriptionId" = t.id) AS names
          FROM "Prescription" t WHERE ${shown} AND t.kind = 'DISPENSE' AND t."fillsId" IN (${ids("prescription")})) x) AS dispenses`,
      [patientId, withheld],
    );
    // medication-checks.ts: the patient's acknowledgements of medication warnings (no replica: in the batch)
    part("acknowledgements", `SELECT id, "warningKey", "userName", profession, "facilityId", at, reason FROM "WarningAcknowledgement" WHERE "patientId" = $1 ORDER BY at DESC, id DESC`, [patientId], `x.at DESC, x.id DESC`);
    // read-batch.ts: the reads above as one statement, each read's rows as JSON arrays of 64
    await q(
      "first screen",
      batch
        .map((b, i) => `SELECT ${i}::int AS q, (y."#" / 64)::int AS c, json_agg(y ORDER BY y."#") AS j FROM (SELECT x.*, row_number() OVER (${b.order ? `ORDER BY ${b.order}` : ""}) - 1 AS "#" FROM (${b.text}) x) y GROUP BY 2`)
        .join("\n      UNION ALL "),
      batchValues,
    );

    // lib/audit: one event on the patient's hash chain, under that chain's lock
    await floorAudit(q, { actor, patientId, at: today, action: "RECORD_VIEW", detail: { what: "patient-record", scope: "FULL", basis: "CONSENT", cursor: null } });
    await q("COMMIT", "COMMIT");
  } catch (e) {
    await c.query("ROLLBACK");
    throw e;
  }
  return statements;
}

type Query = (label: string, text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * recordAudit's statements by hand, inside the caller's transaction: the chain's lock, then the event
 * written in one statement that reads the chain's head and hashes on it (lib/audit appendInOneStatement);
 * an event whose body cannot be hashed in SQL reads the head first, as lib/audit does.
 */
export async function floorAudit(q: Query, e: { actor: FloorActor | null; patientId: string | null; at: Date; action: string; detail: unknown }): Promise<void> {
  const chain = chainOf(e.patientId);
  await q("audit lock", `SELECT pg_advisory_xact_lock($1::int, $2::int)`, [CHAIN_LOCK, chain]);
  const fields = {
    chain,
    at: new Date(Math.floor(e.at.getTime())),
    actorId: e.actor?.userId ?? null,
    actorName: e.actor?.name ?? null,
    actorProfession: e.actor?.profession ?? null,
    facilityId: e.actor?.facilityId ?? null,
    action: e.action,
    patientId: e.patientId,
    purpose: "TREATMENT",
    outcome: "ALLOW",
    detail: e.detail,
  };
  const columns = `chain, "chainSeq", at, "actorId", "actorName", "actorProfession", "facilityId", action, "patientId", purpose, outcome, detail, "prevHash", hash`;
  const values = [fields.chain, ts(fields.at), fields.actorId, fields.actorName, fields.actorProfession, fields.facilityId, fields.action, fields.patientId, fields.purpose, fields.outcome, JSON.stringify(fields.detail)];
  const prefix = hashedBodyPrefix(fields);
  if (prefix !== null) {
    await q(
      "audit insert",
      `INSERT INTO "AuditEvent" (${columns})
        SELECT $1::int, head.position, $2::timestamp(3), $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, head.prev,
               encode(sha256(convert_to(head.prev || chr(10) || $12::text || head.position::text || '"}', 'UTF8')), 'hex')
          FROM (SELECT coalesce(last."chainSeq", 0) + 1 AS position, coalesce(last.hash, $13::text) AS prev
                  FROM (SELECT 1) AS one
                  LEFT JOIN LATERAL (SELECT "chainSeq", hash FROM "AuditEvent" WHERE chain = $1::int ORDER BY "chainSeq" DESC LIMIT 1) AS last ON true) AS head
        RETURNING seq`,
      [...values, prefix, GENESIS_HASH],
    );
    return;
  }
  const [last] = await q("audit last", `SELECT "chainSeq", hash FROM "AuditEvent" WHERE chain = $1 ORDER BY "chainSeq" DESC LIMIT 1`, [chain]);
  const hashed = { ...fields, chainSeq: BigInt((last?.chainSeq as string | undefined) ?? 0) + 1n, prevHash: (last?.hash as string | undefined) ?? GENESIS_HASH };
  await q(
    "audit insert",
    `INSERT INTO "AuditEvent" (${columns}) VALUES ($1, $12, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13, $14) RETURNING seq`,
    [...values, hashed.chainSeq.toString(), hashed.prevHash, eventHash(hashed)],
  );
}

/**
 * The statements a lib/record read itself sent (captured on the wire: getPatientView's, a
 * $everything page's), sent again by hand through
 * node-postgres in one transaction: the database's cost of exactly what the app asks, which cannot
 * drift from lib/record as the hand-written floor above can. The audit row is written afresh by
 * floorAudit (a replayed INSERT would repeat its chain position).
 */
export async function replayReads(c: SqlClient, sent: readonly { text: string; values: unknown[] }[], actor: FloorActor, patientId: string | null): Promise<number> {
  const reads = sent.filter((s) => !/^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(s.text) && !/"AuditEvent"|pg_advisory_xact_lock/.test(s.text));
  let audit = 0;
  const q: Query = async (_label, text, values = []) => (audit++, (await c.query(text, values)).rows);
  await c.query("BEGIN");
  try {
    for (const s of reads) await prepared(c, s.text, s.values as unknown[]);
    await floorAudit(q, { actor, patientId, at: new Date(), action: "RECORD_VIEW", detail: { what: "patient-record", scope: "FULL", basis: "CONSENT", cursor: null } });
    await c.query("COMMIT");
  } catch (e) {
    await c.query("ROLLBACK");
    throw e;
  }
  return reads.length + 2 + audit;
}
