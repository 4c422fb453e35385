import type { AllergyConflict, DuplicateWarning, MedicationChecks, WarningDrug } from "@/lib/record";
import type { Locale, Messages } from "@/lib/i18n/messages";
import { conflictKey, duplicateKey } from "@/lib/format/warning-key";
import { WarningAcknowledgement } from "./WarningAcknowledgement";
import { StripLink } from "./StripLink";

type Names = Record<string, string>;

/**
 * One drug a warning is about: a link to its strip on the pharmacist's page, then who prescribed and
 * dispensed it and when, so the reader can act without opening anything else.
 */
function DrugLine({ d, stripsHref, facilities, t, showRoute = false }: { d: WarningDrug; stripsHref: string; facilities: Names; t: Messages; showRoute?: boolean }) {
  const names = (ids: string[]) => t.list(ids.map((id) => facilities[id] ?? id));
  return (
    <li>
      <StripLink display={d.display} anchor={d.anchor} stripsHref={stripsHref} t={t} />
      {showRoute && d.route ? t.paren(t.meds.route[d.route]!) : null}
      <span className="ml-1">
        {[
          d.prescribers.length ? t.meds.prescribedAt(names(d.prescribers)) : null,
          d.pharmacies.length ? t.meds.dispensedAt(names(d.pharmacies)) : null,
          t.meds.lastIssued(d.lastIssued),
          d.asNeeded ? t.meds.asNeeded : t.meds.supplyTo(d.supplyEnd),
          d.daily.ok ? t.meds.perDay(d.daily.amount, d.daily.unit) : null,
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
  partial,
  ack,
}: {
  duplicates: DuplicateWarning[];
  conflicts: AllergyConflict[];
  facilities: Names;
  t: Messages;
  stripsHref?: string;
  /** the patient withholds part of the record: the checks saw only what is shown, and must say so */
  partial: boolean;
  /** acknowledgements: who checked each warning, and whether this viewer may */
  ack: { patientId: string; checks: MedicationChecks; locale: Locale };
}) {
  const acknowledgement = (key: string) => (
    <WarningAcknowledgement patientId={ack.patientId} warningKey={key} acknowledged={ack.checks.acknowledged[key]} mayAcknowledge={ack.checks.mayAcknowledge} facilities={facilities} locale={ack.locale} />
  );
  const names = (ids: string[]) => t.list(ids.map((id) => facilities[id] ?? id));
  const label = { SAME_INGREDIENT: t.summary.dupIngredient, SAME_CLASS: t.summary.dupClass, SAME_INGREDIENT_OTHER_ROUTE: t.meds.dupOtherRoute };
  const why = { SAME_INGREDIENT: t.meds.whyIngredient, SAME_CLASS: t.meds.whyClass, SAME_INGREDIENT_OTHER_ROUTE: t.meds.whyOtherRoute };
  const look = { HIGH: "border-orange-600 bg-orange-50 text-orange-950", MODERATE: "border-orange-500 bg-orange-50 text-orange-950", LOW: "border-amber-500 bg-amber-50 text-amber-950" };
  // Said even when nothing was found: "no warning" over part of the record is not "no problem".
  const partialNote = partial ? (
    <p className="mb-3 rounded border border-slate-500 bg-slate-50 px-2 py-1 text-sm text-slate-900" data-testid="med-checks-partial">
      {t.meds.checksPartial}
    </p>
  ) : null;
  if (duplicates.length === 0 && conflicts.length === 0) return partialNote;
  return (
    <>
      {/* One alert region around the list: role=alert on each item would break the list's semantics. */}
      <div role="alert" aria-label={t.meds.warnings}>
        <ul className="mb-3 space-y-1" data-testid="med-warnings">
          {duplicates.map((d) => (
            <li key={`${d.type}:${d.key}`} data-type={d.type} className={`rounded border px-2 py-1 text-sm ${look[d.severity]}`}>
              <strong>{label[d.type]}</strong>
              <span className="ml-1 text-xs">{t.paren(t.meds.severity[d.severity])}</span>: {why[d.type](d.drugs.map((x) => x.display).join(" ＋ "), names(d.sources))}
              <ul className="ml-4 list-disc">
                {d.drugs.map((x) => (
                  <DrugLine key={x.key} d={x} stripsHref={stripsHref} facilities={facilities} t={t} showRoute={d.type === "SAME_INGREDIENT_OTHER_ROUTE"} />
                ))}
              </ul>
              {d.combined && <p className="font-semibold">{d.combined.ok ? t.meds.combined(d.combined.amount, d.combined.unit) : t.meds.notCombined[d.combined.reason]}</p>}
              {acknowledgement(duplicateKey(d))}
            </li>
          ))}
          {conflicts.map((c, i) => (
            <li key={i} className="rounded border border-red-600 bg-red-50 px-2 py-1 text-sm text-red-950">
              <strong>{c.kind === "CONTRAINDICATION" ? t.summary.contraConflict : t.summary.allergyConflict}</strong>
              <span className="ml-1 text-xs">{t.paren(t.meds.severity.HIGH)}</span>: {(c.kind === "CONTRAINDICATION" ? t.meds.whyContra : t.meds.whyAllergy)(c.drug.display, c.allergy)}
              <ul className="ml-4 list-disc">
                <DrugLine d={c.drug} stripsHref={stripsHref} facilities={facilities} t={t} />
              </ul>
              {acknowledgement(conflictKey(c))}
            </li>
          ))}
        </ul>
      </div>
      {partialNote}
    </>
  );
}
