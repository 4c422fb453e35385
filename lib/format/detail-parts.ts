import type { Messages } from "../i18n/messages";
import { supplyAmount } from "./medication";

/**
 * A timeline line in pieces: the words are the viewer's language, so the server, which builds a row
 * once for every viewer, sends what to say (a flag, a supply, a severity) and the client says it. A
 * plain string piece is data (a drug name, a value, a range) and shows as sent.
 */
export type DetailPart =
  | string
  | { flag: string }
  // asNeeded only when true: a page carries dozens of supplies, almost all regular
  // covers only for a non-daily drug (cycleDaysCovered)
  | { supply: { days: number | null; asNeeded?: true; covers?: number } }
  | { asNeeded: true }
  | { severity: string }
  | { outcome: string };

export type DetailValue = string | null | DetailPart[];

/** A lab flag, as the summary panels show it: (高) / (High) — never H in one place and 高 in another. */
export const flagPart = (flag: string | null): DetailPart[] => (flag && flag !== "N" ? [" (", { flag }, ")"] : []);

export function renderParts(parts: DetailValue, t: Messages): string | null {
  if (parts === null || typeof parts === "string") return parts;
  const text = parts
    .map((p) => {
      if (typeof p === "string") return p;
      if ("flag" in p) return t.patient.tag[p.flag] ?? p.flag;
      if ("supply" in p) return supplyAmount({ days: p.supply.days, asNeeded: p.supply.asNeeded === true, covers: p.supply.covers ?? null }, t) ?? "";
      if ("asNeeded" in p) return t.meds.asNeeded;
      if ("severity" in p) return t.summary.severity[p.severity] ?? p.severity;
      return t.patient.outcome[p.outcome] ?? p.outcome;
    })
    .join("");
  return text || null;
}
