import type { Tx } from "../db/client";
import type { Transactor } from "./batches";
import type { StorageKey } from "../interop/ssmix2/storage";
import { hl7Time } from "../interop/hl7v2/datetime";
import { importedEvent } from "./system-actor";
import { removeRecords, type Recs } from "./records";
import { resolvePatient, type SourceIdentity } from "./patient-identity";
import { lookupFiling, writeLedger } from "./ledger";
import type { IngestSource } from "./source";
import { RecordRows } from "./record-rows";

export type FileStatus = "created" | "replaced" | "deleted" | "unchanged" | "superseded" | "held" | "rejected" | "not_imported";

export interface FileOutcome {
  file: string;
  status: FileStatus;
  /** why, for rejected, held, superseded and not_imported files, and for a deletion of nothing */
  reason?: string;
  records: number;
  /** data-quality warnings: imported, but an administrator should look */
  warnings: string[];
}

export const fileOutcome = (file: string, status: FileStatus, reason?: string, records = 0, warnings: string[] = []): FileOutcome => ({ file, status, ...(reason ? { reason } : {}), records, warnings });

/** An SS-MIX2 document's resend key: (patient, 診療日, kind, order number or 特定キー), as its file name says. */
export const storageSourceKey = (k: StorageKey) => `ss2|${k.patientId}|${k.date ?? "-"}|${k.kind}|${k.orderNo ?? "-"}`;

/** When a record without its own time happened: the file's 診療日 (in Japan), else the time the file was made. */
export const storageFallbackTime = (k: StorageKey): Date => (k.date ? new Date(`${k.date}T00:00:00+09:00`) : (hl7Time(k.timestamp.slice(0, 14)) ?? new Date()));

/** What the filing hands a format's writer: whose, under which key, what was filed before. */
export interface StorageFiling {
  patientId: string;
  sourceKey: string;
  /** the document last filed under this key, if any (its file, for a cancel that names it) */
  existing: { sourceFile: string } | null;
  /** what it produced, already removed */
  previous: Recs;
  /** the file's data-quality warnings, to add to */
  warnings: string[];
  /** the rows it files, written with its ledger entry */
  rows: RecordRows;
}

export type StorageWriter = (tx: Tx, f: StorageFiling) => Promise<{ records: Recs; cancelled?: string | null }>;

/**
 * One SS-MIX2 storage document (a standardized-storage file, or an extended-storage main document,
 * HL7 or CDA), in one transaction: it lands whole or not at all, with its audit event (written with
 * its records and ledger entry, lib/ingest/ledger writeLedger). Its patient is
 * resolved exactly (an unlinked one is held, not guessed; a birth date or sex that disagrees with the
 * linked patient is a warning), then the condition flag decides: a file older than the one filed
 * under its key is superseded, the same file again changes nothing, a newer one replaces what the
 * last produced, and flag 0 deletes it. The format's own checks (the id inside agrees with the
 * folder's, its kind) come before, in its reader.
 */
export async function fileStorageDocument(db: Transactor, source: IngestSource, relative: string, key: StorageKey, doc: { identity: SourceIdentity; format: string; warnings?: string[] }, write: StorageWriter): Promise<FileOutcome> {
  const sourceKey = storageSourceKey(key);
  return db.$transaction(async (tx) => {
    const { link, found } = await lookupFiling(tx, source.facilityId, doc.identity.localId, sourceKey, db.ahead);
    const who = await resolvePatient(tx, source, doc.identity, relative, { link });
    if ("held" in who) return fileOutcome(relative, "held", who.held);
    const { patientId } = who;
    const warnings = [...who.warnings, ...(doc.warnings ?? [])];

    // a document whose link was undone starts again: its records left with the link
    const existing = found?.status === "UNLINKED" ? null : found;
    if (existing && existing.sourceTimestamp > key.timestamp) return fileOutcome(relative, "superseded", `an older file than the one imported (${existing.sourceTimestamp})`, 0, warnings);
    if (existing && existing.sourceTimestamp === key.timestamp && existing.sourceFile === relative && (existing.status === "DELETED") === (key.flag === 0)) return fileOutcome(relative, "unchanged", undefined, 0, warnings);
    const previous = (existing?.records ?? []) as Recs;
    await removeRecords(tx, patientId, previous);

    let records: Recs = [];
    let cancelled: string | null = null;
    const rows = new RecordRows();
    if (key.flag === 0) {
      if (!existing) warnings.push("DELETE_UNKNOWN: a deletion of a document never imported");
    } else {
      const written = await write(tx, { patientId, sourceKey, existing, previous, warnings, rows });
      records = written.records;
      cancelled = written.cancelled ?? null;
      if (cancelled) db.ahead?.forget(); // the cancelled document's entry changed too
    }
    const status: FileStatus = key.flag === 0 ? "deleted" : existing ? "replaced" : "created";
    const audit = importedEvent(source, patientId, { format: doc.format, file: relative, kind: key.kind, status, records: records.length, removed: previous.length, warnings, ...(cancelled ? { cancelled } : {}) });
    await writeLedger(tx, { facilityId: source.facilityId, sourceKey, patientId, localPatientId: key.patientId, sourceFile: relative, sourceTimestamp: key.timestamp, status: key.flag === 0 ? "DELETED" : "CURRENT", records, rows, audit }, db.ahead, db.writes);
    return fileOutcome(relative, status, undefined, records.length, warnings);
  });
}
