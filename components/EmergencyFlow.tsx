"use client";

import { useActionState, useState } from "react";
import { identifyAction, startBreakGlassAction, type EmergencyState } from "@/app/actions/emergency";
import { messages, type Locale } from "@/lib/i18n/messages";
import { dateWithWareki } from "@/lib/format/dates";
import { fieldAria, inputClass } from "./CardFields";

const REASONS = ["UNCONSCIOUS", "DISASTER", "LIFE_THREATENING", "OTHER"] as const;

/** Identify the patient (identity only is shown), then state the reason and re-authenticate. */
export function EmergencyFlow({ locale, disaster }: { locale: Locale; disaster: boolean }) {
  const t = messages[locale];
  const e = t.emergency;
  const [found, identify, identifying] = useActionState<EmergencyState, FormData>(identifyAction, {});
  const [started, start, starting] = useActionState<EmergencyState, FormData>(startBreakGlassAction, {});
  const [mode, setMode] = useState<"insurance" | "four" | "disaster">("insurance");
  const candidates = started.candidates ?? found.candidates;
  const idErrors = found.errors ?? {};
  const errors = started.errors ?? {};
  const err = (all: Record<string, string>, f: string) =>
    all[f] ? (
      <span id={`${f}-error`} className="mt-1 text-sm font-semibold text-red-800">
        {e.errors[all[f]] ?? t.denied.reasons[all[f]] ?? all[f]}
      </span>
    ) : null;
  const field = (name: string, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label className="flex flex-col text-sm">
      {label}
      <input name={name} autoComplete="off" className={inputClass} {...fieldAria(name, idErrors)} {...props} />
      {err(idErrors, name)}
    </label>
  );
  const modes = (["insurance", "four", ...(disaster ? ["disaster" as const] : [])] as const).slice();

  return (
    <div className="space-y-4">
      {(idErrors.form || errors.form) && (
        <p role="alert" className="rounded border-2 border-red-700 bg-red-50 px-3 py-2 font-semibold text-red-900">
          {t.denied.reasons[idErrors.form ?? errors.form!] ?? idErrors.form ?? errors.form}
        </p>
      )}
      <section aria-labelledby="identify-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="identify-title" className="mb-2 text-lg font-semibold">
          {e.identifyTitle}
        </h2>
        <form action={identify} className="space-y-3" noValidate>
          <fieldset>
            <legend className="text-sm">{e.mode}</legend>
            {modes.map((m) => (
              <label key={m} className="mr-4 inline-flex items-center gap-1">
                <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} /> {e.modes[m]}
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
                  <select name="sex" defaultValue="" className={inputClass} {...fieldAria("sex", idErrors)}>
                    <option value="">—</option>
                    {(["MALE", "FEMALE", "OTHER", "UNKNOWN"] as const).map((s) => (
                      <option key={s} value={s}>
                        {t.patient.sex[s]}
                      </option>
                    ))}
                  </select>
                  {err(idErrors, "sex")}
                </label>
                {mode === "four" && field("address", e.address, { className: `${inputClass} w-72` })}
              </>
            )}
          </div>
          {err(idErrors, "mode")}
          <button type="submit" disabled={identifying} className="rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
            {e.search}
          </button>
        </form>
      </section>

      {candidates && (
        <section aria-labelledby="start-title" className="rounded-lg border-2 border-red-700 bg-white p-4">
          <h2 id="start-title" className="mb-2 text-lg font-semibold">
            {e.startTitle}
          </h2>
          {candidates.length === 0 ? (
            <p role="status">{e.none}</p>
          ) : (
            <form action={start} className="space-y-3" noValidate>
              <fieldset {...fieldAria("patientId", errors)}>
                <legend className="text-sm font-semibold">{e.candidates}</legend>
                <p className="mb-1 text-sm text-slate-700">{e.candidatesHint}</p>
                <ul className="space-y-1" data-testid="candidates">
                  {candidates.map((c) => (
                    <li key={c.id}>
                      <label className="flex flex-wrap items-baseline gap-x-3">
                        <input type="radio" name="patientId" value={c.id} defaultChecked={candidates.length === 1} />
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
                {err(errors, "patientId")}
              </fieldset>
              <div className="flex flex-wrap gap-4">
                <label className="flex flex-col text-sm">
                  {e.reason}
                  <select name="reason" defaultValue="UNCONSCIOUS" className={inputClass} {...fieldAria("reason", errors)}>
                    {REASONS.map((r) => (
                      <option key={r} value={r}>
                        {e.reasons[r]}
                      </option>
                    ))}
                  </select>
                  {err(errors, "reason")}
                </label>
                <label className="flex flex-col text-sm">
                  {e.reasonText}
                  <input name="reasonText" autoComplete="off" className={`${inputClass} w-80`} {...fieldAria("reasonText", errors)} />
                  {err(errors, "reasonText")}
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
                  {err(errors, "code")}
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
          )}
        </section>
      )}
    </div>
  );
}
