import type { Messages } from "../i18n/messages";

/** A prescription item's count as recorded, with what the screens need to say what it counts. */
export interface SupplyCount {
  days: number | null;
  asNeeded: boolean;
  /** the calendar days a non-daily drug's count covers (lib/record cycleDaysCovered), else null */
  covers: number | null;
}

/**
 * The amount on a prescription item as a clinician reads it: 28日分 of a regular drug, 10回分 of a 頓用
 * (as-needed) one, whose number counts doses rather than days, and 4回分（28日間） of a 週1回 one, whose
 * 日数 counts dosing days (投与日数): "4日分" would read as four days of medicine. Null when no amount
 * was recorded.
 */
export function supplyAmount({ days, asNeeded, covers }: SupplyCount, t: Messages): string | null {
  if (!days) return null;
  if (asNeeded) return t.meds.dosesOf(days);
  return covers ? t.meds.dosesCovering(days, covers) : t.meds.daysOf(days);
}
