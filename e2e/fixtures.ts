import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export const DEMO_PASSWORD = "Tsunagu-demo-2026";

/** Fills and submits the login form (nothing more: use it to test refusals). */
export async function submitLogin(page: Page, loginId: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("ログインID").fill(loginId);
  await page.getByLabel("パスワード").fill(password);
  await page.getByRole("button", { name: "ログイン" }).click();
}

/** Logs in and waits until the app has taken the user in. */
export async function login(page: Page, loginId: string, password = DEMO_PASSWORD) {
  await submitLogin(page, loginId, password);
  await page.waitForURL(/\/patients$/);
}

/** The page's own alert (Next.js adds a route announcer with role=alert too). */
export const alertOf = (page: Page) => page.locator("main [role=alert]");

/** Serious and critical axe violations on the current page (none is the bar). */
export async function seriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

export const test = base;
export { expect };
export type { Page };
