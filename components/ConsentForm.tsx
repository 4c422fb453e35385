"use client";

import { useActionState } from "react";
import { recordConsentAction, type ConsentFormState } from "@/app/actions/consent";
import { messages, type Locale } from "@/lib/i18n/messages";
import { CardFields, fieldAria, FieldError, inputClass as input } from "./CardFields";
import { CONSENT_METHODS as METHODS, CONSENT_SCOPES, IDENTITY_CHECKS as IDENTITIES, WITHHOLDABLE as CATEGORIES } from "@/lib/access/consent-options";

/**
 * Consent capture: always by the four card items, so the patient's card is the evidence of every
 * consent and of every change. With a patientId (the patient's own consent page) the card must be
 * that patient's.
 */
export function ConsentForm({ locale, patientId }: { locale: Locale; patientId?: string }) {
  const t = messages[locale];
  const c = t.consent;
  const [state, action, pending] = useActionState<ConsentFormState, FormData>(recordConsentAction, {});
  const errors = state.errors ?? {};
  const errorText = (field: string) => <FieldError field={field} errors={errors} t={t} />;
  const aria = (field: string) => fieldAria(field, errors);

  return (
    <form action={action} className="space-y-4" noValidate>
      {patientId && <input type="hidden" name="patientId" value={patientId} />}
      {state.errors?.form && (
        <p role="alert" className="rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
          {t.denied.reasons[state.errors.form] ?? state.errors.form}
        </p>
      )}
      <CardFields t={t} errors={state.errors ?? {}} />
      <fieldset className="rounded border border-slate-300 p-3">
        <legend className="px-1 font-semibold">{c.consentLegend}</legend>
        <div className="flex flex-wrap gap-6">
          <fieldset {...aria("scope")}>
            <legend className="text-sm">{c.scope}</legend>
            {CONSENT_SCOPES.map((s) => (
              <label key={s} className="mr-4 inline-flex items-center gap-1">
                <input type="radio" name="scope" value={s} defaultChecked={s === "FULL"} /> {c.scopes[s]}
              </label>
            ))}
            {errorText("scope")}
          </fieldset>
          <label className="flex flex-col text-sm">
            {c.method}
            <select name="method" defaultValue="WRITTEN" className={input} {...aria("method")}>
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {c.methods[m]}
                </option>
              ))}
            </select>
            {errorText("method")}
          </label>
          <label className="flex flex-col text-sm">
            {c.identity}
            <select name="identityVerification" defaultValue="MYNUMBER_CARD" className={input} {...aria("identityVerification")}>
              {IDENTITIES.map((m) => (
                <option key={m} value={m}>
                  {c.identities[m]}
                </option>
              ))}
            </select>
            {errorText("identityVerification")}
          </label>
          <label className="flex flex-col text-sm">
            {c.expiresOn}
            <input name="expiresOn" type="date" className={input} {...aria("expiresOn")} />
            {errorText("expiresOn")}
          </label>
        </div>
        <fieldset className="mt-3" {...aria("withheld")}>
          <legend className="text-sm">{c.withheld}</legend>
          {CATEGORIES.map((k) => (
            <label key={k} className="mr-4 inline-flex items-center gap-1">
              <input type="checkbox" name="withheld" value={k} /> {c.categories[k]}
            </label>
          ))}
          {errorText("withheld")}
        </fieldset>
      </fieldset>
      <button type="submit" disabled={pending} className="rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {c.submit}
      </button>
    </form>
  );
}
