import type { Messages } from "@/lib/i18n/messages";

/** Why a token is not issued, in words: lib/access's reason as the record pages say it, or the form's own. */
export const apiTokenRefusalText = (t: Messages, reason: string): string => (reason === "INVALID_HOURS" ? t.adminChecks.tokenHours : (t.denied.reasons[reason] ?? t.adminChecks.tokenUnavailable));
