"use client";

import { useActionState } from "react";
import { recordConsentAction, type ConsentFormState } from "@/app/actions/consent";
import { messages, type Locale } from "@/lib/i18n/messages";
import { CONSENT_METHODS as METHODS, CONSENT_SCOPES, IDENTITY_CHECKS as IDENTITIES, WITHHOLDABLE as CATEGORIES } from "@/lib/access/consent-options";


const input = "mt-1 rounded border border-slate-400 px-2 py-1 aria-[invalid=true]:border-red-700";

/**
 * Consent capture. Without a patientId it first identifies the patient by the three card items; with
 * one it records a new consent (a change) for a patient the facility already knows.
 */
export function ConsentForm({ locale, patientId }: { locale: Locale; patientId?: string }) {
  const t = messages[locale];
  const c = t.consent;
  const [state, action, pending] = useActionState<ConsentFormState, FormData>(recordConsentAction, {});
  const err = (field: string) => state.errors?.[field];
  const errorText = (field: string) => {
    const code = err(field);
    return code ? (
      <span id={`${field}-error`} className="mt-1 text-sm font-semibold text-red-800">
        {c.errors[code] ?? c.errors.invalid}
      </span>
    ) : null;
  };
  const aria = (field: string) => ({ "aria-invalid": err(field) ? true : undefined, "aria-describedby": err(field) ? `${field}-error` : undefined });

  return (
    <form action={action} className="space-y-4" noValidate>
      {patientId && <input type="hidden" name="patientId" value={patientId} />}
      {state.errors?.form && (
        <p role="alert" className="rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
          {t.denied.reasons[state.errors.form] ?? state.errors.form}
        </p>
      )}
      {!patientId && (
        <fieldset className="rounded border border-slate-300 p-3">
          <legend className="px-1 font-semibold">{c.identifyLegend}</legend>
          {state.errors?.identify && (
            <p role="alert" id="identify-error" className="mb-2 rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
              {c.errors[state.errors.identify]}
            </p>
          )}
          <div className="flex flex-wrap gap-4">
            <label className="flex flex-col text-sm">
              {c.kana}
              <input name="kana" required autoComplete="off" placeholder="ヤマダ タロウ" className={`${input} w-56`} {...aria("kana")} />
              {errorText("kana")}
            </label>
            <label className="flex flex-col text-sm">
              {c.birthDate}
              <input name="birthDate" type="date" required className={input} {...aria("birthDate")} />
              {errorText("birthDate")}
            </label>
            <label className="flex flex-col text-sm">
              {c.insuredNumber}
              <input name="insuredNumber" required inputMode="numeric" autoComplete="off" className={`${input} w-44`} {...aria("insuredNumber")} />
              {errorText("insuredNumber")}
            </label>
          </div>
        </fieldset>
      )}
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
