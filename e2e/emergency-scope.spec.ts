import { test, expect, login } from "./fixtures";

/**
 * Review 4 F12 and F7 in the browser: pat-0004 高橋 美咲 has an 救急時医療情報のみ consent at fac-01; the
 * 統合ビュー and the lab pages show the emergency lab values break-glass shows, and say what the scope
 * leaves out. Pharmacists and the desk are not offered emergency access, and their refusals fit them.
 */
test.describe("an emergency-only consent and the emergency dataset", () => {
  test("the 統合ビュー lists the latest emergency lab values; the lab page says the scope leaves the history out, not that there is none", async ({ page }) => {
    await login(page, "doctor1");
    await page.goto("/patients/pat-0004");
    const limits = page.getByTestId("scope-limits");
    await expect(limits.getByRole("heading", { name: "検査（救急時医療情報：各項目の直近値）" })).toBeVisible();
    await expect(limits.getByTestId("em-labs")).toContainText("ヘモグロビン");
    await expect(limits.getByTestId("em-labs")).toContainText("血小板数");
    await expect(limits).toContainText("同意の範囲（救急時医療情報のみ）には検査結果の推移・健診結果は含まれません。");
    await page.goto("/patients/pat-0004/labs");
    await expect(page.locator("main")).toContainText("同意の範囲（救急時医療情報のみ）には検査結果の推移・健診結果は含まれません。");
    await expect(page.getByTestId("em-labs")).toContainText("ヘモグロビン");
    await expect(page.locator("main")).not.toContainText("数値の検査結果はありません");
  });

  test("twin: a full consent's 統合ビュー has no scope note, and its lab page draws the trend", async ({ page }) => {
    await login(page, "doctor1");
    await page.goto("/patients/pat-0001");
    await expect(page.getByTestId("timeline")).toBeVisible();
    await expect(page.getByTestId("scope-limits")).toHaveCount(0);
    await page.goto("/patients/pat-0001/labs");
    await expect(page.getByRole("button", { name: "表示", exact: true })).toBeVisible();
  });
});

test.describe("who is offered emergency access, and what a refusal says", () => {
  test("a pharmacist is not offered 緊急時アクセス; opening it names no patient; a document is refused for the profession, not 'not found'", async ({ page }) => {
    await login(page, "pharmacist1");
    await expect(page.getByRole("banner").getByRole("link", { name: "緊急時アクセス" })).toHaveCount(0);
    await page.goto("/emergency");
    await expect(page.getByRole("heading", { name: "この機能は利用できません" })).toBeVisible();
    await expect(page.locator("main")).not.toContainText("この患者");
    await expect(page.locator("main")).toContainText("この操作の試みは監査ログに記録されました。");
    await page.goto("/patients/pat-0001/documents/pat-0001-doc-007");
    await expect(page.getByRole("heading", { name: "この患者の記録は閲覧できません" })).toBeVisible();
    await expect(page.locator("main")).toContainText("この職種では、この種類の記録は閲覧できません");
  });

  test("the desk: no 緊急時アクセス link, and a refusal leads back to 同意の登録; ER staff see the link (twin)", async ({ page, browser }) => {
    await login(page, "clerk1");
    await expect(page.getByRole("banner").getByRole("link", { name: "緊急時アクセス" })).toHaveCount(0);
    await page.goto("/emergency");
    await expect(page.getByRole("heading", { name: "この機能は利用できません" })).toBeVisible();
    await expect(page.getByRole("main").getByRole("link", { name: "同意の登録へ" })).toHaveAttribute("href", "/consents/new");
    const er = await browser.newPage();
    await login(er, "er1");
    await expect(er.getByRole("banner").getByRole("link", { name: "緊急時アクセス" })).toBeVisible();
    await er.close();
  });
});
