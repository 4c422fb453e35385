"use client";

import { useActionState, useState } from "react";
import { recordConsentAction, type ConsentFormState, type ConsentValues } from "@/app/actions/consent";
import { messages, type Locale } from "@/lib/i18n/messages";
import { CardFields, fieldAria, FieldError, inputClass as input } from "./CardFields";
import { ConsentWideningConfirm } from "./ConsentWideningConfirm";
import { CONSENT_METHODS as METHODS, CONSENT_SCOPES, consentEndsAt, IDENTITY_CHECKS as IDENTITIES, WITHHOLDABLE as CATEGORIES } from "@/lib/access/consent-options";
import { consentWidening, type ConsentWidening } from "@/lib/access/consent-change";
import type { Scope, Sensitivity } from "@/lib/access/decide";
import { isoDate } from "@/lib/format/dates";

/** The consent in force as the change form starts from it (withheld: only what this user may know). */
export interface ConsentStart {
  scope: Scope;
  method: string;
  identityVerification: string;
  withheld: Sensitivity[];
  /** the instant it ends (ISO), or null */
  expiresAt: string | null;
}

/** The consent fields as the form holds them. */
type Draft = { scope: string; method: string; identityVerification: string; expiresOn: string; withheld: string[] };

const BLANK: Draft = { scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", expiresOn: "", withheld: [] };

const startOf = (f: ConsentStart): Draft => ({
  scope: f.scope,
  method: f.method,
  identityVerification: f.identityVerification,
  // the last day it holds: the day before the instant it ends, in Japan
  expiresOn: f.expiresAt ? isoDate(new Date(Date.parse(f.expiresAt) - 1)) : "",
  withheld: f.withheld,
});

const draftOf = (v: ConsentValues): Draft => ({ scope: v.scope ?? "", method: v.method ?? "", identityVerification: v.identityVerification ?? "", expiresOn: v.expiresOn ?? "", withheld: v.withheld });

function readDraft(form: HTMLFormElement): Draft {
  const fd = new FormData(form);
  const text = (n: string) => {
    const v = fd.get(n);
    return typeof v === "string" ? v : "";
  };
  return { scope: text("scope"), method: text("method"), identityVerification: text("identityVerification"), expiresOn: text("expiresOn"), withheld: fd.getAll("withheld").filter((v): v is string => typeof v === "string") };
}

const sameDraft = (a: Draft, b: Draft) => JSON.stringify({ ...a, withheld: [...a.withheld].sort() }) === JSON.stringify({ ...b, withheld: [...b.withheld].sort() });

/** What the draft shares beyond the consent in force, by lib/access's own rule (the server decides again). */
function widenedBy(inForce: ConsentStart, d: Draft): ConsentWidening[] {
  const ends = d.expiresOn ? consentEndsAt(d.expiresOn) : null;
  const inForceEnds = inForce.expiresAt ? new Date(inForce.expiresAt) : null;
  return consentWidening(
    { scope: inForce.scope, withheldCategories: inForce.withheld, expiresAt: inForceEnds },
    { scope: d.scope === "EMERGENCY" ? "EMERGENCY" : "FULL", withheld: d.withheld as Sensitivity[], expiresAt: ends && Number.isNaN(ends.getTime()) ? inForceEnds : ends },
  );
}

/**
 * Consent capture: always by the four card items, so the patient's card is the evidence of every
 * consent and of every change. With a patientId (the patient's own consent page) the card must be
 * that patient's. A change starts from the consent in force (`inForce`), so a change of one item keeps
 * the others; for desk staff (`mayConfirmWidening`: they may know the withheld categories) a change that
 * shares more shows what becomes visible and asks for the patient's confirmation before it is sent.
 */
export function ConsentForm({ locale, patientId, inForce = null, mayConfirmWidening = false }: { locale: Locale; patientId?: string; inForce?: ConsentStart | null; mayConfirmWidening?: boolean }) {
  const t = messages[locale];
  const c = t.consent;
  const [state, action, pending] = useActionState<ConsentFormState, FormData>(recordConsentAction, {});
  const errors = state.errors ?? {};
  const errorText = (field: string) => <FieldError field={field} errors={errors} t={t} />;
  const aria = (field: string) => fieldAria(field, errors);
  // after a refusal the form comes back as sent; before any, as the consent in force
  const initial = state.values ? draftOf(state.values) : inForce ? startOf(inForce) : BLANK;
  const [draft, setDraft] = useState(initial);
  const [shown, setShown] = useState(state);
  // React resets a form once its action has run, to the defaults its fields were first drawn with: a
  // refused or unconfirmed consent came back as 書面 / マイナンバーカード whatever the desk had chosen,
  // and was then recorded so (review 6, H1). A new form per answer draws the fields from what was sent.
  const [drawn, setDrawn] = useState(0);
  if (shown !== state) {
    setShown(state);
    setDraft(initial);
    setDrawn((n) => n + 1);
  }
  // the server's widening while the form is as it was sent (it read the consent in force afresh); else the form's own
  const fromServer = state.widening && state.values && sameDraft(draft, draftOf(state.values)) ? state.widening : null;
  const widening = fromServer ?? (inForce && mayConfirmWidening ? widenedBy(inForce, draft) : []);

  return (
    <form key={drawn} action={action} onChange={(e) => setDraft(readDraft(e.currentTarget))} className="space-y-4" noValidate>
      {patientId && <input type="hidden" name="patientId" value={patientId} />}
      {state.errors?.form && (
        <p role="alert" className="rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
          {t.denied.reasons[state.errors.form] ?? state.errors.form}
        </p>
      )}
      <CardFields t={t} errors={state.errors ?? {}} values={state.card} />
      <fieldset className="rounded border border-slate-300 p-3">
        <legend className="px-1 font-semibold">{c.consentLegend}</legend>
        {inForce && <p className="mb-2 text-sm text-slate-700">{t.consentChange.prefilled}</p>}
        <div className="flex flex-wrap gap-6">
          <fieldset {...aria("scope")}>
            <legend className="text-sm">{c.scope}</legend>
            {CONSENT_SCOPES.map((s) => (
              <label key={s} className="mr-4 inline-flex items-center gap-1">
                <input type="radio" name="scope" value={s} defaultChecked={s === initial.scope} /> {c.scopes[s]}
              </label>
            ))}
            {errorText("scope")}
          </fieldset>
          <label className="flex flex-col text-sm">
            {c.method}
            <select name="method" defaultValue={initial.method} className={input} {...aria("method")}>
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
            <select name="identityVerification" defaultValue={initial.identityVerification} className={input} {...aria("identityVerification")}>
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
            <input name="expiresOn" type="date" defaultValue={initial.expiresOn} className={input} {...aria("expiresOn")} />
            {errorText("expiresOn")}
          </label>
        </div>
        <fieldset className="mt-3" {...aria("withheld")}>
          <legend className="text-sm">{c.withheld}</legend>
          {CATEGORIES.map((k) => (
            <label key={k} className="mr-4 inline-flex items-center gap-1">
              <input type="checkbox" name="withheld" value={k} defaultChecked={initial.withheld.includes(k)} /> {c.categories[k]}
            </label>
          ))}
          {errorText("withheld")}
        </fieldset>
      </fieldset>
      {widening.length > 0 && <ConsentWideningConfirm widening={widening} t={t} errors={errors} />}
      <button type="submit" disabled={pending} className="rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {c.submit}
      </button>
    </form>
  );
}
