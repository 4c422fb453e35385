/**
 * The SQL floor: the statements getPatientView sends for the first screen (doctor, FULL consent, nothing
 * withheld), written by hand and run with node-postgres in one transaction. Same WHERE, ORDER BY and
 * LIMIT, same round trips (a parent and its items in one statement, as Prisma's relationJoins loads them), same columns; no
 * mapping beyond node-postgres' own row parsing. getPatientView ÷ this = the cost of the app's layer.
 *
 * Mirrors lib/record: guard.ts (patient, consents, grants, audit), identity.ts, banner.ts, summary.ts, record-map.ts,
 * prescriptions.ts, labs.ts (readRecentElsewhere), timeline.ts. When those change, change this too —
 * scripts/bench.ts warns when the statement counts of the two differ.
 */
import type pg from "pg";
import type { SqlClient } from "./database";
import { eventHash, GENESIS_HASH } from "../lib/audit/hash";
import { CHAIN_LOCK, chainOf } from "../lib/audit/chains";
import { MONTHLY_MAP_MAX_MONTHS } from "../lib/record/record-map";

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

/** Per-statement wall times of the last run, for the breakdown. */
export type StatementTimes = Map<string, number>;

export async function floorPatientView(c: pg.Client, actor: FloorActor, patientId: string, times?: StatementTimes): Promise<number> {
  let statements = 0;
  const q = async (label: string, text: string, values: unknown[] = []) => {
    const t0 = performance.now();
    const r = await c.query(text, values);
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
    // guard.ts: the patient exists; the facts for decide()
    await q(
      "patient, consents, grants",
      `SELECT p.id,
        COALESCE((SELECT json_agg(c) FROM "Consent" c WHERE c."patientId" = p.id AND c."facilityId" = $2), '[]') AS consents,
        COALESCE((SELECT json_agg(g) FROM "BreakGlass" g WHERE g."patientId" = p.id AND g."userId" = $3), '[]') AS grants
      FROM "Patient" p WHERE p.id = $1 LIMIT 1`,
      [patientId, actor.facilityId, actor.userId],
    );

    // identity.ts: the header, links and their facility names
    await q(
      "identity",
      `SELECT p.*, COALESCE((SELECT json_agg(json_build_object('facilityId', l."facilityId", 'localPatientId', l."localPatientId", 'name', f.name) ORDER BY l."facilityId")
        FROM "PatientLink" l JOIN "Facility" f ON f.id = l."facilityId" WHERE l."patientId" = p.id), '[]') AS links
      FROM "Patient" p WHERE p.id = $1 LIMIT 1`,
      [patientId],
    );
    // the record kinds and their tables (lib/record/kinds.ts), every one a doctor sees
    const kinds: [string, string][] = [
      ["encounter", "Encounter"], ["condition", "Condition"], ["prescription", "Prescription"], ["lab", "LabResult"],
      ["checkup", "Checkup"], ["allergy", "Allergy"], ["procedure", "Procedure"], ["document", "Document"],
    ];
    const allKinds = kinds.map(([k]) => k);
    // identity.ts: which facilities hold a record this viewer may see, from the kept counts
    const counts = `SELECT kind, "facilityId", month, n FROM "RecordMapCount" WHERE "patientId" = $1 AND kind = ANY($3::text[]) AND NOT (sensitivity::text = ANY($2::text[])) AND n > 0`;
    await q("identity facilities", `SELECT "facilityId", sum(n)::int AS n FROM (${counts}) v GROUP BY 1`, [patientId, withheld, allKinds]);

    // banner.ts
    await q("banner allergies", `SELECT * FROM "Allergy" WHERE "patientId" = $1 AND active ORDER BY "occurredAt" DESC, id`, [patientId]);

    // summary.ts: problems, current medicines (prescriptions.ts), tests done elsewhere (labs.ts), latest checkup, record map
    await q("problems", `SELECT * FROM "Condition" WHERE "patientId" = $1 AND "endedAt" IS NULL ORDER BY major DESC, "occurredAt" DESC, id`, [patientId]);
    await q(
      "medication items",
      `SELECT p.id AS "prescriptionId", i.id AS "itemId", p.kind::text AS kind, p."facilityId", p."prescriberName", p."occurredAt",
        p.status::text AS status, p."stoppedAt", i."codeSystem", i.code, i.display, i."yjCode", i.days, i."asNeeded", i."usageText", i.dose, i."doseUnit"
      FROM "Prescription" p JOIN "PrescriptionItem" i ON i."patientId" = p."patientId" AND i."prescriptionId" = p.id
      WHERE p."patientId" = $1 AND p."occurredAt" >= $2 AND NOT (p.sensitivity::text = ANY($3::text[]))
      ORDER BY p."occurredAt" DESC, p.id DESC, i.rp, i.id`,
      [patientId, ts(new Date(today.getTime() - LOOKBACK_DAYS * DAY)), withheld],
    );
    const recentSince = ts(new Date(today.getTime() - RECENT_DAYS * DAY));
    await q(
      "recent tests elsewhere",
      `SELECT * FROM (SELECT DISTINCT ON ("code") * FROM (
        SELECT 'lab' AS source, "id", "code", "display", "unit", "occurredAt", "facilityId", "valueNumeric" AS value, "valueText" AS text, "flag", "refLow", "refHigh"
          FROM "LabResult" WHERE "patientId" = $1 AND NOT ("sensitivity"::text = ANY($2::text[])) AND "occurredAt" >= $3 AND "facilityId" <> $4
        UNION ALL
        SELECT 'checkup' AS source, i."id", i."code", i."display", i."unit", c."occurredAt", c."facilityId", i."valueNumeric" AS value, i."valueText" AS text, i."flag", i."refLow", i."refHigh"
          FROM "CheckupItem" i JOIN "Checkup" c ON c."patientId" = i."patientId" AND c."id" = i."checkupId"
          WHERE i."patientId" = $1 AND c."patientId" = $1 AND NOT (c."sensitivity"::text = ANY($2::text[])) AND c."occurredAt" >= $3 AND c."facilityId" <> $4
      ) o WHERE "occurredAt" <= $5 ORDER BY "code", "occurredAt" DESC, "id") latest ORDER BY "occurredAt" DESC, "code"`,
      [patientId, withheld, recentSince, actor.facilityId, ts(today)],
    );
    await q("latest checkup", `SELECT ${withItems("CheckupItem", "checkupId", "i.code")} FROM "Checkup" t WHERE "patientId" = $1 ORDER BY "occurredAt" DESC, id DESC LIMIT 1`, [patientId]);
    // record-map.ts: months, or years when the record spans more than 24 months, from the kept counts
    await q(
      "record map",
      `WITH m AS (${counts}),
        span AS (SELECT count(DISTINCT month) > $4 AS years FROM m)
      SELECT span.years, kind, "facilityId", CASE WHEN span.years THEN left(month, 4) ELSE month END AS period, sum(n)::int AS count
      FROM m, span GROUP BY 1, 2, 3, 4 ORDER BY 4, 3, 2`,
      [patientId, withheld, allKinds, MONTHLY_MAP_MAX_MONTHS],
    );

    // timeline.ts: the page's keys across the tables, then the rows they name, one statement per kind
    const keys = await q(
      "timeline keys",
      `SELECT kind, id, "occurredAt" FROM (${kinds
        .map(([k, t]) => `(SELECT '${k}'::text AS kind, t.id, t."occurredAt" FROM "${t}" t
          WHERE t."patientId" = $1 AND NOT (t.sensitivity::text = ANY($2::text[])) AND TRUE ORDER BY t."occurredAt" DESC, t.id DESC LIMIT ${TAKE})`)
        .join(" UNION ALL ")}) k ORDER BY "occurredAt" DESC, kind DESC, id DESC LIMIT ${TAKE}`,
      [patientId, withheld],
    );
    const onPage = new Map<string, string[]>();
    for (const k of keys.slice(0, TAKE - 1)) onPage.set(k.kind as string, [...(onPage.get(k.kind as string) ?? []), k.id as string]);
    const table = new Map(kinds);
    const columns: Record<string, string> = {
      prescription: withItems("PrescriptionItem", "prescriptionId", "i.rp, i.id"),
      checkup: withItems("CheckupItem", "checkupId", "i.code"),
      document: `"patientId", id, "facilityId", "occurredAt", kind, title, "authorName", recipient, sensitivity, "sourceRef"`,
    };
    for (const [kind, ids] of onPage) {
      await q(`timeline ${kind}`, `SELECT ${columns[kind] ?? "*"} FROM "${table.get(kind)}" t WHERE "patientId" = $1 AND id = ANY($2::text[])`, [patientId, ids]);
    }

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

/** recordAudit's statements by hand: the chain's lock, its head, the insert (inside the caller's transaction). */
export async function floorAudit(q: Query, e: { actor: FloorActor | null; patientId: string | null; at: Date; action: string; detail: unknown }): Promise<void> {
  const chain = chainOf(e.patientId);
  await q("audit lock", `SELECT pg_advisory_xact_lock($1::int, $2::int)`, [CHAIN_LOCK, chain]);
  const [last] = await q("audit last", `SELECT "chainSeq", hash FROM "AuditEvent" WHERE chain = $1 ORDER BY "chainSeq" DESC LIMIT 1`, [chain]);
  const fields = {
    chain,
    chainSeq: BigInt((last?.chainSeq as string | undefined) ?? 0) + 1n,
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
    prevHash: (last?.hash as string | undefined) ?? GENESIS_HASH,
  };
  await q(
    "audit insert",
    `INSERT INTO "AuditEvent" (chain, "chainSeq", at, "actorId", "actorName", "actorProfession", "facilityId", action, "patientId", purpose, outcome, detail, "prevHash", hash)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING seq`,
    [fields.chain, fields.chainSeq.toString(), ts(fields.at), fields.actorId, fields.actorName, fields.actorProfession, fields.facilityId, fields.action, fields.patientId,
      fields.purpose, fields.outcome, JSON.stringify(fields.detail), fields.prevHash, eventHash(fields)],
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
  const q: Query = async (_label, text, values = []) => (await c.query(text, values)).rows;
  await c.query("BEGIN");
  try {
    for (const s of reads) await c.query(s.text, s.values as unknown[]);
    await floorAudit(q, { actor, patientId, at: new Date(), action: "RECORD_VIEW", detail: { what: "patient-record", scope: "FULL", basis: "CONSENT", cursor: null } });
    await c.query("COMMIT");
  } catch (e) {
    await c.query("ROLLBACK");
    throw e;
  }
  return reads.length + 5;
}
