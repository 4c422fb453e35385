import type { Messages } from "@/lib/i18n/messages";
import type { FacilityPage } from "@/lib/network";
import { isoDateTime } from "@/lib/format/dates";
import { TableHead } from "./TableHead";

/**
 * A facility's latest imports for the network administrator (and the facility's IT staff on the
 * phone with them): when, how, what, the counts, and each rejected or held file with its reason.
 * A run that never finished says so: silence must not read as "nothing happened".
 */
export function ImportLogTable({ imports, t }: { imports: FacilityPage["imports"]; t: Messages }) {
  const l = t.importLog;
  return (
    <section aria-labelledby="imports-title" className="rounded-lg border border-slate-300 bg-white p-4">
      <h2 id="imports-title" className="text-lg font-semibold">
        {l.title}
      </h2>
      <p className="mt-1 text-sm text-slate-700">{l.note}</p>
      {imports.length === 0 ? (
        <p className="mt-2 text-sm">{l.none}</p>
      ) : (
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-sm" data-testid="imports">
            <TableHead columns={[l.when, l.via, l.source, l.result]} />
            <tbody>
              {imports.map((i) => (
                <tr key={i.id} className="border-t border-slate-200 align-top">
                  <td className="p-2 whitespace-nowrap">{isoDateTime(i.startedAt)}</td>
                  <td className="p-2">{l.viaOf(i.via, i.by)}</td>
                  <td className="p-2 font-mono break-all">{i.source}</td>
                  <td className="p-2">
                    {i.finishedAt ? <span>{l.counts(i.counts)}</span> : <strong className="text-red-800">{l.unfinished}</strong>}
                    {i.warnings > 0 && <div className="text-amber-900">{l.warnings(i.warnings)}</div>}
                    {i.problems.length > 0 && (
                      <details className="mt-1">
                        <summary className="cursor-pointer font-semibold text-red-800">{l.problems(i.problems.length)}</summary>
                        <ul className="mt-1 list-disc space-y-1 pl-5">
                          {i.problems.map((p, n) => (
                            <li key={n}>
                              <span className="font-mono break-all">{p.file}</span>: {p.reason}
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
