import { test, expect, login, alertOf, seriousA11yViolations, submitLogin, demoCode, DEMO_PASSWORD, type Page } from "./fixtures";

/**
 * 施設管理: the network administrator finds, adds, suspends and reinstates a facility and runs its push
 * keys; suspension stops the facility's staff at their next request and its key at its next push.
 * Everything it changes it puts back, since the other specs share the demo network.
 */
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const pushWith = (page: Page, key: string) => page.request.post("/api/fhir", { data: '{"resourceType":"Patient"}', headers: { "Content-Type": "application/fhir+json", Authorization: `Bearer ${key}` } });

test.describe("facility administration", () => {
  test("the administrator searches and filters the list, and adds a facility after fixing its code", async ({ page }) => {
    await login(page, "admin");
    await page.getByRole("link", { name: "施設管理" }).click();
    await expect(page.getByRole("heading", { name: "参加施設" })).toBeVisible();
    // the demo's 13, and any another spec added before this one (e2e/admin-chain.spec.ts adds one)
    await expect(page.getByTestId("facilities").locator("tbody tr").nth(12)).toBeVisible();
    const all = await page.getByTestId("facilities").locator("tbody tr").count();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByLabel("種類").selectOption("PHARMACY");
    await page.getByRole("button", { name: "検索" }).click();
    await expect(page.getByTestId("facilities").locator("tbody tr")).toHaveCount(2);
    await page.getByRole("link", { name: "条件を解除" }).click();
    await expect(page.getByTestId("facilities").locator("tbody tr")).toHaveCount(all);
    await expect(page.getByLabel("種類")).toHaveValue("");
    await page.getByLabel("名称・カナ・医療機関コード").fill("きた");
    await page.getByRole("button", { name: "検索" }).click();
    await expect(page.getByTestId("facilities").locator("tbody tr")).toHaveCount(1);

    await page.goto("/admin/facilities/new");
    await page.getByLabel("医療機関コード").fill("2240100114");
    await page.getByLabel("名称", { exact: true }).fill("ひかり内科");
    await page.getByLabel("種類").selectOption("CLINIC");
    await page.getByRole("button", { name: "追加する" }).click();
    await expect(page.getByText("医療機関コードの3桁目（点数表番号）が施設の種類と合いません")).toBeVisible();
    await expect(page.getByLabel("名称", { exact: true })).toHaveValue("ひかり内科");
    expect(await seriousA11yViolations(page)).toEqual([]);
    // a slip in the last digit: the 検証番号 catches it before the hospital is registered under a wrong code
    await page.getByLabel("医療機関コード").fill("2210100114");
    await page.getByRole("button", { name: "追加する" }).click();
    await expect(page.getByText("医療機関コードの検証番号（末尾の数字）が合いません")).toBeVisible();
    await expect(page.getByLabel(/このコードで正しいことを確認しました/)).not.toBeChecked();
    await page.getByLabel("医療機関コード").fill("2210100117");
    await page.getByRole("button", { name: "追加する" }).click();
    await expect(page.getByRole("status").filter({ hasText: "施設を追加しました。" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "ひかり内科" })).toBeVisible();
  });

  test("suspension logs the facility's staff out at their next request and refuses its key; reinstating lets both back", async ({ browser }) => {
    const clerk = await (await browser.newContext()).newPage();
    await login(clerk, "clerk4");
    const admin = await (await browser.newContext()).newPage();
    await login(admin, "admin");
    await admin.goto("/admin/facilities?q=きた整形外科");
    await admin.getByRole("link", { name: "きた整形外科クリニック" }).click();

    await admin.getByRole("button", { name: "APIキーを発行" }).click();
    const key = (await admin.getByTestId("issued-key").textContent())!.trim();
    expect((await pushWith(admin, key)).status()).toBe(400); // the key and the facility pass; the body is no Bundle

    await admin.getByRole("link", { name: "参加を停止…" }).click();
    await expect(admin.getByText("きた整形外科クリニック の参加を停止しますか？")).toBeVisible();
    await expect(admin.getByText(/この施設の利用者 3 人は、直ちにログアウトされ/)).toBeVisible();
    await expect(admin.getByText("有効なAPIキー 1 件による記録の送信は拒否されます", { exact: false })).toBeVisible();
    expect(await seriousA11yViolations(admin)).toEqual([]);
    await admin.getByRole("button", { name: "停止する" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "参加を停止しました" })).toBeVisible();

    await clerk.reload();
    await expect(clerk).toHaveURL(/\/login/);
    // logging in again, with the right password and code, the clerk is told why and whom to ask
    await submitLogin(clerk, "clerk4", DEMO_PASSWORD, await demoCode(clerk));
    await expect(clerk.getByText("所属施設のネットワークへの参加が停止されているため、ログインできません。")).toBeVisible();
    expect((await pushWith(admin, key)).status()).toBe(403);

    await admin.getByRole("button", { name: "参加を再開する" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "参加を再開しました。" })).toBeVisible();
    expect((await pushWith(admin, key)).status()).toBe(400);
    await admin.reload();
    const row = admin.getByTestId("keys").locator("tbody tr").first();
    await expect(row).not.toContainText("未使用");
    await row.getByRole("link", { name: /^失効させる… / }).click();
    await expect(admin.getByText("このキーを使うシステムからの送信は直ちに拒否されます", { exact: false })).toBeVisible();
    expect((await pushWith(admin, key)).status()).toBe(400); // asked, not yet done
    await admin.getByTestId("keys").locator("tbody tr").first().getByRole("button", { name: /^失効させる: / }).click();
    await expect(admin.getByRole("status").filter({ hasText: "APIキーを失効させました。" })).toBeVisible();
    expect((await pushWith(admin, key)).status()).toBe(401);
  });

  test("a clinician is refused the facility pages and the dashboard", async ({ page }) => {
    await login(page, "doctor1");
    await page.goto("/admin/facilities");
    await expect(alertOf(page)).toHaveText("施設の管理はネットワーク管理者のみが行えます。");
    await page.goto("/admin/facilities/new");
    await expect(alertOf(page)).toHaveText("施設の管理はネットワーク管理者のみが行えます。");
    await page.goto("/admin/dashboard");
    await expect(alertOf(page)).toHaveText("ダッシュボードはネットワーク管理者だけが利用できます。");
  });

  test("the administrator's dashboard shows the demo network's counts, each chart with its table, and no patient", async ({ page }) => {
    await login(page, "admin");
    await page.getByRole("link", { name: "ダッシュボード" }).click();
    await expect(page.getByRole("heading", { name: "ネットワークの利用状況" })).toBeVisible();
    const facilities = page.getByRole("region", { name: "参加施設（種類と役割）の表" });
    await expect(facilities.getByRole("row", { name: /^計/ })).toBeVisible();
    await expect(page.getByTestId("dashboard-chart")).toHaveCount(6);
    await expect(page.getByTestId("dash-identity")).toContainText("確認を待っている候補");
    await expect(page.locator("main")).not.toContainText("pat-0001");
    await expect(page.locator("main")).not.toContainText("山田");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test.describe("on a phone", () => {
    test.use({ viewport: { width: 390, height: 844 } });
    test("the list, a facility's page and the dashboard fit the screen", async ({ page }) => {
      await login(page, "admin");
      for (const path of ["/admin/facilities", "/admin/facilities/fac-11", "/admin/facilities/new", "/admin/dashboard"]) {
        await page.goto(path);
        expect(await pageWidth(page)).toBeLessThanOrEqual(390);
      }
    });
  });
});
