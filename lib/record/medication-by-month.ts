/**
 * The medication history as the オンライン資格確認 薬剤情報 screen shows it: one block per dispensing
 * month (newest first), within it one group per pharmacy, each item with the prescriber. Pure, over
 * the rows the medication page already read.
 *
 * A dispense names its prescriber through the prescription it fills (facility and doctor), else by
 * the prescriber name the pharmacy recorded. A prescription that no visible dispense fills (dispensed
 * in the clinic, not yet dispensed, or at a pharmacy outside the network) is listed under its own
 * facility as such, so that nothing the page read is left out.
 */
import { isoDate } from "../format/dates";
import { cycleDaysCovered, doseText, type MedRow } from "./medication";

export interface MonthItem {
  id: string;
  date: string;
  display: string;
  dose: string | null;
  usageText: string | null;
  days: number | null;
  asNeeded: boolean;
  /** the calendar days a non-daily drug's count covers (cycleDaysCovered), else null */
  covers: number | null;
  /** the prescribing facility, when known */
  prescriberFacilityId: string | null;
  prescriberName: string | null;
}

export interface MonthGroup {
  month: string;
  /** a pharmacy, or for an undispensed prescription its own facility */
  groups: { facilityId: string; kind: "DISPENSE" | "PRESCRIPTION_ONLY"; items: MonthItem[] }[];
}

export function medicationByMonth(rows: readonly MedRow[]): MonthGroup[] {
  const prescriptions = new Map<string, MedRow>();
  for (const r of rows) if (r.kind === "PRESCRIPTION" && !prescriptions.has(r.prescriptionId)) prescriptions.set(r.prescriptionId, r);
  const filled = new Set(rows.filter((r) => r.kind === "DISPENSE" && r.fillsId).map((r) => r.fillsId!));
  const months = new Map<string, Map<string, MonthGroup["groups"][number]>>();
  for (const r of rows) {
    if (r.kind === "PRESCRIPTION" && filled.has(r.prescriptionId)) continue; // shown with its dispense
    const rx = r.kind === "DISPENSE" && r.fillsId ? prescriptions.get(r.fillsId) : r.kind === "PRESCRIPTION" ? r : undefined;
    const date = isoDate(r.occurredAt);
    const month = date.slice(0, 7);
    const kind = r.kind === "DISPENSE" ? "DISPENSE" : "PRESCRIPTION_ONLY";
    const byGroup = months.get(month) ?? new Map();
    months.set(month, byGroup);
    const key = `${kind}|${r.facilityId}`;
    const group = byGroup.get(key) ?? { facilityId: r.facilityId, kind, items: [] };
    byGroup.set(key, group);
    group.items.push({
      id: r.itemId,
      date,
      display: r.display,
      dose: doseText(r),
      usageText: r.usageText,
      days: r.days,
      covers: cycleDaysCovered(r),
      asNeeded: r.asNeeded,
      prescriberFacilityId: rx?.facilityId ?? null,
      prescriberName: rx?.prescriberName ?? r.prescriberName ?? null,
    });
  }
  return [...months]
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([month, groups]) => ({
      month,
      groups: [...groups.values()]
        .map((g) => ({ ...g, items: g.items.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id.localeCompare(b.id))) }))
        .sort((a, b) => (a.items[0]!.date < b.items[0]!.date ? 1 : -1)),
    }));
}
