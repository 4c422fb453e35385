import { NextResponse } from "next/server";
import { messages, type Locale, type Messages } from "../i18n/messages";
import type { ErrorOutcome } from "../record/errors";

/** Both languages of one message: every JSON error names its code and says it in Japanese and English. */
export type Bilingual = { ja: string; en: string };

const both = (say: (t: Messages, locale: Locale) => string): Bilingual => ({ ja: say(messages.ja, "ja"), en: say(messages.en, "en") });

/** A refusal or error as JSON: a code, what goes with it (reason, field), and the message in Japanese and English. */
export const problem = (status: number, error: string, message: Bilingual, extra: Record<string, unknown> = {}) => NextResponse.json({ error, ...extra, message }, { status });

/** No session at all (or one that ended): the same answer from every JSON route. */
export const unauthenticatedProblem = () => problem(401, "UNAUTHENTICATED", both((t) => t.explorer.sessionEnded));

/**
 * lib/record's typed error (outcomeOf) as JSON with its message. A bad field is said by `invalid`
 * (the route knows its parameters' wording); by default "<field>: the input is invalid".
 */
export function outcomeProblem(o: ErrorOutcome, invalid: (t: Messages, field: string, code: string, locale: Locale) => string | undefined = () => undefined): Response {
  switch (o.kind) {
    case "unauthenticated":
      return problem(o.status, o.code, both((t) => t.denied.reasons.LOGIN_INCOMPLETE!));
    case "denied":
      return problem(o.status, o.code, both((t) => t.denied.reasons[o.reason] ?? o.reason), { reason: o.reason });
    case "notFound":
      return problem(o.status, o.code, both((t) => t.notFound.patient));
    case "invalid": {
      const field = Object.keys(o.fields)[0] ?? "form";
      const code = o.fields[field] ?? "invalid";
      return problem(o.status, o.code, both((t, locale) => invalid(t, field, code, locale) ?? `${field}: ${t.error.invalidInput}`), { field });
    }
  }
}
