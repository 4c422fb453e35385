import type { MapPeriod } from "../record/record-map";

/**
 * The record map's columns along its time axis. The axis holds only the periods that have a record
 * somewhere, so a missing stretch would close up unseen (`2020 2018` reads as two adjacent years); a
 * gap column between two periods that are not consecutive says what is missing. One gap per missing
 * stretch, however long: a sparse ten-year record must not grow 120 empty month columns.
 */
export type AxisColumn =
  | { gap: false; period: string; /** the period's place in the axis' periods, for keyboard moves */ index: number }
  /** `from` and `to` are the oldest and newest missing periods ('YYYY' or 'YYYY-MM'), from ≤ to */
  | { gap: true; from: string; to: string };

/** A period as a span of units (years on the year map, months on the month map), inclusive at both ends. */
function span(period: string, by: MapPeriod): [number, number] {
  const year = Number(period.slice(0, 4));
  if (by === "year") return [year, year];
  // a year-only period on the month map ('2018': the source gave only the year) stands for the whole of
  // its year: its records may fall in any month, so none of that year's months is called empty beside it
  if (period.length === 4) return [year * 12, year * 12 + 11];
  const month = year * 12 + Number(period.slice(5, 7)) - 1;
  return [month, month];
}

function periodAt(unit: number, by: MapPeriod): string {
  if (by === "year") return String(unit);
  return `${Math.floor(unit / 12)}-${String((unit % 12) + 1).padStart(2, "0")}`;
}

/**
 * The axis' columns for its periods, newest first as the map shows them ('YYYY' on the year map;
 * 'YYYY-MM', or 'YYYY' for a year-only date, on the month map), with a gap column wherever the periods
 * on either side leave some out.
 */
export function axisWithGaps(periods: readonly string[], by: MapPeriod): AxisColumn[] {
  const columns: AxisColumn[] = [];
  periods.forEach((period, index) => {
    const older = span(period, by);
    const newer = index > 0 ? span(periods[index - 1]!, by) : null;
    if (newer && older[1] + 1 <= newer[0] - 1) columns.push({ gap: true, from: periodAt(older[1] + 1, by), to: periodAt(newer[0] - 1, by) });
    columns.push({ gap: false, period, index });
  });
  return columns;
}
