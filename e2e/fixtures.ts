import { test as base, expect, type Browser, type Page } from "@playwright/test";
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

/**
 * A new account's first login, to the end: the initial password, a password of the user's own, then
 * an authenticator enrolled from the secret the page shows (as a phone's app would read the QR code).
 * Returns that secret, for the account's later logins (loginWith).
 */
export async function firstLogin(page: Page, loginId: string, initialPassword: string, newPassword: string): Promise<string> {
  await submitLogin(page, loginId, initialPassword); // no code: nothing is enrolled yet
  await page.waitForURL(/\/account\/password/);
  await page.getByLabel("現在のパスワード").fill(initialPassword);
  await page.getByLabel("新しいパスワード（8文字以上）").fill(newPassword);
  await page.getByLabel("新しいパスワード（確認）").fill(newPassword);
  await page.getByRole("button", { name: "変更する" }).click();
  await page.waitForURL(/\/account\/second-factor/);
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  await page.getByLabel("認証アプリの6桁").fill(totpCode(secret, await advanceClock(page, 0)));
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await page.getByRole("link", { name: "続ける" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/account"));
  return secret;
}

/**
 * Fills 利用者を追加 (the page must be open) and creates the account: its initial password, shown once.
 * The profession and facility are chosen only when given (a facility administrator's is fixed).
 */
export async function createAccount(page: Page, a: { loginId: string; name: string; nameKana: string; licence?: string; profession?: string; facility?: string }): Promise<string> {
  // the list's search box is labelled with ログインID too: wait for the form's page, and name the field exactly
  await expect(page.getByRole("heading", { name: "利用者を追加" })).toBeVisible();
  await page.getByLabel("ログインID", { exact: true }).fill(a.loginId);
  await page.getByLabel("氏名", { exact: true }).fill(a.name);
  await page.getByLabel("氏名（カナ）").fill(a.nameKana);
  if (a.profession) await page.getByLabel("職種").selectOption(a.profession);
  if (a.facility) await page.getByLabel("所属施設").selectOption({ label: a.facility });
  if (a.licence) await page.getByLabel("免許・登録番号").fill(a.licence);
  await page.getByRole("button", { name: "作成" }).click();
  return (await page.getByTestId("initial-password").textContent())!.trim();
}

/** The network administrator makes a user their facility's 施設管理者, from the user's page in 利用者管理. */
export async function appointFacilityAdministrator(page: Page, loginId: string) {
  await page.goto(`/admin/users?q=${encodeURIComponent(loginId)}`);
  await page.getByRole("link", { name: `${loginId} を管理` }).click();
  await page.getByRole("button", { name: "施設管理者にする" }).click();
  await expect(page.getByRole("status")).toContainText("施設管理者にしました");
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

/**
 * Waits until Next's router has written its first history entry. Until then a click on an in-page
 * link (`#drug-…`) moves the page, but the router's first `replaceState` then rewrites the address
 * from the URL it loaded with and drops the fragment (and with it `:target`). A reader who clicks
 * that early still lands on the strip; a test that checks the address must wait.
 */
export async function routerReady(page: Page) {
  await page.waitForFunction(() => (window.history.state as { __NA?: boolean } | null)?.__NA === true);
}

/**
 * The patient pages the browser asks the server to render from now on, by path: each render is a read
 * of the record, decided and audited. A link's prefetch renders no page of these dynamic routes, so it
 * is not one. Empty the array (`length = 0`) to count from a later point.
 */
export function pageReads(page: Page): string[] {
  const asked: string[] = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith("/patients/") && !r.headers()["next-router-prefetch"]) asked.push(u.pathname);
  });
  return asked;
}

export const test = base;
export { expect };
export type { Page };

/**
 * doctor1 with 山田 太郎's record open in one browser (and `then` done there), who then logs out
 * everywhere from another device: the page that stays open, its session over on the server.
 */
export async function recordOpenWhenLoggedOutElsewhere(browser: Browser, then: (a: Page) => Promise<void> = async () => {}): Promise<Page> {
  const [a, b] = await onTwoDevices(browser, "doctor1");
  await a.goto("/patients/pat-0001");
  await expect(a.getByRole("heading", { level: 1 })).toContainText("山田 太郎");
  await expect(a.getByTestId("timeline").locator(":scope > li").first()).toBeVisible();
  await then(a);
  await b.goto("/account");
  await logOutEverywhere(b);
  return a;
}

/** One account logged in on two devices (two browser contexts, two sessions). */
export async function onTwoDevices(browser: Browser, loginId: string): Promise<[Page, Page]> {
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  await login(a, loginId);
  await login(b, loginId);
  return [a, b];
}

/** すべての端末からログアウト on the account page: the button asks first, and only its confirmation ends the sessions. */
export async function logOutEverywhere(page: Page) {
  await page.getByRole("button", { name: "すべての端末からログアウト", exact: true }).click();
  await page.getByTestId("logout-all-confirm").getByRole("button", { name: "すべての端末からログアウトする", exact: true }).click();
  await page.waitForURL(/\/login/);
}
