import type { Locator } from "@playwright/test";
import { test, expect, login, seriousA11yViolations, type Page } from "./fixtures";

// A phone (390×844): nothing may make the page wider than the screen, and no label may break mid-word.
test.use({ viewport: { width: 390, height: 844 } });

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** How many lines an element's text takes on screen. */
const lineCount = (l: Locator) =>
  l.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  });

test.describe("on a phone", () => {
  test("the safety banner and the current medicines come before the problem list and the record map", async ({ page }) => {
    await login(page, "doctor1");
    await page.goto("/patients/pat-0001");
    const top = async (l: Locator) => (await l.boundingBox())!.y;
    const banner = await top(page.getByTestId("safety-banner"));
    const meds = await top(page.getByRole("heading", { name: "現在の処方" }));
    const map = await top(page.getByTestId("record-map"));
    expect(banner).toBeLessThan(meds);
    expect(meds).toBeLessThan(map);
    // and in the reading (and tab) order, not only on screen
    const order = await page.evaluate(() => {
      const at = (el: Element | null) => (el ? [...document.querySelectorAll("*")].indexOf(el) : -1);
      return { meds: at(document.getElementById("meds-title")), problems: at(document.getElementById("problems-title")) };
    });
    if (order.problems >= 0) expect(order.meds).toBeLessThan(order.problems);
  });

  test("the header, tabs and tables fit the screen in Japanese and in English, labels and dates whole", async ({ page }) => {
    await login(page, "doctor1");
    for (const path of ["/patients/pat-0001", "/patients/pat-0001/medications"]) {
      await page.goto(path);
      expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    }
    const header = page.getByRole("banner");
    for (const label of ["患者検索", "同意の登録", "緊急時アクセス"]) expect(await lineCount(header.getByRole("link", { name: label, exact: true }))).toBe(1);
    expect(await lineCount(header.getByRole("button", { name: "ログアウト" }))).toBe(1);
    for (const tab of ["統合ビュー", "処方・調剤歴"]) expect(await lineCount(page.getByRole("link", { name: tab, exact: true }))).toBe(1);
    // issued, days and supplied-until in the medication history: a date or a day count stays on one line
    const cells = page.getByTestId("med-history").locator("tbody tr").first().locator("td");
    for (const i of [0, 5, 6]) expect(await lineCount(cells.nth(i))).toBe(1);

    await page.getByRole("button", { name: "言語: English" }).click();
    await expect(page.getByRole("button", { name: "Language: 日本語" })).toBeVisible();
    for (const path of ["/patients/pat-0001", "/patients/pat-0001/medications"]) {
      await page.goto(path);
      expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    }
    // the controls at the end of the header are on the screen, not past its edge
    await expect(page.getByRole("button", { name: "Language: 日本語" })).toBeInViewport({ ratio: 1 });
    await expect(page.getByRole("button", { name: "Log out" })).toBeInViewport({ ratio: 1 });
  });

  test("the administration pages fit the screen, and axe finds nothing serious on them", async ({ page }) => {
    test.setTimeout(120_000);
    await login(page, "admin");
    const check = async (path: string) => {
      expect(await pageWidth(page), path).toBeLessThanOrEqual(390);
      expect(await seriousA11yViolations(page), path).toEqual([]);
    };
    for (const path of ["/admin/users", "/admin/users/new", "/admin/identity", "/admin/audit", "/admin/break-glass"]) {
      await page.goto(path);
      await check(path);
    }
    // one account's page, and one audit event (its hashes and detail wrap, not widen the page)
    await page.goto("/admin/users?q=doctor1");
    await page.getByRole("link", { name: "doctor1 を管理" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await check(page.url());
    await page.goto("/admin/audit");
    await page.getByTestId("audit-events").locator("tbody tr").first().getByRole("link").click();
    await expect(page.getByTestId("audit-event")).toBeVisible();
    await check(page.url());
  });
});
