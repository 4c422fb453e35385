import type { RecordMapCell } from "../record/summary";

/**
 * The record map as sent to the browser: a 20-year record has well over a thousand facility × month ×
 * kind cells, and as objects they were a third of the page. Indexed tuples, with months counted from the
 * first one, carry the same facts in about a fifth of the bytes.
 */
export interface PackedMap {
  facilities: string[];
  kinds: string[];
  /** YYYY-MM of month 0 (null when there are no cells) */
  first: string | null;
  /** [facility index, months since `first`, kind index, count] */
  cells: [number, number, number, number][];
}

const monthNumber = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthText = (n: number) => `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;

export function packMap(cells: readonly RecordMapCell[]): PackedMap {
  const facilities = [...new Set(cells.map((c) => c.facilityId))];
  const kinds = [...new Set(cells.map((c) => c.kind))];
  const first = cells.length ? cells.reduce((min, c) => (c.month < min ? c.month : min), cells[0]!.month) : null;
  const base = first ? monthNumber(first) : 0;
  return {
    facilities,
    kinds,
    first,
    cells: cells.map((c) => [facilities.indexOf(c.facilityId), monthNumber(c.month) - base, kinds.indexOf(c.kind), c.count]),
  };
}

export function unpackMap(p: PackedMap): { facilityId: string; month: string; kind: string; count: number }[] {
  const base = p.first ? monthNumber(p.first) : 0;
  return p.cells.map(([f, m, k, count]) => ({ facilityId: p.facilities[f]!, month: monthText(base + m), kind: p.kinds[k]!, count }));
}
