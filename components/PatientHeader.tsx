import type { PatientIdentity } from "@/lib/record";
import type { Locale, Messages } from "@/lib/i18n/messages";
import { ageOn, dateWithWareki } from "@/lib/format/dates";
import { insuranceNumbers } from "@/lib/format/insurance";

export function PatientHeader({ patient, locale, t, today }: { patient: PatientIdentity; locale: Locale; t: Messages; today: Date }) {
  const insurance = insuranceNumbers(patient, t.insuranceCard) ?? t.dash;
  return (
    <section aria-labelledby="patient-name" className="rounded-lg border border-slate-300 bg-white p-4">
      <div className="flex flex-wrap items-baseline gap-x-6 gap-y-1">
        <h1 id="patient-name" className="text-2xl font-bold">
          {patient.familyName} {patient.givenName}
          <span className="ml-3 text-base font-normal text-slate-700">
            {patient.familyNameKana} {patient.givenNameKana}
          </span>
        </h1>
        <p className="text-lg">
          {t.patient.sex[patient.sex]} · {t.patient.age(ageOn(patient.birthDate, today))}
        </p>
      </div>
      <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="font-semibold text-slate-700">{t.patient.birth}</dt>
        <dd>{dateWithWareki(patient.birthDate, locale)}</dd>
        <dt className="font-semibold text-slate-700">{t.patient.insurance}</dt>
        <dd>{insurance}</dd>
        <dt className="font-semibold text-slate-700">{t.patient.facilities}</dt>
        {/* a facility that knows the patient by two ids (two links) is still one facility (review 10) */}
        <dd>{t.list([...new Map(patient.facilities.map((f) => [f.id, f.name])).values()]) || t.dash}</dd>
      </dl>
    </section>
  );
}
