import type { DrugStrip } from "@/lib/record";
import type { Messages } from "@/lib/i18n/messages";
import { AsNeeded } from "./AsNeeded";

/** Consecutive strips of one substance (drugStrips keeps them together), as one group each. */
function groupsOf(strips: DrugStrip[]): DrugStrip[][] {
  const groups: DrugStrip[][] = [];
  for (const s of strips) {
    const last = groups.at(-1);
    if (last && s.substance !== null && last[0]!.substance === s.substance) last.push(s);
    else groups.push([s]);
  }
  return groups;
}

/** A group's heading: the 一般名 and every ingredient code in it (a tablet's and a tape's differ). */
function heading(g: DrugStrip[], t: Messages): string {
  const codes = [...new Set(g.map((s) => s.ingredient).filter((c): c is string => c !== null))].sort();
  return codes.length ? t.meds.ingredientOf(g.find((s) => s.ingredientName)?.ingredientName ?? null, codes.join(" / ")) : t.meds.noIngredient;
}

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/**
 * One row per product, under its ingredient's heading, its supply periods as bars on a shared time
 * axis: gaps, overlaps and switches between prescribers are visible at a glance, and two brands of one
 * ingredient from two prescribers are two rows, never one. Each row names its prescribers and
 * pharmacies and carries the id that warnings link to. A 頓用 (as-needed) item has no supply of days:
 * its bar is the period the checks count it (PRN_CURRENT_DAYS), drawn faint, and the row is marked
 * 頓用, never 使用中. The table below holds the same facts in
 * text, so the bars are decorative for screen readers apart from their row label.
 */
export function DrugStrips({ strips, from, today, facilities, t }: { strips: DrugStrip[]; from: string | null; today: string; facilities: Record<string, string>; t: Messages }) {
  if (strips.length === 0) return null;
  const start = from ?? strips.flatMap((s) => s.windows.map((w) => w.start)).reduce((a, b) => (b < a ? b : a), today);
  const end = strips.flatMap((s) => s.windows.map((w) => w.end)).reduce((a, b) => (b > a ? b : a), today);
  const span = Math.max(1, dayNumber(end) - dayNumber(start) + 1);
  const names = (ids: string[]) => t.list(ids.map((id) => facilities[id] ?? id));
  const pct = (iso: string) => Math.min(100, Math.max(0, ((dayNumber(iso) - dayNumber(start)) / span) * 100));
  return (
    <section aria-labelledby="strips-title" className="rounded-lg border border-slate-300 bg-white p-3">
      <h2 id="strips-title" className="text-base font-semibold">
        {t.meds.strips}
        <span className="ml-2 font-mono text-sm font-normal text-slate-700">
          {start} 〜 {end}
        </span>
      </h2>
      <p className="mt-1 flex gap-4 text-xs text-slate-800">
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className="inline-block h-3 w-5 rounded-sm bg-emerald-600" />
          {t.patient.tag.PRESCRIPTION}
        </span>
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className="inline-block h-3 w-5 rounded-sm bg-sky-600" />
          {t.patient.tag.DISPENSE}
        </span>
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className="inline-block h-3 w-5 rounded-sm border border-slate-600 bg-slate-300" />
          {t.meds.asNeeded}
        </span>
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className="inline-block h-3 w-0.5 bg-red-700" />
          {today}
        </span>
      </p>
      <ul className="mt-2 space-y-2" data-testid="drug-strips">
        {groupsOf(strips).map((g) => (
          <li key={g[0]!.substance ?? g[0]!.key}>
            <h3 className="text-xs font-semibold text-slate-800">{heading(g, t)}</h3>
            <ul className="space-y-1">
              {g.map((s) => (
                // tabIndex -1: a warning's link moves the focus here, not only the scroll position
                <li
                  key={s.key}
                  id={s.anchor}
                  tabIndex={-1}
                  data-testid="drug-strip"
                  className="grid grid-cols-[minmax(8rem,16rem)_1fr] items-center gap-2 rounded text-sm target:bg-orange-50 target:ring-2 target:ring-orange-500 focus:outline-none"
                >
                  <span className="min-w-0">
                    <span className="block break-words font-medium">
                      {s.display}
                      {s.current && <span className="ml-1 rounded bg-emerald-100 px-1 text-xs font-semibold text-emerald-900">{t.meds.current}</span>}
                      {s.asNeeded && (
                        <span className="ml-1">
                          <AsNeeded t={t} />
                        </span>
                      )}
                    </span>
                    <span className="block text-xs text-slate-700">
                      {[s.prescribers.length ? t.meds.prescribedAt(names(s.prescribers)) : null, s.pharmacies.length ? t.meds.dispensedAt(names(s.pharmacies)) : null].filter(Boolean).join(" · ")}
                    </span>
                  </span>
                  <span className="relative h-5 rounded bg-slate-100" aria-hidden="true">
                    {s.windows.map((w, i) => (
                      <span
                        key={i}
                        title={`${w.start}〜${w.asNeeded ? ` ${t.meds.asNeeded}` : w.end} ${facilities[w.facilityId] ?? w.facilityId}`}
                        className={`absolute rounded-sm ${w.kind === "DISPENSE" ? "top-2.5 h-2" : "top-0.5 h-2"} ${
                          w.asNeeded ? "border border-slate-600 bg-slate-300" : w.kind === "DISPENSE" ? "bg-sky-600" : "bg-emerald-600"
                        }`}
                        style={{ left: `${pct(w.start)}%`, width: `max(2px, ${pct(w.end) - pct(w.start) + 100 / span}%)` }}
                      />
                    ))}
                    <span className="absolute top-0 h-5 w-0.5 bg-red-700" style={{ left: `${pct(today)}%` }} />
                  </span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

