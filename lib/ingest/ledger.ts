import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import { auditEventCte, chainLockIn, chainLockOf, chainLockTaken, recordAudit, type AuditInput } from "../audit";
import type { Recs } from "./records";
import type { RecordRows } from "./record-rows";
import type { PendingWrites } from "./pending-writes";
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
export async function lookupFiling(tx: Tx, facilityId: string, localPatientId: string, sourceKey: string, ahead?: FilingsAhead): Promise<{ link: FoundLink | null; found: LedgerEntry | null }> {
  const answered = ahead?.answer(facilityId, localPatientId, sourceKey);
  if (answered) return answered;
  const [r] = await tx.$queryRaw<Row[]>`
    SELECT ${LINK_COLUMNS}, d."patientId" AS "docPatientId", d."sourceFile", d."sourceTimestamp", d.digest, d.status, d.records
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (${linkRow(facilityId, localPatientId)}) AS k ON true
      LEFT JOIN "IngestDocument" d ON d."facilityId" = ${facilityId} AND d."sourceKey" = ${sourceKey}`;
  const link = r ? linkOf(r) : null;
  if (link) chainLockTaken(tx, link.patientId);
  const found: LedgerEntry | null =
    r?.docPatientId
      ? { patientId: r.docPatientId, sourceFile: r.sourceFile!, sourceTimestamp: r.sourceTimestamp!, digest: r.digest, status: r.status!, records: jsonValue(r.records) as Recs }
      : null;
  return { link, found };
}

/**
 * A batch's filings read ahead (lib/ingest/batches): the link of one patient id and the ledger
 * entries under the keys of the batch's documents, in one statement at the batch's start, instead of
 * lookupFiling's statement per document. It answers what lookupFiling would, as long as it can be
 * sure: for that patient id and those keys only, while the link is there (a document that links the
 * patient asks the database), and with each entry as the batch itself left it (`filed`). The link's
 * patient's audit chain is locked by the same statement, as lookupFiling does, and stays locked to the
 * transaction's end: no other writer of this patient runs between the read and the batch's writes.
 */
export class FilingsAhead {
  private constructor(
    private readonly facilityId: string,
    private readonly localPatientId: string,
    private readonly link: FoundLink | null,
    private readonly entries: Map<string, LedgerEntry | null>,
  ) {}

  static async read(tx: Tx, facilityId: string, localPatientId: string, sourceKeys: readonly string[]): Promise<FilingsAhead> {
    const [r] = await tx.$queryRaw<(Omit<Row, "docPatientId" | "sourceFile" | "sourceTimestamp" | "digest" | "status" | "records"> & { docs: unknown })[]>`
      SELECT ${LINK_COLUMNS},
             (SELECT coalesce(json_agg(json_build_object('sourceKey', d."sourceKey", 'patientId', d."patientId", 'sourceFile', d."sourceFile", 'sourceTimestamp', d."sourceTimestamp",
                                                         'digest', d.digest, 'status', d.status, 'records', d.records)), '[]')
                FROM "IngestDocument" d WHERE d."facilityId" = ${facilityId} AND d."sourceKey" = ANY(${[...sourceKeys]}::text[])) AS docs
        FROM (SELECT 1) AS one
        LEFT JOIN LATERAL (${linkRow(facilityId, localPatientId)}) AS k ON true`;
    const link = r ? linkOf(r) : null;
    if (link) chainLockTaken(tx, link.patientId);
    const entries = new Map<string, LedgerEntry | null>(sourceKeys.map((k) => [k, null]));
    for (const d of jsonValue(r?.docs ?? "[]") as (LedgerEntry & { sourceKey: string })[]) {
      const { sourceKey, ...entry } = d;
      entries.set(sourceKey, entry);
    }
    return new FilingsAhead(facilityId, localPatientId, link, entries);
  }

  /** lookupFiling's answer, or null when it must be asked of the database. */
  answer(facilityId: string, localPatientId: string, sourceKey: string): { link: FoundLink; found: LedgerEntry | null } | null {
    if (!this.link || facilityId !== this.facilityId || localPatientId !== this.localPatientId || !this.entries.has(sourceKey)) return null;
    return { link: this.link, found: this.entries.get(sourceKey)! };
  }

  /** What a document of the batch wrote under its key (a digest not given is kept, as writeLedger does), for a later one under the same key. */
  filed(sourceKey: string, entry: Omit<LedgerEntry, "digest"> & { digest?: string }): void {
    if (!this.entries.has(sourceKey)) return;
    this.entries.set(sourceKey, { ...entry, digest: entry.digest ?? this.entries.get(sourceKey)?.digest ?? null });
  }

  /** A document changed entries it does not name by its own key (an SS-MIX2 cancel, a FHIR document's deletions): ask the database from now on. */
  forget(): void {
    this.entries.clear();
  }
}

/** What linkRow gives, as the statements that join it (`k`) select it. */
const LINK_COLUMNS = Prisma.raw(`k."patientId", k.id, k."branchNumber", k."sentBirthDates", k."sentSexes", k."vouchedBranches", k."birthDate", k.sex, k."insuredBranch", k."chainLocked"`);

