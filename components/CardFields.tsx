import type { Messages } from "@/lib/i18n/messages";

export const inputClass = "mt-1 rounded border border-slate-400 px-2 py-1 aria-[invalid=true]:border-red-700";

/** aria-invalid and aria-describedby for a field with an error code. */
export const fieldAria = (field: string, errors: Record<string, string>) => ({
  "aria-invalid": errors[field] ? true : undefined,
  "aria-describedby": errors[field] ? `${field}-error` : undefined,
});

/** The error code of a field in words: the card's messages unless the form has its own (`texts`, with an `invalid`). */
export function FieldError({ field, errors, t, texts = t.consent.errors }: { field: string; errors: Record<string, string>; t: Messages; texts?: Record<string, string> }) {
  const code = errors[field];
  if (!code) return null;
  return (
    <span id={`${field}-error`} className="mt-1 text-sm font-semibold text-red-800">
      {texts[code] ?? texts.invalid}
    </span>
  );
}

/**
 * The four items on a patient's card that together identify them (kana name, birth date, insurer
 * and insured number) — how the desk and an administrator find a patient without browsing anyone.
 */
export function CardFields({ t, errors, values = {} }: { t: Messages; errors: Record<string, string>; values?: Partial<Record<"kana" | "birthDate" | "insurerNumber" | "insuredNumber", string>> }) {
  const c = t.consent;
  return (
    <fieldset className="rounded border border-slate-300 p-3">
      <legend className="px-1 font-semibold">{c.identifyLegend}</legend>
      {errors.identify && (
        <p role="alert" id="identify-error" className="mb-2 rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
          {c.errors[errors.identify]}
        </p>
      )}
      <div className="flex flex-wrap gap-4">
        <label className="flex flex-col text-sm">
          {c.kana}
          <input name="kana" defaultValue={values.kana} required autoComplete="off" placeholder="ヤマダ タロウ" className={`${inputClass} w-56`} {...fieldAria("kana", errors)} />
          <FieldError field="kana" errors={errors} t={t} />
        </label>
        <label className="flex flex-col text-sm">
          {c.birthDate}
          <input name="birthDate" defaultValue={values.birthDate} type="date" required className={inputClass} {...fieldAria("birthDate", errors)} />
          <FieldError field="birthDate" errors={errors} t={t} />
        </label>
        <label className="flex flex-col text-sm">
          {c.insurerNumber}
          <input name="insurerNumber" defaultValue={values.insurerNumber} required inputMode="numeric" autoComplete="off" maxLength={10} className={`${inputClass} w-36`} {...fieldAria("insurerNumber", errors)} />
          <FieldError field="insurerNumber" errors={errors} t={t} />
        </label>
        <label className="flex flex-col text-sm">
          {c.insuredNumber}
          <input name="insuredNumber" defaultValue={values.insuredNumber} required inputMode="numeric" autoComplete="off" className={`${inputClass} w-44`} {...fieldAria("insuredNumber", errors)} />
          <FieldError field="insuredNumber" errors={errors} t={t} />
        </label>
      </div>
    </fieldset>
  );
}
