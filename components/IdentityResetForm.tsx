"use client";

import { useActionState } from "react";
import { identityResetAction, type IdentityResetState } from "@/app/actions/admin-users";
import { messages, type Locale } from "@/lib/i18n/messages";
import { fieldAria, inputClass } from "./CardFields";
import { accountFieldError } from "./account-messages";

const METHODS = ["IN_PERSON_ID", "SUPERVISOR", "PHONE_CALLBACK"] as const;

/**
 * A reset after a recorded identity check: a new initial password (shown here once, never in a URL),
 * or the second factor cleared, which first asks for a checked box beside the effect it names.
 */
export function IdentityResetForm({ locale, userId, loginId, kind }: { locale: Locale; userId: string; loginId: string; kind: "password" | "second-factor" }) {
  const t = messages[locale];
  const a = t.admin;
  const c = t.accounts;
  const [state, action, pending] = useActionState<IdentityResetState, FormData>(identityResetAction, {});
  const errors = state.errors ?? {};
  const id = (f: string) => `${kind}-${f}`;
  const err = (f: string) => accountFieldError(t, errors, f);
  if (state.reset) {
    return (
      <div role="status" className="rounded border border-emerald-600 bg-emerald-50 p-2 text-sm text-emerald-950">
        <p>{a.passwordReset(state.reset.loginId)}</p>
        <p>
          {a.initialPassword}: <code className="rounded bg-white px-1 font-mono text-base" data-testid="reset-password">{state.reset.initialPassword}</code>
        </p>
      </div>
    );
  }
  if (state.secondFactorReset) {
    return (
      <p role="status" className="rounded border border-emerald-600 bg-emerald-50 p-2 text-sm text-emerald-950">
        {c.done.secondFactorReset}
      </p>
    );
  }
  const second = kind === "second-factor";
  return (
    <form action={action} className="space-y-2" noValidate>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="kind" value={kind} />
      {err("user")}
      <label className="flex flex-col text-sm" htmlFor={id("method")}>
        {c.identityMethod}
        <select id={id("method")} name="method" defaultValue="" className={inputClass} {...fieldAria("method", errors)}>
          <option value="">{c.choose}</option>
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {c.identityMethods[m]}
            </option>
          ))}
        </select>
        {err("method")}
      </label>
      <label className="flex flex-col text-sm" htmlFor={id("note")}>
        {second ? c.identityNote : c.identityNoteOptional}
        <input id={id("note")} name="note" maxLength={200} autoComplete="off" className={inputClass} {...fieldAria("note", errors)} />
        {err("note")}
      </label>
      {second && (
        <div className="rounded border border-red-600 bg-red-50 p-2 text-sm text-red-950">
          <p>{c.secondFactorEffect}</p>
          <label className="mt-1 flex items-center gap-2 font-semibold">
            <input type="checkbox" name="confirm" value="yes" {...fieldAria("confirm", errors)} />
            {c.secondFactorConfirm}
          </label>
          {err("confirm")}
        </div>
      )}
      <button
        type="submit"
        disabled={pending}
        aria-label={`${second ? c.resetSecondFactor : a.resetPassword}: ${loginId}`}
        className={`rounded px-3 py-1 text-sm font-semibold text-white disabled:opacity-60 ${second ? "bg-red-700 hover:bg-red-800" : "bg-slate-700 hover:bg-slate-800"}`}
      >
        {second ? c.resetSecondFactor : a.resetPassword}
      </button>
    </form>
  );
}
