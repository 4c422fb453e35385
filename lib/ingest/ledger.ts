import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import { auditEventCte, chainLockIn, chainLockOf, chainLockTaken, recordAudit, type AuditInput } from "../audit";
import type { Recs } from "./records";
import type { RecordRows } from "./record-rows";
import type { BranchVouch } from "../access/identity-match";

/**
 * The import's ledger (IngestDocument: what each source document produced, under its key) read and
 * written in the round trips a file needs anyway. A file costs its round trips more than anything
 * else (each is a wait on the database and a Prisma call's CPU), so the two reads every filing starts
 * with are one statement, and the ledger write takes the audit chain's lock on the way.
 */

/** A facility's link for its patient id, with what the identity checks compare (lib/ingest/patient-identity). */
export interface FoundLink {
  patientId: string;
  id: string;
  branchNumber: string | null;
  sentBirthDates: string[];
  sentSexes: string[];
  vouchedBranches: BranchVouch[];
  patient: { id: string; birthDate: Date; sex: string; insuredBranch: string | null };
}

/** What the ledger holds under a document's key. */
export interface LedgerEntry {
  patientId: string;
  sourceFile: string;
  sourceTimestamp: string;
  digest: string | null;
  status: string;
  records: Recs;
}

type Row = {
  patientId: string | null;
  id: string | null;
  branchNumber: string | null;
  sentBirthDates: string[] | null;
  sentSexes: string[] | null;
  vouchedBranches: unknown;
  birthDate: Date | string | null;
  sex: string | null;
  insuredBranch: string | null;
  docPatientId: string | null;
  sourceFile: string | null;
  sourceTimestamp: string | null;
  digest: string | null;
  status: string | null;
  records: unknown;
};

/**
 * The link of (facility, the facility's patient id) and the ledger entry under (facility, key), in one
 * statement. The link is any one with that id, as a findFirst would give (one per id is the rule).
 * It takes the lock of the linked patient's audit chain on the way (lib/audit chainLockOf), so that
 * the document's audit event can go in the statement that writes its ledger entry (writeLedger), one
 * round trip fewer. An import then holds that chain's lock, and chain 0's after it only when the
 * document is held for review; an import that takes chain 0 first (an unlinked id) takes no other.
 */
export async function lookupFiling(tx: Tx, facilityId: string, localPatientId: string, sourceKey: string): Promise<{ link: FoundLink | null; found: LedgerEntry | null }> {
  const [r] = await tx.$queryRaw<Row[]>`
    SELECT k."patientId", k.id, k."branchNumber", k."sentBirthDates", k."sentSexes", k."vouchedBranches", k."birthDate", k.sex, k."insuredBranch", k."chainLocked", d."patientId" AS "docPatientId", d."sourceFile", d."sourceTimestamp", d.digest, d.status, d.records
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (
        SELECT l."patientId", l.id, l."branchNumber", l."sentBirthDates", l."sentSexes", l."vouchedBranches", p."birthDate", p.sex::text AS sex, p."insuredBranch",
               ${chainLockOf(Prisma.sql`l."patientId"`)} IS NULL AS "chainLocked"
          FROM "PatientLink" l JOIN "Patient" p ON p.id = l."patientId"
         WHERE l."facilityId" = ${facilityId} AND l."localPatientId" = ${localPatientId}
         LIMIT 1
      ) AS k ON true
      LEFT JOIN "IngestDocument" d ON d."facilityId" = ${facilityId} AND d."sourceKey" = ${sourceKey}`;
  const link: FoundLink | null =
    r?.patientId && r.id
      ? {
          patientId: r.patientId,
          id: r.id,
          branchNumber: r.branchNumber,
          sentBirthDates: r.sentBirthDates ?? [],
          sentSexes: r.sentSexes ?? [],
          vouchedBranches: vouchesOf(r.vouchedBranches),
          patient: { id: r.patientId, birthDate: utcDate(r.birthDate!), sex: r.sex!, insuredBranch: r.insuredBranch },
        }
      : null;
  if (link) chainLockTaken(tx, link.patientId);
  const found: LedgerEntry | null =
    r?.docPatientId
      ? { patientId: r.docPatientId, sourceFile: r.sourceFile!, sourceTimestamp: r.sourceTimestamp!, digest: r.digest, status: r.status!, records: jsonValue(r.records) as Recs }
      : null;
  return { link, found };
}

/** A timestamp column as a Date: Prisma keeps DateTime as timestamp(3) in UTC, without a zone. */
const utcDate = (v: Date | string) => (v instanceof Date ? v : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(" ", "T")}Z`));
/** A jsonb column, parsed whether or not the driver parsed it. */
const jsonValue = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

/** A link's vouched 枝番 (a jsonb array), whichever way the driver gave it. */
export const vouchesOf = (v: unknown): BranchVouch[] => {
  const list = jsonValue(v);
  return Array.isArray(list) ? (list as BranchVouch[]) : [];
};

/**
 * Writes the ledger entry of a document filed (created, replaced or deleted), with the rows it files
 * (`rows`, lib/ingest/record-rows) and its audit event (`audit`) in the same statement when its
 * patient's chain was locked by lookupFiling (lib/audit auditEventCte). Otherwise the statement takes
 * that lock, and the event follows in a statement of its own (recordAudit reads the chain's head only
 * after the lock is held). A FHIR entry keeps its digest and body; an SS-MIX2 one has neither, and a
 * rewrite keeps what is there.
 */
export async function writeLedger(
  tx: Tx,
  e: { facilityId: string; sourceKey: string; patientId: string; localPatientId: string; sourceFile: string; sourceTimestamp: string; status: string; records: Recs; digest?: string; body?: unknown; rows?: RecordRows; audit?: AuditInput },
): Promise<void> {
  const records = JSON.stringify(e.records);
  const body = e.body === undefined ? null : JSON.stringify(e.body);
  const event = e.audit ? auditEventCte(tx, "audit_event", e.audit) : null;
  const ctes = [e.rows?.ctes(), event].filter((c): c is Prisma.Sql => !!c);
  await tx.$executeRaw`
    ${ctes.length ? Prisma.sql`WITH ${Prisma.join(ctes, ", ")}` : Prisma.empty}
    INSERT INTO "IngestDocument" ("facilityId", "sourceKey", "patientId", "localPatientId", "sourceFile", "sourceTimestamp", status, records, digest, body, "importedAt")
    SELECT ${e.facilityId}, ${e.sourceKey}, ${e.patientId}, ${e.localPatientId}, ${e.sourceFile}, ${e.sourceTimestamp}, ${e.status}, ${records}::jsonb, ${e.digest ?? null}, ${body}::jsonb,
           (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)
      FROM (SELECT ${event ? Prisma.sql`1` : chainLockIn(tx, e.patientId)}) AS chain_lock
    ON CONFLICT ("facilityId", "sourceKey") DO UPDATE SET
      "patientId" = EXCLUDED."patientId", "localPatientId" = EXCLUDED."localPatientId", "sourceFile" = EXCLUDED."sourceFile",
      "sourceTimestamp" = EXCLUDED."sourceTimestamp", status = EXCLUDED.status, records = EXCLUDED.records,
      digest = coalesce(EXCLUDED.digest, "IngestDocument".digest), body = coalesce(EXCLUDED.body, "IngestDocument".body), "importedAt" = EXCLUDED."importedAt"`;
  if (e.audit && !event) await recordAudit(tx, e.audit);
}
