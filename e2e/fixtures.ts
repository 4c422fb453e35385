import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { totpCode } from "../lib/auth/totp";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from "../prisma/seed/demo-credentials";

export { DEMO_PASSWORD };

/**
 * The e2e server's clock (TSUNAGU_TEST_CLOCK): tests move it instead of sleeping. Returns the server's
 * "now" after moving it on by `seconds`.
 */
export async function advanceClock(page: Page, seconds: number): Promise<Date> {
  const res = await page.request.post("/api/test/clock", { data: { advanceSeconds: seconds } });
  expect(res.ok()).toBe(true);
  return new Date(((await res.json()) as { now: string }).now);
}

/**
 * A fresh second-factor code for a demo account: the server's clock moves on one TOTP step first, so
 * the code is never a replay of the previous login's (each code works once per account).
 */
export async function demoCode(page: Page): Promise<string> {
  return totpCode(DEMO_TOTP_SECRET, await advanceClock(page, 30));
}

/** Fills and submits the login form (nothing more: use it to test refusals). */
export async function submitLogin(page: Page, loginId: string, password: string, code = "") {
  await page.goto("/login");
  await page.getByLabel("ログインID").fill(loginId);
  await page.getByLabel("パスワード").fill(password);
  await page.getByLabel("確認コード").fill(code);
  await page.getByRole("button", { name: "ログイン" }).click();
}

/**
 * Logs in with password and second factor and waits until the app has taken the user in: to where
 * their work starts (clinicians: patient search; the desk: consent; administrators: accounts).
 */
export async function login(page: Page, loginId: string, password = DEMO_PASSWORD) {
  await submitLogin(page, loginId, password, await demoCode(page));
  await page.waitForURL((u) => /^\/(patients|consents\/new|admin\/users)$/.test(u.pathname));
}

/** The one answer to every failed login: it must not say which part was wrong, or whether the account exists. */
export const LOGIN_FAILED = "ログインできません。ログインID・パスワード・確認コードを確認してください。続けて5回失敗するとアカウントは15分間ロックされます。";

/** The page's own alert (Next.js adds a route announcer with role=alert too). */
export const alertOf = (page: Page) => page.locator("main [role=alert]");

/** The current page's axe violations of the given impacts (all of them when none are given), one line each. */
async function a11yViolationsOf(page: Page, impacts?: string[]) {
  // Next streams a page's metadata: after a client-side navigation the <title> can land a moment
  // after the content the test waited for, and axe would report the page untitled (document-title)
  await page.waitForFunction(() => document.title.trim().length > 0);
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => !impacts || impacts.includes(v.impact ?? "")).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Serious and critical axe violations on the current page (none is the bar). */
export const seriousA11yViolations = (page: Page) => a11yViolationsOf(page, ["serious", "critical"]);

/** Every axe violation, moderate and minor too (landmarks, for one): for small pages held to that. */
export const allA11yViolations = (page: Page) => a11yViolationsOf(page);

export const test = base;
export { expect };
export type { Page };
