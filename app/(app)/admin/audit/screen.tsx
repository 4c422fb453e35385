import type { ReactNode } from "react";
import Link from "next/link";
import type { Actor } from "@/lib/auth/actor";
import type { Locale, Messages } from "@/lib/i18n/messages";
import { FILTER_KEYS, facilityDirectory, outcomeOf, searchAudit, type AuditFilterText, type AuditSearchResult } from "@/lib/record";
import { auditExportMaxRows } from "@/lib/env";
import { isoDateTime } from "@/lib/format/dates";
import { AuditFilters } from "@/components/AuditFilters";
import { AuditPatientByCard } from "@/components/AuditPatientByCard";
import { AuditVerifyPanel } from "@/components/AuditVerifyPanel";
import { Notice } from "@/components/Notice";

type Params = Record<string, string | string[] | undefined>;

/** The filters as a query string (for the next page and the export links). */
export function filterQuery(filters: AuditFilterText, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(extra);
  for (const k of FILTER_KEYS) if (filters[k]) q.set(k, filters[k]!);
  return q.toString();
}

/**
 * A refusal of the audit pages (not the network administrator, or a half-finished login) as the
 * screen shows it, with its reason; anything else is rethrown (a missing event is the caller's).
 */
export function refusalScreen(e: unknown, t: Messages): ReactNode {
  const o = outcomeOf(e);
  if (o?.kind === "denied" || o?.kind === "unauthenticated") return <p role="alert">{t.denied.reasons[o.kind === "denied" ? o.reason : o.code] ?? t.admin.refused}</p>;
  throw e;
}

/** The value of each filter as typed, for showing the form again after a malformed one. */
const typed = (sp: Params): AuditFilterText => Object.fromEntries(FILTER_KEYS.flatMap((k) => (typeof sp[k] === "string" ? [[k, sp[k]]] : [])));

/**
 * The audit search page for one actor and query: the refusal, the form with its errors, or the form
 * with a page of results. Separate from the page's session lookup so that a test can render it for
 * any actor.
 */
export async function auditSearchScreen(actor: Actor, locale: Locale, t: Messages, sp: Params): Promise<ReactNode> {
  const a = t.auditLog;
  let result: AuditSearchResult | null = null;
  let errors: Record<string, string> = {};
  try {
    result = await searchAudit(actor, sp);
  } catch (e) {
    const o = outcomeOf(e);
    if (o?.kind !== "invalid") return refusalScreen(e, t);
    errors = o.fields;
  }
  const values = result?.filters ?? typed(sp);
  const max = auditExportMaxRows().toLocaleString(locale === "ja" ? "ja-JP" : "en-US");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{a.title}</h1>
      <p className="text-slate-800">{a.intro}</p>
      {Object.keys(errors).length > 0 && <Notice tone="error">{t.error.invalidInput}</Notice>}
      <AuditFilters t={t} values={values} errors={errors} facilities={result?.facilities ?? Object.entries(await facilityDirectory()).map(([id, name]) => ({ id, name }))} />
      <AuditPatientByCard locale={locale} />
      {result && <AuditResults t={t} result={result} paged={typeof sp.cursor === "string"} />}
      {result && (
        <section aria-labelledby="audit-export-title" className="rounded-lg border border-slate-300 bg-white p-4">
          <h2 id="audit-export-title" className="text-lg font-semibold">
            {a.exportTitle}
          </h2>
          <p className="mt-1 text-sm text-slate-700">{a.exportNote(max)}</p>
          {sp.exportRefused === "EXPORT_TOO_LARGE" && (
            <div className="mt-2">
              <Notice tone="error">{a.tooLarge(max)}</Notice>
            </div>
          )}
          {/* no download attribute: the file comes as an attachment, and a refusal comes back to this page */}
          <p className="mt-2 flex flex-wrap gap-4">
            <a href={`/api/admin/audit/export?${filterQuery(result.filters, { format: "csv" })}`} className="font-semibold text-blue-800 underline">
              {a.exportCsv}
            </a>
            <a href={`/api/admin/audit/export?${filterQuery(result.filters, { format: "fhir" })}`} className="font-semibold text-blue-800 underline">
              {a.exportFhir}
            </a>
          </p>
        </section>
      )}
      {result && <AuditVerifyPanel locale={locale} />}
    </div>
  );
}

function AuditResults({ t, result, paged }: { t: Messages; result: AuditSearchResult; paged: boolean }) {
  const a = t.auditLog;
  const f = a.fields;
  return (
    <section aria-labelledby="audit-results-title" className="space-y-2">
      <h2 id="audit-results-title" className="text-lg font-semibold">
        {a.resultsTitle}
      </h2>
      {result.events.length === 0 ? (
        <p>{a.none}</p>
      ) : (
        <>
          <p className="text-sm text-slate-700">{a.shown(result.events.length)}</p>
          {/* relative: the header's sr-only label is positioned absolutely; without a positioned scroll box it
              escapes the box's clipping and widens the whole page on a phone once the table is wider than it */}
          <div className="relative overflow-x-auto rounded-lg border border-slate-300 bg-white">
            <table className="w-full text-sm" data-testid="audit-events">
              <thead className="text-left text-slate-700">
                <tr>
                  <th className="p-2 font-semibold">{f.at}</th>
                  <th className="p-2 font-semibold">{f.actorName}</th>
                  <th className="p-2 font-semibold">{f.facility}</th>
                  <th className="p-2 font-semibold">{f.action}</th>
                  <th className="p-2 font-semibold">{f.patientId}</th>
                  <th className="p-2 font-semibold">{f.purpose}</th>
                  <th className="p-2 font-semibold">{f.outcome}</th>
                  <th className="p-2 font-semibold">
                    <span className="sr-only">{a.open}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.events.map((e) => (
                  <tr key={e.seq} className={`border-t border-slate-200 align-top ${e.outcome === "DENY" || e.outcome === "FAILURE" ? "bg-red-50" : ""}`} data-seq={e.seq}>
                    <td className="whitespace-nowrap p-2">{isoDateTime(e.at)}</td>
                    <td className="p-2">
                      {e.actorName ?? t.dash}
                      <span className="block text-xs text-slate-700">{e.actorProfession ? (t.admin.professions[e.actorProfession] ?? e.actorProfession) : ""}</span>
                    </td>
                    <td className="p-2">{e.facilityName ?? e.facilityId ?? t.dash}</td>
                    <td className="p-2">{a.actions[e.action] ?? e.action}</td>
                    <td className="p-2 font-mono">{e.patientId ?? t.dash}</td>
                    <td className="p-2">{e.purpose ? (t.report.purposes[e.purpose] ?? e.purpose) : t.dash}</td>
                    <td className="p-2">{t.report.outcomes[e.outcome] ?? e.outcome}</td>
                    <td className="p-2">
                      <Link href={`/admin/audit/${e.seq}`} className="text-blue-800 underline" aria-label={a.openLabel(e.seq)}>
                        {a.open}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <nav aria-label={a.resultsTitle} className="flex gap-4 text-sm">
        {paged && (
          <Link href={`/admin/audit?${filterQuery(result.filters)}`} className="font-semibold text-blue-800 underline">
            {a.newest}
          </Link>
        )}
        {result.next && (
          <Link href={`/admin/audit?${filterQuery(result.filters, { cursor: result.next })}`} className="font-semibold text-blue-800 underline">
            {a.older}
          </Link>
        )}
      </nav>
    </section>
  );
}
