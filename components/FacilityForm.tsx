"use client";

import { useActionState } from "react";
import { saveFacilityAction } from "@/app/actions/admin-facilities";
import type { FacilityFormState } from "@/app/actions/facility-forms";
import { messages, type Locale } from "@/lib/i18n/messages";
import { FACILITY_KINDS } from "@/lib/network/facility-input";
import { PREFECTURES } from "@/lib/network/prefectures";
import { prefectureName } from "@/lib/format/prefectures";
import { fieldAria, inputClass } from "./CardFields";
import { facilityErrorText } from "./facility-messages";

export interface FacilityFormValues {
  id: string;
  code: string;
  name: string;
  nameKana: string | null;
  kind: string;
  prefecture: string | null;
  discloses: boolean;
  views: boolean;
  canBreakGlass: boolean;
  address: string | null;
  phone: string | null;
  contactName: string | null;
  contactEmail: string | null;
  joinedOn: string | null;
}

const TEXT = [
  ["name", "text", "organization"],
  ["nameKana", "text", "off"],
  ["address", "text", "street-address"],
  ["phone", "tel", "tel"],
  ["contactName", "text", "off"],
  ["contactEmail", "email", "email"],
] as const;

/** Adds a facility (no `facility`) or edits one; every problem is shown beside its field, in the reader's language. */
export function FacilityForm({ locale, facility, today }: { locale: Locale; facility?: FacilityFormValues; today: string }) {
  const t = messages[locale];
  const f = t.facilities;
  const [state, action, pending] = useActionState<FacilityFormState, FormData>(saveFacilityAction, {});
  const errors = state.errors ?? {};
  // after an error the form shows what was sent (React resets a form once its action ends)
  const value = <K extends keyof FacilityFormValues>(k: K) => (state.values && k in state.values ? (state.values[k] as FacilityFormValues[K]) : facility?.[k]);
  const err = (k: string) =>
    errors[k] ? (
      <span id={`${k}-error`} className="mt-1 text-sm font-semibold text-red-800">
        {/* the same name as another facility: say which one, so the administrator can tell whether it is this one */}
        {k === "name" && state.sameName ? t.adminChecks.sameName(state.sameName.name, state.sameName.code) : facilityErrorText(t, errors[k])}
      </span>
    ) : null;
  return (
    <form action={action} className="grid gap-3 sm:grid-cols-2" noValidate>
      {errors.form && (
        <p role="alert" className="rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900 sm:col-span-2">
          {facilityErrorText(t, errors.form)}
        </p>
      )}
      {facility && <input type="hidden" name="facilityId" value={facility.id} />}
      <div className="flex flex-col text-sm sm:col-span-2">
        <label htmlFor="f-code">{f.code}</label>
        <input id="f-code" name="code" inputMode="numeric" autoComplete="off" maxLength={10} defaultValue={value("code")} className={`${inputClass} font-mono`} aria-invalid={errors.code ? true : undefined} aria-describedby={errors.code ? "code-error code-hint" : "code-hint"} />
        <span id="code-hint" className="mt-1 text-xs text-slate-700">
          {f.codeHint}
        </span>
        {err("code")}
        {errors.code === "CODE_CHECK_DIGIT" && (
          <label className="mt-2 flex items-start gap-2">
            <input type="checkbox" name="acceptCheckDigit" className="mt-1" />
            <span>{f.acceptCheckDigit}</span>
          </label>
        )}
      </div>
      {TEXT.map(([k, type, autoComplete]) => (
        <div key={k} className="flex flex-col text-sm">
          <label htmlFor={`f-${k}`}>{f[k]}</label>
          <input id={`f-${k}`} name={k} type={type} autoComplete={autoComplete} defaultValue={value(k) ?? ""} className={inputClass} {...fieldAria(k, errors)} />
          {err(k)}
          {k === "name" && state.sameName && (
            <label className="mt-2 flex items-start gap-2">
              <input type="checkbox" name="acceptSameName" className="mt-1" />
              <span>{t.adminChecks.acceptSameName}</span>
            </label>
          )}
        </div>
      ))}
      <div className="flex flex-col text-sm">
        <label htmlFor="f-kind">{f.kind}</label>
        <select id="f-kind" name="kind" defaultValue={value("kind") ?? "CLINIC"} className={inputClass} {...fieldAria("kind", errors)}>
          {FACILITY_KINDS.map((k) => (
            <option key={k} value={k}>
              {f.kinds[k]}
            </option>
          ))}
        </select>
        {err("kind")}
      </div>
      <div className="flex flex-col text-sm">
        <label htmlFor="f-prefecture">{f.prefecture}</label>
        <select id="f-prefecture" name="prefecture" defaultValue={value("prefecture") ?? "静岡県"} className={inputClass} {...fieldAria("prefecture", errors)}>
          {PREFECTURES.map((p, i) => (
            <option key={p} value={p}>
              {String(i + 1).padStart(2, "0")} {prefectureName(p, locale)}
            </option>
          ))}
        </select>
        {err("prefecture")}
      </div>
      <div className="flex flex-col text-sm">
        <label htmlFor="f-joinedOn">{f.joinedOn}</label>
        <input id="f-joinedOn" name="joinedOn" type="date" defaultValue={value("joinedOn") || today} className={inputClass} {...fieldAria("joinedOn", errors)} />
        {err("joinedOn")}
      </div>
      <fieldset className="rounded border border-slate-300 p-3 sm:col-span-2" aria-describedby={errors.roles ? "roles-error" : undefined}>
        <legend className="px-1 text-sm font-semibold">{f.role}</legend>
        {(["discloses", "views", "canBreakGlass"] as const).map((k) => (
          <label key={k} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name={k} defaultChecked={value(k) ?? k !== "canBreakGlass"} />
            {f.roleChoices[k]}
          </label>
        ))}
        {err("roles")}
      </fieldset>
      <div className="sm:col-span-2">
        <button type="submit" disabled={pending} className="rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
          {facility ? f.save : f.create}
        </button>
      </div>
    </form>
  );
}
