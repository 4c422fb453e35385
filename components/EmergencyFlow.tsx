"use client";

import { useActionState, useState } from "react";
import { identifyAction, startBreakGlassAction, type EmergencyMode, type EmergencyState, type EmergencyTyped } from "@/app/actions/emergency";
import type { EmergencyCandidate } from "@/lib/record";
import { messages, type Locale, type Messages } from "@/lib/i18n/messages";
import { dateWithWareki } from "@/lib/format/dates";
import { fieldAria, inputClass } from "./CardFields";

const REASONS = ["UNCONSCIOUS", "DISASTER", "LIFE_THREATENING", "OTHER"] as const;
const SEXES = ["MALE", "FEMALE", "OTHER", "UNKNOWN"] as const;

type Errors = Record<string, string>;

/** A field's error code as text, from the emergency messages or the refusal reasons. */
function FieldError({ t, errors, field }: { t: Messages; errors: Errors; field: string }) {
  const code = errors[field];
  if (!code) return null;
  return (
    <span id={`${field}-error`} className="mt-1 text-sm font-semibold text-red-800">
      {(field === "reason" && code === "required" ? t.emergency.errors.chooseReason : t.emergency.errors[code]) ?? t.denied.reasons[code] ?? code}
    </span>
  );
}

function FormAlert({ t, code }: { t: Messages; code: string | undefined }) {
  if (!code) return null;
  return (
    <p role="alert" className="rounded border-2 border-red-700 bg-red-50 px-3 py-2 font-semibold text-red-900">
      {t.denied.reasons[code] ?? code}
    </p>
  );
}

/**
 * Identify the patient (identity only is shown), then state the reason and re-authenticate.
 *
 * Each answer of the search re-mounts both steps (keyed on its number): the search form with what was
 * typed as its defaults — React resets a form after its action, so without them a retry would start
 * from empty fields and the first method — and the start form with no stale errors.
 */
export function EmergencyFlow({ locale, disaster }: { locale: Locale; disaster: boolean }) {
  const t = messages[locale];
  const e = t.emergency;
  const [found, identify, identifying] = useActionState<EmergencyState, FormData>(identifyAction, {});
  const errors = found.errors ?? {};
  const modes: EmergencyMode[] = ["insurance", "four", ...(disaster ? (["disaster"] as const) : [])];
  // Every answer says something in one live region: how many matched, nobody, or what to fix.
  // "nobody" names the fields of the method searched with (an insurance card's 番号 is not its 記号)
  const none = (found.typed?.mode && t.insuranceCard.emergencyNone[found.typed.mode]) ?? e.none;
  const answerText = found.candidates ? (found.candidates.length ? e.found(found.candidates.length) : none) : found.errors && !errors.form ? e.checkFields : "";

  return (
    <div className="space-y-4">
      <FormAlert t={t} code={errors.form} />
      <section aria-labelledby="identify-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="identify-title" className="mb-2 text-lg font-semibold">
          {e.identifyTitle}
        </h2>
        <IdentifyForm key={found.answer ?? 0} t={t} modes={modes} typed={found.typed} errors={errors} action={identify} pending={identifying} />
        <p role="status" data-testid="identify-answer" data-answer={found.answer ?? 0} className={answerText ? "mt-3 font-semibold text-slate-900" : undefined}>
          {answerText}
        </p>
      </section>
      {found.candidates && found.candidates.length > 0 && <StartForm key={found.answer} t={t} locale={locale} candidates={found.candidates} />}
    </div>
  );
}

function IdentifyForm({
  t,
  modes,
  typed,
  errors,
  action,
  pending,
}: {
  t: Messages;
  modes: EmergencyMode[];
  typed: EmergencyTyped | undefined;
  errors: Errors;
  action: (fd: FormData) => void;
  pending: boolean;
}) {
  const e = t.emergency;
  // The method last searched with (a disaster search typed while disaster mode was on stays on it, and
  // its error says why it no longer works).
  const [mode, setMode] = useState<EmergencyMode>(typed?.mode ?? "insurance");
  const field = (name: keyof EmergencyTyped, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label className="flex flex-col text-sm">
      {label}
      <input name={name} autoComplete="off" defaultValue={typed?.[name] ?? ""} className={inputClass} {...fieldAria(name, errors)} {...props} />
      <FieldError t={t} errors={errors} field={name} />
    </label>
  );
  return (
    <form action={action} className="space-y-3" noValidate>
      <fieldset>
        <legend className="text-sm">{e.mode}</legend>
        {[...new Set([...modes, mode])].map((m) => (
          <label key={m} className="mr-4 inline-flex items-center gap-1">
            <input type="radio" name="mode" value={m} defaultChecked={mode === m} onChange={() => setMode(m)} /> {e.modes[m]}
          </label>
        ))}
      </fieldset>
      <div className="flex flex-wrap gap-4">
        {mode === "insurance" ? (
          <>
            {field("insurerNumber", e.insurerNumber, { inputMode: "numeric" })}
            {field("insuredNumber", e.insuredNumber)}
          </>
        ) : (
          <>
            {field("kana", e.kana, { placeholder: "スズキ イチロウ" })}
            {field("birthDate", e.birthDate, { type: "date" })}
            <label className="flex flex-col text-sm">
              {e.sex}
              <select name="sex" defaultValue={typed?.sex ?? ""} className={inputClass} {...fieldAria("sex", errors)}>
                <option value="">—</option>
                {SEXES.map((s) => (
                  <option key={s} value={s}>
                    {t.patient.sex[s]}
                  </option>
                ))}
              </select>
              <FieldError t={t} errors={errors} field="sex" />
            </label>
            {mode === "four" && field("address", e.address, { className: `${inputClass} w-72` })}
          </>
        )}
      </div>
      <FieldError t={t} errors={errors} field="mode" />
      <button type="submit" disabled={pending} className="rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {e.search}
      </button>
    </form>
  );
}

