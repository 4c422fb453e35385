import type { Messages } from "../i18n/messages";

/**
 * The amount on a prescription item as a clinician reads it: 28日分 of a regular drug, 10回分 of a 頓用
 * (as-needed) one, whose number counts doses rather than days. Null when no amount was recorded.
 */
export function supplyAmount(days: number | null, asNeeded: boolean, t: Messages): string | null {
  if (!days) return null;
  return asNeeded ? t.meds.dosesOf(days) : t.meds.daysOf(days);
}
