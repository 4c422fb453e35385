import type { Messages } from "@/lib/i18n/messages";

/** An account action's error code in the user's language, or undefined for a code with no message (a test holds every code to one). */
export const accountErrorMessage = (t: Messages, code: string): string | undefined =>
  t.accounts.errors[code] ?? t.admin.errors[code] ?? t.adminChecks.errors[code] ?? (code === "NOT_ADMINISTRATOR" ? t.admin.refused : undefined);

/** An account form's error code in the user's language (a code from a hand-edited address: "invalid"). */
export const accountErrorText = (t: Messages, code: string): string => accountErrorMessage(t, code) ?? t.admin.errors.INVALID!;

/** What a finished account operation says. */
export const accountDoneText = (t: Messages, code: string): string | null => t.accounts.done[code] ?? t.admin.done[code] ?? null;

/** A field's error beside it (its id is what fieldAria's aria-describedby names), or nothing. */
export function accountFieldError(t: Messages, errors: Record<string, string>, field: string) {
  const code = errors[field];
  return code ? (
    <span id={`${field}-error`} className="mt-1 text-sm font-semibold text-red-800">
      {accountErrorText(t, code)}
    </span>
  ) : null;
}