/** Step 2, for the candidates of one answer: choose the patient, give the reason, re-authenticate. */
function StartForm({ t, locale, candidates }: { t: Messages; locale: Locale; candidates: EmergencyCandidate[] }) {
  const e = t.emergency;
  const [started, start, starting] = useActionState<EmergencyState, FormData>(startBreakGlassAction, {});
  const errors = started.errors ?? {};
  const typed = started.startTyped;
  return (
    <section aria-labelledby="start-title" className="rounded-lg border-2 border-red-700 bg-white p-4">
      <h2 id="start-title" className="mb-2 text-lg font-semibold">
        {e.startTitle}
      </h2>
      {/* re-mounted on each refusal with what was chosen, as the search form is */}
      <form key={started.answer ?? 0} action={start} className="space-y-3" noValidate>
        <FormAlert t={t} code={errors.form} />
        <fieldset {...fieldAria("patientId", errors)}>
          <legend className="text-sm font-semibold">{e.candidates}</legend>
          <p className="mb-1 text-sm text-slate-700">{e.candidatesHint}</p>
          <ul className="space-y-1" data-testid="candidates">
            {candidates.map((c) => (
              <li key={c.id}>
                <label className="flex flex-wrap items-baseline gap-x-3">
                  <input type="radio" name="patientId" value={c.id} defaultChecked={typed ? typed.patientId === c.id : candidates.length === 1} />
                  <strong className="text-lg">
                    {c.familyName} {c.givenName}
                  </strong>
                  <span>
                    {c.familyNameKana} {c.givenNameKana}
                  </span>
                  <span>{t.patient.sex[c.sex]}</span>
                  <span>{dateWithWareki(c.birthDate, locale)}</span>
                  <span className="text-sm text-slate-700">{c.address ?? ""}</span>
                </label>
              </li>
            ))}
          </ul>
          <FieldError t={t} errors={errors} field="patientId" />
        </fieldset>
        <div className="flex flex-wrap gap-4">
          <label className="flex flex-col text-sm">
            {e.reason}
            {/* no reason chosen for the user: the one recorded must be the one they picked (review 10) */}
            <select name="reason" required defaultValue={typed?.reason ?? ""} className={inputClass} {...fieldAria("reason", errors)}>
              <option value="" disabled>
                {e.reasonPlaceholder}
              </option>
              {REASONS.map((r) => (
                <option key={r} value={r}>
                  {e.reasons[r]}
                </option>
              ))}
            </select>
            <FieldError t={t} errors={errors} field="reason" />
          </label>
          <label className="flex flex-col text-sm">
            {e.reasonText}
            <input name="reasonText" autoComplete="off" defaultValue={typed?.reasonText ?? ""} className={`${inputClass} w-80`} {...fieldAria("reasonText", errors)} />
            <FieldError t={t} errors={errors} field="reasonText" />
          </label>
        </div>
        <div className="flex flex-wrap gap-4">
          <label className="flex flex-col text-sm">
            {e.password}
            <input name="password" type="password" autoComplete="current-password" className={inputClass} {...fieldAria("reauth", errors)} />
          </label>
          <label className="flex flex-col text-sm">
            {e.code}
            <input name="code" inputMode="numeric" autoComplete="one-time-code" className={inputClass} {...fieldAria("reauth", errors)} />
            <FieldError t={t} errors={errors} field="code" />
          </label>
        </div>
        {errors.reauth && (
          <p role="alert" id="reauth-error" className="rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
            {e.errors.failed}
          </p>
        )}
        <button type="submit" disabled={starting} className="rounded bg-red-700 px-4 py-2 text-lg font-bold text-white hover:bg-red-800 disabled:opacity-60">
          {e.start}
        </button>
      </form>
    </section>
  );
}
