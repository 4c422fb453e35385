"use client";

import { useActionState } from "react";
import { createUserAction, type CreateUserState } from "@/app/actions/admin-users";
import { messages, type Locale } from "@/lib/i18n/messages";
import { fieldAria, inputClass } from "./CardFields";
import { accountErrorText, accountFieldError } from "./account-messages";

const PROFESSIONS = ["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY", "CLERK", "ADMIN"] as const;

/**
 * A new account. A facility administrator's form has their facility fixed and offers no
 * administrator profession (lib/access refuses both anyway; the form does not offer what it refuses).
 */
export function CreateUserForm({ locale, facilities, ownFacilityOnly }: { locale: Locale; facilities: { id: string; name: string }[]; ownFacilityOnly: boolean }) {
  const t = messages[locale];
  const a = t.admin;
  const professions = ownFacilityOnly ? PROFESSIONS.filter((p) => p !== "ADMIN") : PROFESSIONS;
  const [state, action, pending] = useActionState<CreateUserState, FormData>(createUserAction, {});
  const errors = state.errors ?? {};
  const err = (f: string) => accountFieldError(t, errors, f);
  if (state.created) {
    return (
      <div role="status" className="space-y-2 rounded border border-emerald-600 bg-emerald-50 p-3 text-emerald-950">
        <p className="font-semibold">{a.created(state.created.loginId)}</p>
        <p>
          {a.initialPassword}: <code className="rounded bg-white px-2 py-0.5 font-mono text-lg" data-testid="initial-password">{state.created.initialPassword}</code>
        </p>
      </div>
    );
  }
  return (
    <form action={action} className="grid gap-3 sm:grid-cols-2" noValidate>
      {errors.user && (
        <p role="alert" className="font-semibold text-red-800 sm:col-span-2">
          {accountErrorText(t, errors.user)}
        </p>
      )}
      <label className="flex flex-col text-sm">
        {a.loginId}
        <input name="loginId" autoComplete="off" className={inputClass} {...fieldAria("loginId", errors)} />
        {err("loginId")}
      </label>
      <label className="flex flex-col text-sm">
        {a.name}
        <input name="name" autoComplete="off" className={inputClass} {...fieldAria("name", errors)} />
        {err("name")}
      </label>
      <label className="flex flex-col text-sm">
        {t.accounts.nameKana}
        <input name="nameKana" autoComplete="off" placeholder="ヤマダ タロウ" className={inputClass} {...fieldAria("nameKana", errors)} />
        {err("nameKana")}
      </label>
      <label className="flex flex-col text-sm">
        {a.profession}
        <select name="profession" defaultValue="DOCTOR" className={inputClass} {...fieldAria("profession", errors)}>
          {professions.map((p) => (
            <option key={p} value={p}>
              {a.professions[p]}
            </option>
          ))}
        </select>
        {err("profession")}
      </label>
      <label className="flex flex-col text-sm">
        {a.facility}
        {ownFacilityOnly && facilities[0] ? (
          <>
            <input name="facilityName" value={facilities[0].name} readOnly aria-describedby="facility-fixed" className={`${inputClass} bg-slate-100`} />
            <input type="hidden" name="facilityId" value={facilities[0].id} />
            <span id="facility-fixed" className="mt-1 text-xs text-slate-700">
              {t.accounts.facilityFixed}
            </span>
          </>
        ) : (
          <select name="facilityId" className={inputClass} {...fieldAria("facilityId", errors)}>
            {facilities.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        )}
        {err("facilityId")}
      </label>
      <label className="flex flex-col text-sm">
        {a.license}
        <input name="licenseNumber" autoComplete="off" className={inputClass} {...fieldAria("licenseNumber", errors)} />
        {err("licenseNumber")}
      </label>
      <div className="flex items-end">
        <button type="submit" disabled={pending} className="rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
          {a.create}
        </button>
      </div>
    </form>
  );
}
