import type { AllergyConflict, DuplicateWarning, WarningDrug } from "@/lib/record";
import type { Messages } from "@/lib/i18n/messages";

type Names = Record<string, string>;

/**
 * One drug a warning is about: a link to its strip on the pharmacist's page, then who prescribed and
 * dispensed it and when, so the reader can act without opening anything else.
 */
function DrugLine({ d, stripsHref, facilities, t }: { d: WarningDrug; stripsHref: string; facilities: Names; t: Messages }) {
  const names = (ids: string[]) => t.list(ids.map((id) => facilities[id] ?? id));
  return (
    <li>
      <a href={`${stripsHref}#${d.anchor}`} className="font-semibold underline" title={t.meds.stripLink(d.display)}>
        {d.display}
      </a>
      <span className="ml-1">
        {[
          d.prescribers.length ? t.meds.prescribedAt(names(d.prescribers)) : null,
          d.pharmacies.length ? t.meds.dispensedAt(names(d.pharmacies)) : null,
          t.meds.lastIssued(d.lastIssued),
          d.asNeeded ? t.meds.asNeeded : t.meds.supplyTo(d.supplyEnd),
        ]
          .filter(Boolean)
          .join(" · ")}
      </span>
    </li>
  );
}

/**
 * Duplicate-therapy and allergy/contraindication warnings, each with the reason in words and the drugs
 * it is about, each linked to its strip: `stripsHref` is the medication page's path when the warnings
 * are shown elsewhere (the 統合ビュー), empty on that page itself.
 */
export function MedicationWarnings({
  duplicates,
  conflicts,
  facilities,
  t,
  stripsHref = "",
}: {
  duplicates: DuplicateWarning[];
  conflicts: AllergyConflict[];
  facilities: Names;
  t: Messages;
  stripsHref?: string;
}) {
  if (duplicates.length === 0 && conflicts.length === 0) return null;
  const names = (ids: string[]) => t.list(ids.map((id) => facilities[id] ?? id));
  return (
    // One alert region around the list: role=alert on each item would break the list's semantics.
    <div role="alert" aria-label={t.meds.warnings}>
      <ul className="mb-3 space-y-1" data-testid="med-warnings">
        {duplicates.map((d) => (
          <li key={`${d.type}:${d.key}`} className="rounded border border-orange-500 bg-orange-50 px-2 py-1 text-sm text-orange-950">
            <strong>{d.type === "SAME_INGREDIENT" ? t.summary.dupIngredient : t.summary.dupClass}</strong>:{" "}
            {(d.type === "SAME_INGREDIENT" ? t.meds.whyIngredient : t.meds.whyClass)(d.drugs.map((x) => x.display).join(" ＋ "), names(d.sources))}
            <ul className="ml-4 list-disc">
              {d.drugs.map((x) => (
                <DrugLine key={x.key} d={x} stripsHref={stripsHref} facilities={facilities} t={t} />
              ))}
            </ul>
          </li>
        ))}
        {conflicts.map((c, i) => (
          <li key={i} className="rounded border border-red-600 bg-red-50 px-2 py-1 text-sm text-red-950">
            <strong>{c.kind === "CONTRAINDICATION" ? t.summary.contraConflict : t.summary.allergyConflict}</strong>:{" "}
            {(c.kind === "CONTRAINDICATION" ? t.meds.whyContra : t.meds.whyAllergy)(c.drug.display, c.allergy)}
            <ul className="ml-4 list-disc">
              <DrugLine d={c.drug} stripsHref={stripsHref} facilities={facilities} t={t} />
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}
