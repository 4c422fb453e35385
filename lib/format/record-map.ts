import type { RecordMapCell } from "../record/summary";

/**
 * The record map as sent to the browser: a 20-year record has well over a thousand facility × month ×
 * kind cells, and as objects they were a third of the page. Indexed tuples carry the same facts in about
 * a quarter of the bytes.
 */
export interface PackedMap {
  facilities: string[];
  kinds: string[];
  /** [facility index, YYYY-MM, kind index, count] */
  cells: [number, string, number, number][];
}

export function packMap(cells: readonly RecordMapCell[]): PackedMap {
  const facilities = [...new Set(cells.map((c) => c.facilityId))];
  const kinds = [...new Set(cells.map((c) => c.kind))];
  return { facilities, kinds, cells: cells.map((c) => [facilities.indexOf(c.facilityId), c.month, kinds.indexOf(c.kind), c.count]) };
}

export function unpackMap(p: PackedMap): { facilityId: string; month: string; kind: string; count: number }[] {
  return p.cells.map(([f, month, k, count]) => ({ facilityId: p.facilities[f]!, month, kind: p.kinds[k]!, count }));
}