/** The link of (facility, the facility's patient id), its patient, and its audit chain's lock taken: a lateral subquery. */
const linkRow = (facilityId: string, localPatientId: string) => Prisma.sql`
  SELECT l."patientId", l.id, l."branchNumber", l."sentBirthDates", l."sentSexes", l."vouchedBranches", p."birthDate", p.sex::text AS sex, p."insuredBranch",
         ${chainLockOf(Prisma.sql`l."patientId"`)} IS NULL AS "chainLocked"
    FROM "PatientLink" l JOIN "Patient" p ON p.id = l."patientId"
   WHERE l."facilityId" = ${facilityId} AND l."localPatientId" = ${localPatientId}
   LIMIT 1`;

function linkOf(r: Pick<Row, "patientId" | "id" | "branchNumber" | "sentBirthDates" | "sentSexes" | "vouchedBranches" | "birthDate" | "sex" | "insuredBranch">): FoundLink | null {
  if (!r.patientId || !r.id) return null;
  return {
    patientId: r.patientId,
    id: r.id,
    branchNumber: r.branchNumber,
    sentBirthDates: r.sentBirthDates ?? [],
    sentSexes: r.sentSexes ?? [],
    vouchedBranches: vouchesOf(r.vouchedBranches),
    patient: { id: r.patientId, birthDate: utcDate(r.birthDate!), sex: r.sex!, insuredBranch: r.insuredBranch },
  };
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
 * after the lock is held). A FHIR entry keeps its digest and body (JSON text); an SS-MIX2 one has neither, and a
 * rewrite keeps what is there. In a batch (`writes`, lib/ingest/pending-writes) that statement is held
 * and sent with the batch's other documents' as one.
 */
export async function writeLedger(
  tx: Tx,
  e: { facilityId: string; sourceKey: string; patientId: string; localPatientId: string; sourceFile: string; sourceTimestamp: string; status: string; records: Recs; digest?: string; body?: string; rows?: RecordRows; audit?: AuditInput },
  ahead?: FilingsAhead,
  writes?: PendingWrites,
): Promise<void> {
  const records = JSON.stringify(e.records);
  const body = e.body ?? null; // JSON text already
  const entry = (lock: Prisma.Sql) => Prisma.sql`
    INSERT INTO "IngestDocument" ("facilityId", "sourceKey", "patientId", "localPatientId", "sourceFile", "sourceTimestamp", status, records, digest, body, "importedAt")
    SELECT ${e.facilityId}, ${e.sourceKey}, ${e.patientId}, ${e.localPatientId}, ${e.sourceFile}, ${e.sourceTimestamp}, ${e.status}, ${records}::jsonb, ${e.digest ?? null}, ${body}::jsonb,
           (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)
      FROM (SELECT ${lock}) AS chain_lock
    ON CONFLICT ("facilityId", "sourceKey") DO UPDATE SET
      "patientId" = EXCLUDED."patientId", "localPatientId" = EXCLUDED."localPatientId", "sourceFile" = EXCLUDED."sourceFile",
      "sourceTimestamp" = EXCLUDED."sourceTimestamp", status = EXCLUDED.status, records = EXCLUDED.records,
      digest = coalesce(EXCLUDED.digest, "IngestDocument".digest), body = coalesce(EXCLUDED.body, "IngestDocument".body), "importedAt" = EXCLUDED."importedAt"`;
  const filed = () => ahead?.filed(e.sourceKey, { patientId: e.patientId, sourceFile: e.sourceFile, sourceTimestamp: e.sourceTimestamp, status: e.status, records: e.records, ...(e.digest ? { digest: e.digest } : {}) });
  if (writes && e.audit) {
    // held for the batch's write statement, its event hashed on the one held before it on its chain
    if (!writes.mayHold(e.sourceKey, e.rows)) await writes.flush();
    const prefix = writes.nextPrefix();
    const event = auditEventCte(tx, `${prefix}audit`, e.audit, writes.eventBefore(e.audit.patientId ?? null));
    if (event) {
      const rows = e.rows?.ctes(prefix);
      writes.hold(e.sourceKey, e.records, [...(rows ? [rows] : []), event, Prisma.sql`${Prisma.raw(`${prefix}ledger`)} AS (${entry(Prisma.sql`1`)})`], e.audit.patientId ?? null, `${prefix}audit`);
      filed();
      return;
    }
  }
  const event = e.audit ? auditEventCte(tx, "audit_event", e.audit) : null;
  const ctes = [e.rows?.ctes(), event].filter((c): c is Prisma.Sql => !!c);
  await tx.$executeRaw`
    ${ctes.length ? Prisma.sql`WITH ${Prisma.join(ctes, ", ")}` : Prisma.empty}
    ${entry(event ? Prisma.sql`1` : chainLockIn(tx, e.patientId))}`;
  if (e.audit && !event) await recordAudit(tx, e.audit);
  filed();
}
