import { test, expect, login, seriousA11yViolations, type Page } from "./fixtures";

/** pat-0005 田中 健 withdrew his consent for つなぐ中央病院 (fac-01) before the demo starts. */
const PATIENT = "/patients/pat-0005";

async function fillConsent(page: Page, card: { kana: string; birthDate: string; insuredNumber: string }) {
  await page.goto("/consents/new");
  await page.getByLabel("氏名（カナ）").fill(card.kana);
  await page.getByLabel("生年月日").fill(card.birthDate);
  await page.getByLabel("被保険者番号（記号・番号の番号）").fill(card.insuredNumber);
  await page.getByRole("checkbox", { name: "精神科" }).check();
  await page.getByRole("button", { name: "同意を登録" }).click();
}

/** The four card items on the access report's identification form. */
async function fillReportCard(page: Page, card: { kana: string; birthDate: string; insuredNumber: string; insurerNumber: string }) {
  await page.getByLabel("氏名（カナ）").fill(card.kana);
  await page.getByLabel("生年月日").fill(card.birthDate);
  await page.getByLabel("被保険者番号（記号・番号の番号）").fill(card.insuredNumber);
  await page.getByLabel("保険者番号", { exact: true }).fill(card.insurerNumber);
  await page.getByRole("button", { name: "閲覧記録を表示" }).click();
}

test.describe("consent", () => {
  test("a card that matches no patient is a clear message and records nothing", async ({ page }) => {
    await login(page, "clerk1");
    await fillConsent(page, { kana: "タナカ ケン", birthDate: "1965-11-30", insuredNumber: "99999" });
    await expect(page.locator("main [role=alert]")).toContainText("一致する患者が見つかりません");
    await expect(page).toHaveURL(/\/consents\/new$/);
  });

  test("consent recorded → the doctor sees the record; withdrawn → the same session is refused; the access report lists it all", async ({ browser }) => {
    const clerk = await (await browser.newContext()).newPage();
    const doctor = await (await browser.newContext()).newPage();
    await login(doctor, "doctor1");
    await doctor.goto(PATIENT);
    await expect(doctor.getByRole("heading", { name: "この患者の記録は閲覧できません" })).toBeVisible();

    await login(clerk, "clerk1");
    await fillConsent(clerk, { kana: "ﾀﾅｶ ｹﾝ", birthDate: "1965-11-30", insuredNumber: "40518" });
    await expect(clerk.getByRole("status")).toContainText("同意を登録しました");
    await expect(clerk.getByTestId("consent-in-force")).toContainText("全記録");
    await expect(clerk.getByTestId("consent-in-force")).toContainText("精神科");
    const history = clerk.getByTestId("consent-history").locator("tbody tr");
    await expect(history).toHaveCount(2); // the new consent, and the earlier withdrawn one kept as it was
    await expect(history.nth(1)).toContainText("撤回");
    expect(await seriousA11yViolations(clerk)).toEqual([]);

    await doctor.reload();
    await expect(doctor.getByTestId("safety-banner")).toBeVisible();
    await expect(doctor.getByRole("heading", { level: 1 })).toContainText("田中 健");

    await clerk.getByRole("checkbox", { name: /患者さんの撤回の意思を確認しました/ }).check();
    await clerk.getByRole("button", { name: "同意を撤回" }).click();
    await expect(clerk.getByRole("status")).toContainText("同意を撤回しました");

    await doctor.reload(); // same session, next request
    await expect(doctor.getByRole("heading", { name: "この患者の記録は閲覧できません" })).toBeVisible();
    await expect(doctor.locator("main")).toContainText("撤回されています");

    await clerk.getByRole("link", { name: "アクセス記録（患者さんへの開示用）" }).click();
    // printed at the patient's request: the desk identifies them by their card first
    await expect(clerk.getByRole("heading", { name: "閲覧記録の印刷: 患者さんの確認" })).toBeVisible();
    await expect(clerk.getByTestId("access-report")).toHaveCount(0);
    await fillReportCard(clerk, { kana: "ﾀﾅｶ ｹﾝ", birthDate: "1965-11-30", insuredNumber: "40518", insurerNumber: "06221199" });
    await expect(clerk.locator("main [role=alert]")).toContainText("一致する患者が見つかりません");
    await fillReportCard(clerk, { kana: "ﾀﾅｶ ｹﾝ", birthDate: "1965-11-30", insuredNumber: "40518", insurerNumber: "０６２２１１８８" });
    await expect(clerk).toHaveURL(/\/patients\/pat-0005\/access-report$/);
    const report = clerk.getByTestId("access-report");
    const doctorRows = report.locator("tbody tr", { hasText: "医師" });
    await expect(doctorRows.filter({ hasText: "診療記録の閲覧（統合ビュー）" })).toHaveCount(1);
    const refusals = doctorRows.filter({ hasText: "閲覧の拒否（統合ビュー）" });
    await expect(refusals).toHaveCount(2); // before the consent, and after its withdrawal
    await expect(refusals.first()).toContainText("撤回されています");
    await expect(clerk.getByRole("columnheader", { name: "氏名" })).toHaveCount(0); // the patient's copy names no staff
    await expect(report).not.toContainText("中村 健一");
    await expect(clerk.getByRole("button", { name: "印刷" })).toBeVisible();
    expect(await seriousA11yViolations(clerk)).toEqual([]);
  });

  test("an administrator opens a patient's access report by their card, with staff names", async ({ page }) => {
    await login(page, "admin");
    await page.getByRole("link", { name: "閲覧記録の開示" }).click();
    await page.getByLabel("氏名（カナ）").fill("ヤマダ タロウ");
    await page.getByLabel("生年月日").fill("1958-04-12");
    await page.getByLabel("被保険者番号（記号・番号の番号）").fill("00123456");
    await page.getByLabel("保険者番号", { exact: true }).fill("39221010");
    await page.getByRole("button", { name: "閲覧記録を表示" }).click();
    await expect(page).toHaveURL(/\/patients\/pat-0001\/access-report$/);
    await expect(page.getByRole("columnheader", { name: "氏名" })).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("the consent tab tells a doctor that something is withheld, not what; the clerk sees the category", async ({ browser }) => {
    const doctor = await (await browser.newContext()).newPage();
    await login(doctor, "doctor2");
    await doctor.goto("/patients/pat-0002/consent");
    const inForce = doctor.getByTestId("consent-in-force");
    await expect(inForce).toContainText("あり（区分は同意の担当事務にのみ表示されます）");
    await expect(inForce).not.toContainText("精神科");
    // and the psychiatric care itself, the insomnia of the depression visit included, stays withheld
    await doctor.goto("/patients/pat-0002");
    await expect(doctor.locator("main")).toContainText("患者の意思により一部の記録は表示されていません。");
    await expect(doctor.locator("main")).not.toContainText("不眠症");
    await expect(doctor.locator("main")).not.toContainText("うつ病");

    const clerk = await (await browser.newContext()).newPage();
    await login(clerk, "clerk3");
    await clerk.goto("/patients/pat-0002/consent");
    await expect(clerk.getByTestId("consent-in-force")).toContainText("精神科");
  });
});
