"use client";

import { useActionState } from "react";
import { resetPasswordAction, type ResetPasswordState } from "@/app/actions/admin-users";
import { messages, type Locale } from "@/lib/i18n/messages";

/** One user's "issue a new initial password" button; the password appears here once, never in a URL. */
export function ResetPasswordForm({ locale, userId, loginId }: { locale: Locale; userId: string; loginId: string }) {
  const a = messages[locale].admin;
  const [state, action, pending] = useActionState<ResetPasswordState, FormData>(resetPasswordAction, {});
  if (state.reset) {
    return (
      <div role="status" className="mt-1 rounded border border-emerald-600 bg-emerald-50 p-2 text-xs text-emerald-950">
        <p>{a.passwordReset(state.reset.loginId)}</p>
        <p>
          {a.initialPassword}: <code className="rounded bg-white px-1 font-mono text-sm" data-testid="reset-password">{state.reset.initialPassword}</code>
        </p>
      </div>
    );
  }
  return (
    <form action={action} className="mt-1">
      <input type="hidden" name="userId" value={userId} />
      <button type="submit" disabled={pending} aria-label={`${a.resetPassword}: ${loginId}`} className="rounded border border-slate-600 px-2 py-0.5 text-xs font-semibold text-slate-900 disabled:opacity-60">
        {a.resetPassword}
      </button>
      {state.error && <span className="ml-1 text-xs font-semibold text-red-800">{a.errors[state.error] ?? a.errors.INVALID}</span>}
    </form>
  );
}
