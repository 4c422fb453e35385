import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import type { FileOutcome, FileStatus } from "./ssmix2-file";

/** What one import run did, file by file, in the counts an operator reads at the end. */
export interface ImportSummary {
  filesRead: number;
  counts: Record<FileStatus, number>;
  records: number;
  rejected: { file: string; reason: string }[];
  held: { file: string; reason: string }[];
  notImported: Record<string, number>;
  /** the first WARNINGS_KEPT data-quality warnings, file by file */
  warnings: { file: string; warning: string }[];
  /** every warning, counted, and by its code (BIRTH_DATE, R2152…): what a run of any size reports */
  warningCount: number;
  warningKinds: Record<string, number>;
}

/**
 * How many warnings a summary keeps word for word. A sender's systematic quirk warns on every record
 * (the JP-CLINS examples repeat an identifier): kept whole, a 100,000-file run's summary would grow
 * with it; its count and its code's count are kept instead, so memory stays flat.
 */
export const WARNINGS_KEPT = 1000;

/** A warning's code: its first word before the colon (BIRTH_DATE, R2152), or the whole text. */
const warningKind = (w: string) => /^([A-Za-z0-9_.-]{1,60}):/.exec(w)?.[1] ?? w.slice(0, 60);

export class IngestRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export const emptySummary = (): ImportSummary => ({
  filesRead: 0,
  counts: { created: 0, replaced: 0, deleted: 0, unchanged: 0, superseded: 0, held: 0, rejected: 0, not_imported: 0 },
  records: 0,
  rejected: [],
  held: [],
  notImported: {},
  warnings: [],
  warningCount: 0,
  warningKinds: {},
});

export function addOutcome(summary: ImportSummary, o: FileOutcome) {
  summary.filesRead++;
  summary.counts[o.status]++;
  summary.records += o.records;
  if (o.status === "rejected") summary.rejected.push({ file: o.file, reason: o.reason ?? "" });
  if (o.status === "held") summary.held.push({ file: o.file, reason: o.reason ?? "" });
  if (o.status === "not_imported") summary.notImported[o.reason ?? ""] = (summary.notImported[o.reason ?? ""] ?? 0) + 1;
  for (const w of o.warnings) {
    summary.warningCount++;
    const kind = warningKind(w);
    summary.warningKinds[kind] = (summary.warningKinds[kind] ?? 0) + 1;
    if (summary.warnings.length < WARNINGS_KEPT) summary.warnings.push({ file: o.file, warning: w });
  }
}

/** A database failure mid-file rolled that file back: say so, and let the run go on with the next. */
export const failedOutcome = (file: string, e: unknown): FileOutcome => ({ file, status: "rejected", reason: `ERROR: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`, records: 0, warnings: [] });

/**
 * The import log the administration screen lists: one row per run (a CLI import, one API push),
 * opened when it starts so that a run killed midway still shows, with what it had done so far.
 */
export async function openImportLog(db: Db, run: { facilityId: string; via: "CLI" | "API"; by: string; source: string }): Promise<string> {
  const id = `imp-${randomUUID()}`;
  await db.importLog.create({ data: { id, ...run, startedAt: new Date(), counts: {}, problems: [] } });
  return id;
}

export async function closeImportLog(db: Db, id: string, s: ImportSummary) {
  // the first 200 problems: enough to act on, bounded for a 100,000-file run gone wrong
  const problems = [...s.rejected.map((r) => ({ ...r, status: "rejected" })), ...s.held.map((r) => ({ ...r, status: "held" }))].slice(0, 200);
  await db.importLog.update({ where: { id }, data: { finishedAt: new Date(), counts: { ...s.counts, records: s.records, files: s.filesRead }, problems, warnings: s.warningCount } });
}
