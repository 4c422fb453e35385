import { test, expect, login, routerReady, seriousA11yViolations } from "./fixtures";

/**
 * The medication screens on the demo network, as a pharmacist and a doctor use them: 佐藤 花子
 * (pat-0002) gets amlodipine as アムロジン (みなみ内科 → さくら調剤薬局) and as ノルバスク (つなぐ中央病院 →
 * あおば薬局), and loxoprofen as a tablet and a tape; 山田 太郎 (pat-0001) keeps ニトロペン for chest pain.
 */
test.describe("medication strips, warnings and 頓用", () => {
  test("佐藤 花子: ノルバスク and アムロジン are two strips under amlodipine, and the warning's links reach them", async ({ page }) => {
    await login(page, "pharmacist1");
    await page.goto("/patients/pat-0002/medications");
    const strip = (name: string) => page.getByTestId("drug-strip").filter({ hasText: name });
    await expect(strip("アムロジン錠5mg")).toHaveCount(1);
    await expect(strip("ノルバスク錠5mg")).toHaveCount(1);
    await expect(strip("アムロジン錠5mg")).toBeVisible();
    await expect(strip("ノルバスク錠5mg")).toBeVisible();
    await expect(strip("アムロジン錠5mg")).toContainText("処方: みなみ内科クリニック · 調剤: さくら調剤薬局");
    await expect(strip("ノルバスク錠5mg")).toContainText("処方: つなぐ中央病院 · 調剤: あおば薬局 本町店");
    // both under one heading: the strips' list belongs to the amlodipine group
    const group = page.getByTestId("drug-strips").locator(":scope > li").filter({ has: page.getByRole("heading", { name: /アムロジピンベシル酸塩/ }) });
    await expect(group.getByTestId("drug-strip")).toHaveCount(2);

    const warning = page.getByTestId("med-warnings").locator(":scope > li").filter({ hasText: "重複投薬（同一成分）" });
    await expect(warning).toContainText("成分の1日合計 10mg");
    const links = warning.getByRole("link");
    await expect(links).toHaveCount(2);
    for (const link of await links.all()) {
      const href = await link.getAttribute("href");
      expect(href).toMatch(/^#drug-/);
      await expect(page.locator(`[id="${href!.slice(1)}"]`)).toHaveCount(1);
    }
    await routerReady(page);
    // an in-page link moves within the page: the record is not read (and audited) again
    const reads: string[] = [];
    page.on("request", (r) => r.headers()["rsc"] === "1" && reads.push(r.url()));
    await warning.getByRole("link", { name: "ノルバスク錠5mg" }).click();
    await expect(page).toHaveURL(/#drug-2171022F2025$/);
    await expect(page.locator(":target")).toContainText("ノルバスク錠5mg");
    await expect(page.locator(":target")).toBeInViewport();
    await page.waitForTimeout(500);
    expect(reads).toEqual([]);

    await expect(page.getByTestId("med-warnings")).toContainText(/同一成分・別経路.*ロキソニンテープ100mg.*（外用）.*ロキソプロフェンNa錠60mg「YD」.*（内用）/);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("from the 統合ビュー, a warning's drug opens its strip on the medication page", async ({ page }) => {
    await login(page, "pharmacist1");
    await page.goto("/patients/pat-0002");
    await page.getByTestId("med-warnings").getByRole("link", { name: "アムロジン錠5mg" }).first().click();
    await expect(page).toHaveURL(/\/patients\/pat-0002\/medications#drug-2171022F2041$/);
    await expect(page.locator(":target")).toContainText("アムロジン錠5mg");
  });

  test("where 佐藤 花子 withholds records (みなみ内科), the warnings say the checks covered only what is shown", async ({ page }) => {
    await login(page, "doctor2");
    await page.goto("/patients/pat-0002/medications");
    await expect(page.getByTestId("med-checks-partial")).toContainText("この画面に表示されている処方・調剤と検査だけを対象にしています");
  });

  test("twin: where she withholds nothing (つなぐ中央病院), they do not", async ({ page }) => {
    await login(page, "doctor1");
    await page.goto("/patients/pat-0002/medications");
    await expect(page.getByTestId("med-warnings")).toContainText("重複投薬（同一成分）");
    await expect(page.getByTestId("med-checks-partial")).toHaveCount(0);
  });

  test("山田 太郎's ニトロペン is listed as 頓用 with its last dispense, on the 統合ビュー and the medication page", async ({ page }) => {
    await login(page, "doctor1");
    await page.goto("/patients/pat-0001");
    await expect(page.getByTestId("current-meds")).not.toContainText("ニトロペン");
    const prn = page.getByTestId("as-needed");
    await expect(page.getByRole("heading", { name: "頓用（過去1年）" })).toBeVisible();
    await expect(prn.locator("li", { hasText: "ニトロペン舌下錠0.3mg" })).toContainText(/最終調剤 \d{4}-\d{2}-\d{2}/);
    await page.getByRole("link", { name: "処方・調剤歴" }).click();
    await expect(page.getByTestId("as-needed").locator("li", { hasText: "ニトロペン舌下錠0.3mg" })).toContainText(/最終調剤 \d{4}-\d{2}-\d{2}/);
    await expect(page.getByTestId("drug-strip").filter({ hasText: "ニトロペン舌下錠0.3mg" })).not.toContainText("使用中");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
