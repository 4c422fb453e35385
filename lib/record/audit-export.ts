import { getDb } from "../db/client";
import { now } from "../clock";
import { auditExportMaxRows } from "../env";
import { auditActorOf, recordAuditNow } from "../audit";
import type { Actor } from "../auth/actor";
import { CSV_BOM, csvLine } from "../format/csv";
import { jstDateTimeSeconds } from "../format/dates";
import { balpAuditEvent } from "../interop/fhir/balp-audit-event";
import { auditPage, auditRow, exportFilters, facilityNames, requireAuditSearch, type AuditRow, type Cursor } from "./audit-search";
import { InvalidInputError } from "./errors";

/**
 * The filtered audit trail as a file, streamed: read a page, write it, read the next, so a million
 * rows use the memory of one page. Before the first byte the matching rows are counted (up to the
 * configured maximum and one more): beyond the maximum the export is refused whole, never cut short.
 * The export is pinned to the events that existed when it began (seq ≤ the newest), so the count and
 * the rows written agree while the network keeps writing.
 */

export type AuditExportFormat = "csv" | "fhir";

export class ExportTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the export is limited to ${limit} rows`);
  }
}

export interface AuditExport {
  filename: string;
  contentType: string;
  rows: number;
  body: ReadableStream<Uint8Array>;
}

/** The columns of the CSV: a Japanese heading with the field's name, so people and programs both read it. */
const CSV_COLUMNS: [string, (r: AuditRow) => string | number | null][] = [
  ["通番 seq", (r) => r.seq],
  ["日時 at", (r) => r.at],
  ["日本時間 atJst", (r) => jstDateTimeSeconds(r.at)],
  ["利用者ID actorId", (r) => r.actorId],
  ["氏名 actorName", (r) => r.actorName],
  ["職種 actorProfession", (r) => r.actorProfession],
  ["施設ID facilityId", (r) => r.facilityId],
  ["施設名 facilityName", (r) => r.facilityName],
  ["操作 action", (r) => r.action],
  ["患者ID patientId", (r) => r.patientId],
  ["目的 purpose", (r) => r.purpose],
  ["結果 outcome", (r) => r.outcome],
  ["詳細 detail", (r) => (r.detail === null ? null : JSON.stringify(r.detail))],
  ["チェーン chain", (r) => r.chain],
  ["チェーン内番号 chainSeq", (r) => r.chainSeq],
  ["前のハッシュ prevHash", (r) => r.prevHash],
  ["ハッシュ hash", (r) => r.hash],
];

const FORMATS: Record<AuditExportFormat, { contentType: string; extension: string; head: string; line: (r: AuditRow) => string }> = {
  csv: { contentType: "text/csv; charset=utf-8", extension: "csv", head: CSV_BOM + csvLine(CSV_COLUMNS.map(([h]) => h)), line: (r) => csvLine(CSV_COLUMNS.map(([, v]) => v(r))) },
  // FHIR bulk data's newline-delimited JSON: one AuditEvent a line, so a reader streams it too
  fhir: { contentType: "application/fhir+ndjson", extension: "ndjson", head: "", line: (r) => `${JSON.stringify(balpAuditEvent(r))}\n` },
};

/** How many rows are read and written at a time. */
export const EXPORT_PAGE_SIZE = 1000;

const isFormat = (f: unknown): f is AuditExportFormat => typeof f === "string" && Object.hasOwn(FORMATS, f);

/**
 * The export for an administrator. The caller is authorised before anything of the query is read, so a
 * refused caller learns nothing of the parameters (not even that `format` is one), and is audited.
 */
export async function exportAudit(actor: Actor, input: Record<string, unknown>, format: unknown, opts: { pageSize?: number; maxRows?: number } = {}): Promise<AuditExport> {
  await requireAuditSearch(actor, "AUDIT_EXPORT", "audit-export");
  if (!isFormat(format)) throw new InvalidInputError("format", "format must be csv or fhir");
  const db = await getDb();
  const at = now();
  const max = opts.maxRows ?? auditExportMaxRows();
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  const upTo = (await db.auditEvent.aggregate({ _max: { seq: true } }))._max.seq ?? 0n;
  const { where, filters } = await exportFilters(input, db, upTo);
  // counting stops one past the maximum: a refusal need not count a million rows
  const rows = await db.auditEvent.count({ where, take: max + 1 });
  const record = (outcome: "SUCCESS" | "FAILURE", detail: Record<string, unknown>) =>
    recordAuditNow(db, { actor: auditActorOf(actor), action: "AUDIT_EXPORT", outcome, patientId: filters.patient ?? null, purpose: "ADMINISTRATION", at, detail: { what: "audit-export", format, filters, ...detail } });
  if (rows > max) {
    await record("FAILURE", { reason: "EXPORT_TOO_LARGE", limit: max });
    throw new ExportTooLargeError(max);
  }
  await record("SUCCESS", { rows, upTo: upTo.toString() });

  const names = await facilityNames(db);
  const f = FORMATS[format];
  const encoder = new TextEncoder();
  let after: Cursor | undefined;
  let headWritten = false;
  const body = new ReadableStream<Uint8Array>({
    // pulled as the client reads: one page in memory at a time, and a slow client slows the reads
    async pull(controller) {
      if (!headWritten) {
        headWritten = true;
        if (f.head) return controller.enqueue(encoder.encode(f.head));
      }
      const page = await auditPage(db, where, after, pageSize);
      if (page.length > 0) {
        controller.enqueue(encoder.encode(page.map((e) => f.line(auditRow(e, names))).join("")));
        const last = page.at(-1)!;
        after = { at: last.at, seq: last.seq };
      }
      if (page.length < pageSize) controller.close();
    },
  });
  // Japan time, as every date in the file and on the screen: an export at 07:54 JST is filed under that day, not the previous one in UTC
  const stamp = jstDateTimeSeconds(at).replace(/[-:]/g, "").replace(" ", "-");
  return { filename: `tsunagu-audit-${stamp}.${f.extension}`, contentType: f.contentType, rows, body };
}
