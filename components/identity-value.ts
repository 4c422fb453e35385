import type { Locale, Messages } from "@/lib/i18n/messages";
import type { MatchField, ReviewCandidate } from "@/lib/network";
import { warekiDate } from "@/lib/format/dates";

/**
 * One item of a person's identity as the reviewer reads it, on the held card (IdentitySent) and in the
 * comparison (IdentityComparison) alike: a birth date in ISO with its 和暦 in Japanese, a sex by its
 * name. `insurerOf`: the held files' person, whose insurance may give the 保険者番号 without the
 * 被保険者番号; that is said, not shown as nothing (review 11).
 */
export function identityValueText(field: MatchField, value: string | null, o: { t: Messages; locale: Locale; insurerOf?: ReviewCandidate["source"] }): string {
  const r = o.t.identityReview;
  if (value === null) {
    const insurer = field === "insured" ? o.insurerOf?.insured?.insurerNumber : null;
    return insurer ? r.insurerOnly(insurer) : r.unknown;
  }
  if (field === "sex") return o.t.patient.sex[value] ?? value;
  if (field === "birthDate") return o.locale === "ja" ? `${value}（${warekiDate(value)}）` : value;
  return value;
}
