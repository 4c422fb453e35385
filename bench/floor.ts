/**
 * The SQL floor: the statements getPatientView sends for the first screen (doctor, FULL consent, nothing
 * withheld), written by hand and run with node-postgres in one transaction. Same WHERE, ORDER BY and
 * LIMIT, same round trips (a parent read then its items, as Prisma loads relations), same columns; no
 * mapping beyond node-postgres' own row parsing. getPatientView ÷ this = the cost of the app's layer.
 *
 * Mirrors lib/record: guard.ts (patient, consents, grants, audit), identity.ts, banner.ts, summary.ts,
 * prescriptions.ts, labs.ts (readRecentElsewhere), timeline.ts. When those change, change this too —
 * scripts/bench.ts warns when the statement counts of the two differ.
 */
import type pg from "pg";
import { eventHash, GENESIS_HASH } from "../lib/audit/hash";

const DAY = 86_400_000;
/** lib/record/summary.ts MEDICATION_LOOKBACK_DAYS, lib/record/labs.ts RECENT_TEST_DAYS, first page + 1 */
const LOOKBACK_DAYS = 400;
const RECENT_DAYS = 30;
const TAKE = 26;
/** the advisory lock lib/audit takes around the hash chain */
const CHAIN_LOCK = 7_263_001;

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
  const page = (table: string, cols = "*") =>
    q(`timeline ${table}`, `SELECT ${cols} FROM "${table}" WHERE "patientId" = $1 ORDER BY "occurredAt" DESC, id DESC LIMIT ${TAKE}`, [patientId]);
  const items = (table: string, parent: string, ids: string[], order: string) =>
    q(`items ${table}`, `SELECT * FROM "${table}" WHERE "patientId" = $1 AND "${parent}" = ANY($2::text[]) ORDER BY ${order}`, [patientId, ids]);

  await q("BEGIN", "BEGIN");
  try {
    // guard.ts: the patient exists; the facts for decide()
    await q("patient exists", `SELECT id FROM "Patient" WHERE id = $1 LIMIT 1`, [patientId]);
    await q("consents", `SELECT * FROM "Consent" WHERE "patientId" = $1 AND "facilityId" = $2`, [patientId, actor.facilityId]);
    await q("break-glass grants", `SELECT * FROM "BreakGlass" WHERE "patientId" = $1 AND "userId" = $2`, [patientId, actor.userId]);

    // identity.ts: the header, links and their facility names
    await q("identity patient", `SELECT * FROM "Patient" WHERE id = $1 LIMIT 1`, [patientId]);
    const links = await q("identity links", `SELECT * FROM "PatientLink" WHERE "patientId" = $1 ORDER BY "facilityId"`, [patientId]);
    await q("identity facilities", `SELECT id, name FROM "Facility" WHERE id = ANY($1::text[])`, [[...new Set(links.map((l) => l.facilityId as string))]]);

    // banner.ts
    await q("banner allergies", `SELECT * FROM "Allergy" WHERE "patientId" = $1 AND active ORDER BY "occurredAt" DESC, id`, [patientId]);

    // summary.ts: problems, current medicines (prescriptions.ts), tests done elsewhere (labs.ts), latest checkup, record map
    await q("problems", `SELECT * FROM "Condition" WHERE "patientId" = $1 AND "endedAt" IS NULL ORDER BY major DESC, "occurredAt" DESC, id`, [patientId]);
    const rx = await q("medication prescriptions", `SELECT * FROM "Prescription" WHERE "patientId" = $1 AND "occurredAt" >= $2 ORDER BY "occurredAt" DESC, id DESC`, [
      patientId,
      ts(new Date(today.getTime() - LOOKBACK_DAYS * DAY)),
    ]);
    if (rx.length) await items("PrescriptionItem", "prescriptionId", rx.map((r) => r.id as string), "rp, id");
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
    const latest = await q("latest checkup", `SELECT * FROM "Checkup" WHERE "patientId" = $1 ORDER BY "occurredAt" DESC, id DESC LIMIT 1`, [patientId]);
    if (latest.length) await items("CheckupItem", "checkupId", latest.map((r) => r.id as string), "code");
    const kinds: [string, string][] = [
      ["encounter", "Encounter"], ["condition", "Condition"], ["prescription", "Prescription"], ["lab", "LabResult"],
      ["checkup", "Checkup"], ["allergy", "Allergy"], ["procedure", "Procedure"], ["document", "Document"],
    ];
    await q("record map: serial plan", "SET LOCAL max_parallel_workers_per_gather = 0");
    await q(
      "record map",
      kinds
        .map(([k, t]) => `SELECT '${k}'::text AS kind, "facilityId", to_char("occurredAt" + interval '9 hours', 'YYYY-MM') AS month, count(*)::int AS count
          FROM "${t}" WHERE "patientId" = $1 AND NOT ("sensitivity"::text = ANY($2::text[])) GROUP BY 2, 3`)
        .join(" UNION ALL ") + " ORDER BY 3, 2, 1",
      [patientId, withheld],
    );

    // timeline.ts: one page from each table, items of the prescriptions and checkups on it
    await page("Encounter");
    await page("Condition");
    const rxPage = await page("Prescription");
    if (rxPage.length) await items("PrescriptionItem", "prescriptionId", rxPage.map((r) => r.id as string), "rp, id");
    await page("LabResult");
    const chkPage = await page("Checkup");
    if (chkPage.length) await items("CheckupItem", "checkupId", chkPage.map((r) => r.id as string), "code");
    await page("Allergy");
    await page("Procedure");
    await page("Document", `"patientId", id, "facilityId", "occurredAt", kind, title, "authorName", recipient, sensitivity, "sourceRef"`);

    // lib/audit: one event on the hash chain, under the chain lock
    await q("audit lock", `SELECT pg_advisory_xact_lock($1)`, [CHAIN_LOCK]);
    const [last] = await q("audit last", `SELECT seq, hash FROM "AuditEvent" ORDER BY seq DESC LIMIT 1`);
    const fields = {
      seq: BigInt(last?.seq ?? 0) + 1n,
      at: new Date(Math.floor(today.getTime())),
      actorId: actor.userId,
      actorName: actor.name,
      actorProfession: actor.profession,
      facilityId: actor.facilityId,
      action: "RECORD_VIEW",
      patientId,
      purpose: "TREATMENT",
      outcome: "ALLOW",
      detail: { what: "patient-record", scope: "FULL", basis: "CONSENT", cursor: null },
      prevHash: (last?.hash as string | undefined) ?? GENESIS_HASH,
    };
    await q(
      "audit insert",
      `INSERT INTO "AuditEvent" (seq, at, "actorId", "actorName", "actorProfession", "facilityId", action, "patientId", purpose, outcome, detail, "prevHash", hash)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
      [fields.seq.toString(), ts(fields.at), fields.actorId, fields.actorName, fields.actorProfession, fields.facilityId, fields.action, fields.patientId,
        fields.purpose, fields.outcome, JSON.stringify(fields.detail), fields.prevHash, eventHash(fields)],
    );
    await q("COMMIT", "COMMIT");
  } catch (e) {
    await c.query("ROLLBACK");
    throw e;
  }
  return statements;
}
