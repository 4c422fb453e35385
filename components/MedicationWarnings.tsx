import type { AllergyConflict, DuplicateWarning } from "@/lib/record";
import type { Messages } from "@/lib/i18n/messages";

/**
 * Duplicate-therapy and allergy/contraindication warnings, each with the reason in words: a pharmacist
 * must be able to act on it without opening anything else.
 */
export function MedicationWarnings({ duplicates, conflicts, facilities, t }: { duplicates: DuplicateWarning[]; conflicts: AllergyConflict[]; facilities: Record<string, string>; t: Messages }) {
  if (duplicates.length === 0 && conflicts.length === 0) return null;
  const names = (ids: string[]) => t.list(ids.map((id) => facilities[id] ?? id));
  return (
    // One alert region around the list: role=alert on each item would break the list's semantics.
    <div role="alert" aria-label={t.meds.warnings}>
      <ul className="mb-3 space-y-1" data-testid="med-warnings">
        {duplicates.map((d) => (
          <li key={`${d.type}:${d.key}`} className="rounded border border-orange-500 bg-orange-50 px-2 py-1 text-sm text-orange-950">
            <strong>{d.type === "SAME_INGREDIENT" ? t.summary.dupIngredient : t.summary.dupClass}</strong>:{" "}
            {(d.type === "SAME_INGREDIENT" ? t.meds.whyIngredient : t.meds.whyClass)(d.products.join(" ＋ "), names(d.sources))}
          </li>
        ))}
        {conflicts.map((c, i) => (
          <li key={i} className="rounded border border-red-600 bg-red-50 px-2 py-1 text-sm text-red-950">
            <strong>{c.kind === "CONTRAINDICATION" ? t.summary.contraConflict : t.summary.allergyConflict}</strong>:{" "}
            {(c.kind === "CONTRAINDICATION" ? t.meds.whyContra : t.meds.whyAllergy)(c.product, c.allergy)}
          </li>
        ))}
      </ul>
    </div>
  );
}
