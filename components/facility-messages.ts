import type { Messages } from "@/lib/i18n/messages";

/** A facility action's error code in the user's language, or undefined for a code with no message (a test holds every code to one). */
export const facilityErrorMessage = (t: Messages, code: string): string | undefined => t.facilities.refusals[code] ?? t.facilities.errors[code] ?? t.adminChecks.errors[code];

/** A facility form's or button's error code in the user's language (a code from a hand-edited address: "invalid"). */
export const facilityErrorText = (t: Messages, code: string): string => facilityErrorMessage(t, code) ?? t.facilities.errors.INVALID!;
