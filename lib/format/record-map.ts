import type { MapPeriod, RecordMap } from "../record/record-map";
import { RECORD_KINDS, type RecordKind } from "./record-kinds";

/**
 * The record map as sent to the browser: a 20-year record has well over a thousand facility × month ×
 * kind cells, and as objects they were a third of the page. Indexed tuples carry the same facts in a
 * fraction of the bytes.
 */
export interface PackedMap {
  by: MapPeriod;
  facilities: string[];
  kinds: RecordKind[];
  periods: string[];
  /** [facility index, period index, kind index, count] */
  cells: [number, number, number, number][];
}

export function packMap(map: RecordMap): PackedMap {
  const index = <T>(values: T[]) => {
    const list = [...new Set(values)];
    const at = new Map(list.map((v, i) => [v, i]));
    return { list, at: (v: T) => at.get(v)! };
  };
  const f = index(map.cells.map((c) => c.facilityId));
  const k = index(map.cells.map((c) => c.kind));
  const p = index(map.cells.map((c) => c.period));
  return { by: map.by, facilities: f.list, kinds: k.list, periods: p.list, cells: map.cells.map((c) => [f.at(c.facilityId), p.at(c.period), k.at(c.kind), c.count]) };
}

export type MapCellCount = { facilityId: string; period: string; kind: RecordKind; count: number };

export function unpackMap(p: PackedMap): MapCellCount[] {
  return p.cells.map(([f, period, k, count]) => ({ facilityId: p.facilities[f]!, period: p.periods[period]!, kind: p.kinds[k]!, count }));
}

export const mapCellKey = (facilityId: string, period: string) => `${facilityId}|${period}`;

const KEY_ORDER = new Map(RECORD_KINDS.map((k, i) => [k, i]));

/**
 * The map as the screen draws it: its periods (newest first), its facilities, and each filled cell's
 * counts per kind. A cell lists its kinds in the key's order (受 病 薬 検 …), whatever order the counts
 * arrived in: the same cell read 受薬病 by year and 病受薬 by month, and a clinician scanning a row reads
 * the glyphs by position.
 */
export function mapGrid(cells: readonly MapCellCount[], by: MapPeriod) {
  // the year map folds a month map's periods into their years (a year-only '2018' stays 2018)
  const periodOf = (p: string) => (by === "year" ? p.slice(0, 4) : p);
  const periods = [...new Set(cells.map((c) => periodOf(c.period)))].sort().reverse();
  const rows = [...new Set(cells.map((c) => c.facilityId))].sort();
  const summed = new Map<string, Map<RecordKind, number>>();
  for (const c of cells) {
    const key = mapCellKey(c.facilityId, periodOf(c.period));
    const m = summed.get(key) ?? new Map<RecordKind, number>();
    m.set(c.kind, (m.get(c.kind) ?? 0) + c.count);
    summed.set(key, m);
  }
  const counts = new Map<string, [RecordKind, number][]>(
    [...summed].map(([key, m]) => [key, [...m].sort(([a], [b]) => KEY_ORDER.get(a)! - KEY_ORDER.get(b)!)]),
  );
  const first = rows.flatMap((f) => periods.map((p) => mapCellKey(f, p))).find((k) => counts.has(k)) ?? null;
  return { periods, rows, counts, first };
}
