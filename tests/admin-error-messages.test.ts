import { describe, expect, it } from "vitest";
import { ACCOUNT_ACTION_CODES } from "../app/actions/account-forms";
import { FACILITY_ACTION_CODES } from "../app/actions/facility-forms";
import { accountErrorMessage } from "../components/account-messages";
import { facilityErrorMessage } from "../components/facility-messages";
import { PROFESSIONS } from "../lib/auth/user-admin";
import { LOCALES, messages } from "../lib/i18n/messages";

/**
 * Every code an administration action can return (beside a field, as the form's message, or in the
 * page's ?error=) has a message of its own in Japanese and in English — not the generic "invalid".
 * The code lists are the ones the actions and lib/* throw from (a code not listed is a compile error
 * there), so a new code without a message fails here.
 */
describe("administration error messages", () => {
  it.each(LOCALES)("every account action code has a %s message", (locale) => {
    const missing = ACCOUNT_ACTION_CODES.filter((code) => !accountErrorMessage(messages[locale], code));
    expect(missing).toEqual([]);
  });

  it.each(LOCALES)("every facility action code has a %s message", (locale) => {
    const missing = FACILITY_ACTION_CODES.filter((code) => !facilityErrorMessage(messages[locale], code));
    expect(missing).toEqual([]);
  });

  it("a code that no action returns has no message (the lookup does not fall back by itself)", () => {
    expect(accountErrorMessage(messages.ja, "NO_SUCH_CODE")).toBeUndefined();
    expect(facilityErrorMessage(messages.ja, "NO_SUCH_CODE")).toBeUndefined();
  });

  it("the two languages say different things (no code left untranslated in English)", () => {
    const same = [...ACCOUNT_ACTION_CODES.filter((c) => accountErrorMessage(messages.ja, c) === accountErrorMessage(messages.en, c)), ...FACILITY_ACTION_CODES.filter((c) => facilityErrorMessage(messages.ja, c) === facilityErrorMessage(messages.en, c))];
    expect(same).toEqual([]);
  });
});

describe("profession names", () => {
  it.each(LOCALES)("every profession has its %s name, for the user pages and the dashboard's users chart", (locale) => {
    const t = messages[locale];
    expect(PROFESSIONS.filter((p) => !t.admin.professions[p])).toEqual([]);
    // 看護師 is the one the chart lost: named, and distinct from every other profession
    expect(new Set(PROFESSIONS.map((p) => t.admin.professions[p])).size).toBe(PROFESSIONS.length);
  });
});
