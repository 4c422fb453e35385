import type { MapPeriod, RecordMap } from "../record/record-map";
import type { RecordKind } from "./record-kinds";

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

export function unpackMap(p: PackedMap): { facilityId: string; period: string; kind: RecordKind; count: number }[] {
  return p.cells.map(([f, period, k, count]) => ({ facilityId: p.facilities[f]!, period: p.periods[period]!, kind: p.kinds[k]!, count }));
}
