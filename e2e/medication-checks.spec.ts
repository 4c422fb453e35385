import { test, expect, login, seriousA11yViolations } from "./fixtures";

test.describe("interaction checks and their acknowledgement", () => {
  test("a pharmacist sees an interaction warning with its source and marks it checked; a doctor then sees who checked it", async ({ browser }, info) => {
    // two users, two browser contexts with the project's settings (address, language, time zone)
    const { baseURL, locale, timezoneId } = info.project.use;
    const newPage = async () => (await browser.newContext({ baseURL, locale, timezoneId })).newPage();
    // 佐藤 花子 at あおば薬局: loxoprofen with sertraline, and loxoprofen with an eGFR below 60
    const pharmacist = await newPage();
    await login(pharmacist, "pharmacist1");
    await pharmacist.goto("/patients/pat-0002/medications");
    const checks = pharmacist.getByTestId("interaction-checks");
    const ssri = checks.locator("[data-rule=NSAID_SSRI]");
    await expect(ssri).toContainText("NSAIDs と SSRI・SNRI の併用（出血）");
    await expect(ssri).toContainText("ジェイゾロフト錠25mg");
    await expect(ssri).toContainText("出典: SSRI・SNRI 添付文書 10.2");
    const renal = checks.locator("[data-rule=NSAID_EGFR_LT60]");
    await expect(renal.getByTestId("lab-used")).toContainText(/使用した検査値: eGFR \d+\.\d mL\/min\/1\.73m2（\d{4}-\d{2}-\d{2}・.+）/);
    await expect(checks).toContainText("確認したのは下記の規則と登録済みの成分だけです");
    expect(await seriousA11yViolations(pharmacist)).toEqual([]);

    // an empty reason is refused in words, and nothing is recorded
    await ssri.getByLabel(/確認の内容/).fill(" ");
    await ssri.getByRole("button", { name: "確認済みにする" }).click();
    await expect(ssri.getByRole("alert")).toHaveText("確認の内容を2文字以上で入力してください。");
    await ssri.getByLabel(/確認の内容/).fill("処方医に確認済み、胃粘膜保護薬を併用し継続");
    await ssri.getByRole("button", { name: "確認済みにする" }).click();
    await expect(ssri.getByTestId("acknowledged")).toContainText("確認済み（青木 葉子・あおば薬局 本町店・");
    await pharmacist.close();

    // the next viewer, at another facility, on the 統合ビュー
    const doctor = await newPage();
    await login(doctor, "doctor1");
    await doctor.goto("/patients/pat-0002");
    const seen = doctor.getByTestId("interaction-checks").locator("[data-rule=NSAID_SSRI]");
    await expect(seen.getByTestId("acknowledged")).toContainText("青木 葉子・あおば薬局 本町店");
    await expect(seen.getByTestId("acknowledged")).toContainText("胃粘膜保護薬を併用し継続");
    // the renal warning nobody has checked still offers the form to a doctor
    await expect(doctor.getByTestId("interaction-checks").locator("[data-rule=NSAID_EGFR_LT60]").getByRole("button", { name: "確認済みにする" })).toBeVisible();
    await doctor.close();
  });

  test("a nurse sees the warnings but is not offered to mark them checked", async ({ page }) => {
    await login(page, "nurse1");
    await page.goto("/patients/pat-0002/medications");
    await expect(page.getByTestId("interaction-checks").locator("[data-rule=NSAID_EGFR_LT60]")).toBeVisible();
    await expect(page.getByTestId("interaction-checks").getByRole("button", { name: "確認済みにする" })).toHaveCount(0);
  });
});

test("a pharmacist reads the history by dispensing month and pharmacy, each line with its prescriber", async ({ page }) => {
  await login(page, "pharmacist1");
  await page.goto("/patients/pat-0002/medications");
  const byMonth = page.getByTestId("med-by-month");
  await expect(byMonth.getByRole("heading", { name: "調剤月・薬局別（薬剤情報の形式）" })).toBeVisible();
  const months = await byMonth.locator("[data-month]").evaluateAll((els) => els.map((e) => e.getAttribute("data-month")!));
  expect(months.length).toBeGreaterThan(1);
  expect([...months].sort().reverse()).toEqual(months); // newest month first
  // ノルバスク dispensed at あおば薬局, prescribed at つなぐ中央病院 by a named doctor
  const aoba = byMonth.locator("[data-pharmacy=fac-06]").filter({ hasText: "ノルバスク錠5mg" }).first();
  await expect(aoba.getByRole("heading", { level: 4 })).toHaveText("あおば薬局 本町店");
  await expect(aoba.locator("tr", { hasText: "ノルバスク錠5mg" }).first().locator("td").last()).toContainText(/^つなぐ中央病院 .+/);
  expect(await seriousA11yViolations(page)).toEqual([]);
});
