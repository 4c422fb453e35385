import type { Messages } from "@/lib/i18n/messages";
import { isRecordKind } from "@/lib/format/record-kinds";
import { FILTER_KEYS, type TimelineFilterValues } from "./Timeline";

/**
 * What the timeline is filtered by, in words, right above it. A record-map click filters the timeline
 * without touching anything the clinician sees near it, and a filtered timeline read as the whole
 * record hides what it leaves out: so every active filter is a chip that names it and removes it.
 */
export function TimelineFilterChips({
  filters,
  onChange,
  facilities,
  t,
}: {
  filters: TimelineFilterValues;
  onChange: (f: TimelineFilterValues) => void;
  facilities: Record<string, string>;
  t: Messages;
}) {
  const active = FILTER_KEYS.filter((k) => filters[k]);
  if (active.length === 0) {
    return (
      <p className="text-sm text-slate-700" data-testid="filter-chips">
        {t.filters.showingAll}
      </p>
    );
  }
  const label = (k: (typeof FILTER_KEYS)[number], v: string) => t.filters.chip[k](k === "facility" ? (facilities[v] ?? v) : k === "kinds" ? (isRecordKind(v) ? t.patient.kind[v] : v) : v);
  return (
    <div role="status" className="flex flex-wrap items-center gap-2 rounded border border-amber-500 bg-amber-50 px-3 py-2 text-sm" data-testid="filter-chips">
      <span className="font-semibold text-amber-950">{t.filters.active}:</span>
      {active.map((k) => {
        const text = label(k, filters[k]!);
        return (
          <span key={k} className="inline-flex items-center gap-1 rounded-full border border-slate-500 bg-white py-0.5 pr-1 pl-3 text-slate-900" data-filter={k}>
            {text}
            <button
              type="button"
              aria-label={t.filters.removeOne(text)}
              onClick={() => onChange({ ...filters, [k]: undefined })}
              className="rounded-full px-1.5 font-bold text-slate-700 hover:bg-slate-200"
            >
              ×
            </button>
          </span>
        );
      })}
      <button type="button" onClick={() => onChange({})} className="font-semibold text-blue-800 underline">
        {t.filters.clearAll}
      </button>
    </div>
  );
}
