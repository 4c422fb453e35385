"use client";

import Link from "next/link";
import { useActionState } from "react";
import { changePasswordAction, confirmSecondFactorAction, type AccountFormState } from "@/app/actions/account";
import { messages, type Locale } from "@/lib/i18n/messages";
import { fieldAria, inputClass } from "./CardFields";
import { Notice } from "./Notice";

function Field({ name, label, type, errors, locale, autoComplete }: { name: string; label: string; type: string; errors: Record<string, string>; locale: Locale; autoComplete?: string }) {
  const t = messages[locale];
  return (
    <label className="flex flex-col text-sm">
      {label}
      <input name={name} type={type} autoComplete={autoComplete} className={`${inputClass} w-72`} {...fieldAria(name, errors)} />
      {errors[name] && (
        <span id={`${name}-error`} className="mt-1 text-sm font-semibold text-red-800">
          {t.account.errors[errors[name]] ?? errors[name]}
        </span>
      )}
    </label>
  );
}

/** `needsCode`: the account has a second factor, so changing the password re-authenticates with it too. */
export function ChangePasswordForm({ locale, needsCode }: { locale: Locale; needsCode: boolean }) {
  const a = messages[locale].account;
  const [state, action, pending] = useActionState<AccountFormState, FormData>(changePasswordAction, {});
  const errors = state.errors ?? {};
  return (
    <form action={action} className="space-y-3" noValidate>
      <Field name="current" label={a.current} type="password" errors={errors} locale={locale} autoComplete="current-password" />
      {needsCode && <Field name="code" label={a.reauthCode} type="text" errors={errors} locale={locale} autoComplete="one-time-code" />}
      <Field name="next" label={a.next} type="password" errors={errors} locale={locale} autoComplete="new-password" />
      <Field name="confirm" label={a.confirm} type="password" errors={errors} locale={locale} autoComplete="new-password" />
      <button type="submit" disabled={pending} className="rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {a.change}
      </button>
    </form>
  );
}

export function ConfirmSecondFactorForm({ locale }: { locale: Locale }) {
  const a = messages[locale].account;
  const [state, action, pending] = useActionState<AccountFormState, FormData>(confirmSecondFactorAction, {});
  if (state.recoveryCodes) {
    return (
      <div className="space-y-3">
        <Notice tone="done">{a.enrolled}</Notice>
        <h2 className="text-lg font-semibold">{a.recoveryTitle}</h2>
        <p className="text-sm">{a.recoveryIntro}</p>
        <ul className="grid grid-cols-2 gap-1 font-mono text-lg" data-testid="recovery-codes">
          {state.recoveryCodes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <Link href="/" className="inline-block rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800">
          {a.continue}
        </Link>
      </div>
    );
  }
  const errors = state.errors ?? {};
  return (
    <form action={action} className="space-y-3" noValidate>
      <Field name="code" label={a.code} type="text" errors={errors} locale={locale} autoComplete="one-time-code" />
      <button type="submit" disabled={pending} className="rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {a.confirmCode}
      </button>
    </form>
  );
}
