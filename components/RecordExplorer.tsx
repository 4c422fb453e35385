"use client";

import { useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { messages, type Locale } from "@/lib/i18n/messages";
import type { MapPeriod, TimelinePage } from "@/lib/record";
import type { SourceMismatch } from "@/lib/record/last-received";
import { mapCellKey as cellKey, mapGrid, unpackMap, type PackedMap } from "@/lib/format/record-map";
import { axisWithGaps } from "@/lib/format/map-gaps";
import { isoDate } from "@/lib/format/dates";
import type { RecordKind } from "@/lib/format/record-kinds";
import { FILTER_KEYS, Timeline, type TimelineFilterValues } from "./Timeline";
import { TimelineFilterChips } from "./TimelineFilterChips";
import { moveInGrid } from "./grid-navigation";
import { useHydrated } from "./use-hydrated";
import { throwIfRefused } from "./refused-fetch";
import { useEndOnRefusal } from "./RecordScreenGuard";
import { ADDRESS_REPLACED } from "./StaleRecord";

type Zoom = MapPeriod;

async function fetchMonthlyMap(patientId: string): Promise<PackedMap> {
  const res = await fetch(`/api/patients/${encodeURIComponent(patientId)}/record-map`, { cache: "no-store" });
  await throwIfRefused(res);
  if (!res.ok) throw new Error(String(res.status));
  return res.json();
}


/** The filters in the page's address, so that Back from a document returns to the same filtered timeline. */
function filtersFrom(params: URLSearchParams): TimelineFilterValues {
  return Object.fromEntries(FILTER_KEYS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
}

/**
 * The map's zoom, when the clinician chose the other one than the server's: kept in the address with
 * the filters, so that Back from a document returns to the month map a month's cell was clicked on
 * (review 13), not to the years.
 */
const ZOOM_KEY = "map";
function zoomFrom(params: URLSearchParams): Zoom | null {
  const z = params.get(ZOOM_KEY);
  return z === "month" || z === "year" ? z : null;
}

function writeToAddress(f: TimelineFilterValues, zoom: Zoom | null) {
  const params = new URLSearchParams(Object.entries(f).filter((e): e is [string, string] => Boolean(e[1])));
  if (zoom) params.set(ZOOM_KEY, zoom);
  const query = params.toString();
  // replaceState, not router.replace: the address changes without a server round trip (and without
  // another audited read); Next.js keeps useSearchParams in step with it.
  window.history.replaceState(window.history.state, "", query ? `?${query}` : window.location.pathname);
  window.dispatchEvent(new Event(ADDRESS_REPLACED));
}

function firstDayOf(period: string): string {
  return period.length === 4 ? `${period}-01-01` : `${period}-01`;
}

function lastDayOf(period: string): string {
  if (period.length === 4) return `${period}-12-31`;
  const [y, m] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/**
 * The record map (facilities × periods, one small mark per record kind) above the filterable timeline.
 * Clicking a cell filters the timeline to that facility and that period. The map is one
 * tab stop (a roving tabindex, as in the WAI-ARIA grid pattern): arrow keys, Home and End move between
 * its cells, Enter or Space opens one, and the next Tab leaves the map.
 */
export function RecordExplorer({
  patientId,
  map,
  initial,
  facilities,
  kinds,
  locale,
  lastReceived = {},
  sourceMismatches = {},
}: {
  patientId: string;
  map: PackedMap;
  /** facility id → when it last sent this patient's data */
  lastReceived?: Record<string, string>;
  /** facility id → the birth dates and sexes its files gave that differ from the patient's */
  sourceMismatches?: Record<string, SourceMismatch>;
  initial: TimelinePage;
  facilities: Record<string, string>;
  kinds: readonly RecordKind[];
  locale: Locale;
}) {
  const t = messages[locale];
  const hydrated = useHydrated();
  // The server sends months for a short record and years for a long one; a long record's months are
  // fetched the first time the clinician asks for them.
  const address = useSearchParams();
  const [zoom, setZoomState] = useState<Zoom>(() => zoomFrom(address) ?? map.by);
  // in the address only when it is not what the server draws anyway
  const zoomAsked = (z: Zoom) => (z === map.by ? null : z);
  const needsMonths = zoom === "month" && map.by === "year";
  // a year-only date (発症 2018) on the month map: a column of its own ("2018"), not January's
  const yearOnly = (period: string) => zoom !== "year" && period.length === 4;
  const months = useQuery({ queryKey: ["record-map", patientId], queryFn: () => fetchMonthlyMap(patientId), enabled: needsMonths, staleTime: Infinity });
  useEndOnRefusal(months.error);
  const shown = needsMonths ? months.data : map;
  const cells = useMemo(() => (shown ? unpackMap(shown) : []), [shown]);
  const [filters, setFiltersState] = useState<TimelineFilterValues>(() => filtersFrom(address));
  const [draft, setDraft] = useState<TimelineFilterValues>(filters);
  const setFilters = (f: TimelineFilterValues) => {
    setFiltersState(f);
    writeToAddress(f, zoomAsked(zoom));
  };
  const setZoom = (z: Zoom) => {
    setZoomState(z);
    writeToAddress(filters, zoomAsked(z));
  };

  const grid = useMemo(() => mapGrid(cells, zoom), [cells, zoom]);
  // the drawn columns: the periods, and a gap column where periods with no record were left out. The
  // keyboard moves over the periods alone (grid.periods' indices), so arrow keys pass the gaps by.
  const axis = useMemo(() => axisWithGaps(grid.periods, zoom), [grid.periods, zoom]);
  // a period as its column header shows it: 2025 by year, 25-03 (and 18 of a year-only 18-?) by month
  const short = (p: string) => (zoom === "year" ? p : p.slice(2));

  // The one cell of the map in the tab order: the last one focused, else the first.
  const [current, setCurrent] = useState<string | null>(null);
  const tabStop = current !== null && grid.counts.has(current) ? current : grid.first;
  const table = useRef<HTMLTableElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const onCellKey = (e: KeyboardEvent<HTMLButtonElement>, row: number, col: number) => {
    if (e.altKey || e.shiftKey) return;
    const has = (r: number, c: number) => grid.counts.has(cellKey(grid.rows[r]!, grid.periods[c]!));
    const to = moveInGrid(has, grid.rows.length, grid.periods.length, [row, col], e.key, e.ctrlKey || e.metaKey);
    if (!to) return;
    e.preventDefault();
    const key = cellKey(grid.rows[to[0]]!, grid.periods[to[1]]!);
    setCurrent(key);
    table.current?.querySelector<HTMLButtonElement>(`[data-cell="${CSS.escape(key)}"]`)?.focus();
  };
  // The facility names stay put (sticky) as the map scrolls sideways: keep a focused cell, ring and
  // all, clear of them.
  const revealCell = (cell: HTMLElement) => {
    const names = cell.closest("tr")?.querySelector("th");
    const hidden = names ? names.getBoundingClientRect().right + 8 - cell.getBoundingClientRect().left : 0;
    if (hidden > 0 && scroller.current) scroller.current.scrollLeft -= hidden;
  };

  // The timeline scrolls itself into view and takes the focus once the jumped-to rows are in.
  const [jumps, setJumps] = useState(0);
  const jump = (facilityId: string, period: string) => {
    // the cell's period, both ends: a clinician who clicks 2024 expects 2024, not everything before it
    // (the chips say so, and one click on a chip widens it again)
    const next = { facility: facilityId, from: firstDayOf(period), to: lastDayOf(period) };
    setDraft(next);
    setFilters(next);
    setJumps((n) => n + 1);
  };

  return (
    <div className="space-y-4">
      <section aria-labelledby="map-title" className="rounded-lg border border-slate-300 bg-white">
        <div className="flex items-center justify-between border-b border-slate-300 px-3 py-2">
          <h2 id="map-title" className="text-base font-semibold">
            {t.map.title}
          </h2>
          <div role="group" aria-label={t.map.title} className="no-print flex gap-1">
            {(["month", "year"] as const).map((z) => (
              <button key={z} type="button" aria-pressed={zoom === z} onClick={() => setZoom(z)} className={`rounded px-2 py-0.5 text-sm ${zoom === z ? "bg-blue-700 text-white" : "border border-slate-400 text-slate-800"}`}>
                {z === "month" ? t.map.byMonth : t.map.byYear}
              </button>
            ))}
          </div>
        </div>
        {/* the padding leaves room for a focused cell's ring, which the scrolling box would clip; on the
            left the sticky facility names carry it, so no scrolled-away cell shows beside them */}
        <div ref={scroller} className="overflow-x-auto pt-3 pr-2 pb-2">
          {/* drawn in the browser from the packed map (see useHydrated); until then a box of its size */}
          {!hydrated ? (
            <div aria-busy="true" className="animate-pulse rounded bg-slate-100 px-2 py-1 text-sm text-slate-700" style={{ height: `${(grid.rows.length + 1) * 1.75}rem` }} data-testid="record-map-pending">
              {t.explorer.loading}
            </div>
          ) : (
            <table ref={table} role="grid" aria-labelledby="map-title" className="map-grid border-separate border-spacing-0.5 text-xs" data-testid="record-map">
              <thead>
                <tr>
                  <th scope="col" className="sticky left-0 bg-white pr-2 pl-2 text-left font-semibold">
                    {t.map.facility}
                  </th>
                  {axis.map((a) =>
                    a.gap ? (
                      // said in full to screen readers and on hover; shown in the headers' short form
                      <th key={`gap-${a.to}`} scope="col" title={t.map.gap(a.from, a.to)} className="map-gap" data-testid="map-gap">
                        <span className="sr-only">{t.map.gap(a.from, a.to)}</span>
                        <span aria-hidden="true">
                          <span className="block">{short(a.from)}</span>
                          {a.from !== a.to && <span className="block">{t.map.gapThrough(short(a.to))}</span>}
                          <span className="block">{t.map.gapNone}</span>
                        </span>
                      </th>
                    ) : (
                      <th key={a.period} scope="col" className="min-w-10 px-0.5 text-center font-mono font-normal text-slate-700">
                        {yearOnly(a.period) ? <abbr title={t.map.yearOnly(a.period)}>{`${short(a.period)}-?`}</abbr> : short(a.period)}
                      </th>
                    ),
                  )}
                </tr>
              </thead>
              <tbody>
                {grid.rows.map((f, row) => (
                  <tr key={f}>
                    <th scope="row" className="sticky left-0 whitespace-nowrap bg-white pr-2 pl-2 text-left font-medium">
                      {facilities[f] ?? f}
                      {lastReceived[f] && (
                        <span className="block font-normal text-slate-700" data-testid="last-received">
                          {t.map.received(isoDate(lastReceived[f]))}
                        </span>
                      )}
                      {sourceMismatches[f] && (
                        <span className="block max-w-56 font-normal whitespace-normal text-amber-900" data-testid="source-mismatch">
                          {t.map.identityMismatch(
                            t.list([
                              ...sourceMismatches[f].birthDates.map((d) => `${t.patient.birth} ${d}`),
                              ...sourceMismatches[f].sexes.map((x) => t.patient.sex[x] ?? x),
                            ]),
                          )}
                        </span>
                      )}
                    </th>
                    {axis.map((a) => {
                      if (a.gap) return <td key={`gap-${a.to}`} className="map-gap" />;
                      const { period: p, index: col } = a;
                      const key = cellKey(f, p);
                      const c = grid.counts.get(key);
                      if (!c) return <td key={p} />;
                      const detail = t.list(c.map(([k, n]) => `${t.patient.kind[k]} ${n}`));
                      // title is the hover text; the accessible name is said in words (Chromium named the
                      // cell by its glyphs, 「病文受検薬」). The map is drawn in the browser, so neither
                      // adds to the page's weight.
                      const facility = facilities[f] ?? f;
                      const year = yearOnly(p) ? t.map.yearOnly(p) : null;
                      const label = t.map.cell(facility, year ?? p, detail);
                      const name = t.map.cell(facility, year ?? t.recordScreen.period(p), detail);
                      return (
                        <td key={p}>
                          <button
                            type="button"
                            title={label}
                            aria-label={name}
                            data-cell={key}
                            tabIndex={key === tabStop ? 0 : -1}
                            onClick={() => jump(f, p)}
                            onKeyDown={(e) => onCellKey(e, row, col)}
                            onFocus={(e) => {
                              setCurrent(key);
                              revealCell(e.currentTarget);
                            }}
                            className="map-cell"
                          >
                            {/* one hidden span for all the marks: a cell's markup is repeated hundreds of times */}
                            <span aria-hidden="true">{c.map(([k]) => t.map.icon[k]).join("")}</span>
                          </button>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {/* the glyphs are hidden from screen readers (each cell is named by its title); sighted readers get this key */}
          <p className="px-2 pt-1 text-xs text-slate-700" data-testid="map-legend">
            {t.map.legend}:{" "}
            {kinds.map((k) => (
              <span key={k} className="mr-3 whitespace-nowrap">
                <span className="font-semibold">{t.map.icon[k]}</span> {t.patient.kind[k]}
              </span>
            ))}
          </p>
          {needsMonths && months.isFetching && (
            <p className="px-1 py-2 text-slate-700" aria-live="polite">
              …
            </p>
          )}
          {needsMonths && months.isError && (
            <p role="alert" className="px-1 py-2 text-red-800">
              {t.error.title}
            </p>
          )}
        </div>
      </section>

      <form
        aria-label={t.filters.title}
        className="no-print flex flex-wrap items-end gap-3 rounded-lg border border-slate-300 bg-white p-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        <label className="flex flex-col">
          {t.filters.kind}
          <select value={draft.kinds ?? ""} onChange={(e) => setDraft({ ...draft, kinds: e.target.value })} className="mt-1 rounded border border-slate-400 px-2 py-1">
            <option value="">{t.filters.allKinds}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t.patient.kind[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          {t.filters.facility}
          <select value={draft.facility ?? ""} onChange={(e) => setDraft({ ...draft, facility: e.target.value })} className="mt-1 rounded border border-slate-400 px-2 py-1">
            <option value="">{t.filters.allFacilities}</option>
            {grid.rows.map((f) => (
              <option key={f} value={f}>
                {facilities[f] ?? f}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          {t.filters.from}
          <input type="date" value={draft.from ?? ""} onChange={(e) => setDraft({ ...draft, from: e.target.value })} className="mt-1 rounded border border-slate-400 px-2 py-1" />
        </label>
        <label className="flex flex-col">
          {t.filters.to}
          <input type="date" value={draft.to ?? ""} onChange={(e) => setDraft({ ...draft, to: e.target.value })} className="mt-1 rounded border border-slate-400 px-2 py-1" />
        </label>
        <label className="flex flex-col">
          {t.filters.text}
          <input type="search" value={draft.q ?? ""} onChange={(e) => setDraft({ ...draft, q: e.target.value })} className="mt-1 w-40 rounded border border-slate-400 px-2 py-1" />
        </label>
        <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 font-semibold text-white hover:bg-blue-800">
          {t.filters.apply}
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft({});
            setFilters({});
          }}
          className="rounded border border-slate-400 px-3 py-1.5 text-slate-800"
        >
          {t.filters.clear}
        </button>
      </form>

      <TimelineFilterChips
        filters={filters}
        facilities={facilities}
        t={t}
        onChange={(f) => {
          setDraft(f);
          setFilters(f);
        }}
      />
      <Timeline patientId={patientId} initial={initial} facilities={facilities} locale={locale} filters={filters} focusRequest={jumps} />
    </div>
  );
}
