import { test, expect, login, seriousA11yViolations, type Page } from "./fixtures";

/** pat-0005 田中 健 withdrew his consent for つなぐ中央病院 (fac-01) before the demo starts. */
const PATIENT = "/patients/pat-0005";

type Card = { kana: string; birthDate: string; insurerNumber: string; insuredNumber: string };
/** 田中 健's insurance card, as the desk reads it */
const TANAKA: Card = { kana: "ﾀﾅｶ ｹﾝ", birthDate: "1965-11-30", insurerNumber: "06221188", insuredNumber: "40518" };

/** The four card items, in the form that has this submit button. */
async function fillCard(page: Page, submit: string, card: Card) {
  const form = page.locator("form", { has: page.getByRole("button", { name: submit }) });
  await form.getByLabel("氏名（カナ）").fill(card.kana);
  await form.getByLabel("生年月日").fill(card.birthDate);
  await form.getByLabel("保険者番号", { exact: true }).fill(card.insurerNumber);
  await form.getByLabel("被保険者番号（記号・番号の番号）").fill(card.insuredNumber);
  return form;
}

async function fillConsent(page: Page, card: Card, where = "/consents/new", withholdPsychiatric = true) {
  await page.goto(where);
  const form = await fillCard(page, "同意を登録", card);
  if (withholdPsychiatric) await form.getByRole("checkbox", { name: "精神科" }).check();
  await form.getByRole("button", { name: "同意を登録" }).click();
}

/** The four card items on the access report's identification form. */
async function fillReportCard(page: Page, card: Card) {
  await fillCard(page, "閲覧記録を表示", card);
  await page.getByRole("button", { name: "閲覧記録を表示" }).click();
}

test.describe("consent", () => {
  test("a card that matches no patient is a clear message and records nothing", async ({ page }) => {
    await login(page, "clerk1");
    await fillConsent(page, { ...TANAKA, kana: "タナカ ケン", insuredNumber: "99999" });
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
    await clerk.goto("/consents/new");
    const form = await fillCard(clerk, "同意を登録", { ...TANAKA, insurerNumber: "０６２２１１８８" }); // full-width digits, as some desks type them
    await form.getByRole("checkbox", { name: "精神科" }).check();
    await form.getByLabel("取得方法").selectOption("VERBAL_WITNESSED");
    await form.getByLabel("本人確認").selectOption("INSURANCE_CARD");
    await form.getByRole("button", { name: "同意を登録" }).click();
    // he withdrew it before: recording it afresh opens his record again, which the desk confirms with him
    await expect(form.getByTestId("consent-widening")).toContainText("患者さんが撤回した同意を、改めて登録します。");
    // the form comes back as the desk left it, not as the defaults (review 6, H1)
    await expect(form.getByLabel("取得方法")).toHaveValue("VERBAL_WITNESSED");
    await expect(form.getByLabel("本人確認")).toHaveValue("INSURANCE_CARD");
    await expect(form.getByRole("checkbox", { name: "精神科" })).toBeChecked();
    await expect(clerk.getByTestId("consent-in-force")).toHaveCount(0); // nothing recorded yet
    // the card as typed stays in the form: ticking the confirmation is all that is left (review 7, M2)
    await expect(form.getByLabel("氏名（カナ）")).toHaveValue(TANAKA.kana);
    await expect(form.getByLabel("保険者番号", { exact: true })).toHaveValue("０６２２１１８８");
    await form.getByRole("checkbox", { name: "上記を患者さんに説明し、患者さん本人の意思であることを確認しました" }).check();
    await form.getByRole("button", { name: "同意を登録" }).click();
    await expect(clerk.getByRole("status")).toContainText("同意を登録しました");
    await expect(clerk.getByTestId("consent-in-force")).toContainText("全記録");
    await expect(clerk.getByTestId("consent-in-force")).toContainText("口頭（立会人あり）");
    await expect(clerk.getByTestId("consent-in-force")).toContainText("精神科");
    const history = clerk.getByTestId("consent-history").locator("tbody tr");
    await expect(history).toHaveCount(2); // the new consent, and the earlier withdrawn one kept as it was
    await expect(history.nth(1)).toContainText("撤回");
    expect(await seriousA11yViolations(clerk)).toEqual([]);

    await doctor.reload();
    await expect(doctor.getByTestId("safety-banner")).toBeVisible();
    await expect(doctor.getByRole("heading", { level: 1 })).toContainText("田中 健");

    await fillCard(clerk, "同意を撤回", TANAKA); // a withdrawal too is made on the patient's card
    await clerk.getByRole("checkbox", { name: /患者さんの撤回の意思を確認しました/ }).check();
    await clerk.getByRole("button", { name: "同意を撤回" }).click();
    await expect(clerk.getByRole("status")).toContainText("同意を撤回しました");
    // recorded again at once, it comes back for the desk's confirmation, titled as a resumption (no
    // consent is in force), and the withdrawal's notice does not stay above it (review 6, L1 and L2)
    const again = await fillCard(clerk, "同意を登録", TANAKA);
    await again.getByRole("button", { name: "同意を登録" }).click();
    await expect(again.getByTestId("consent-widening").locator("legend")).toHaveText("この同意で、撤回または期限切れの後に再び共有が始まります");
    await expect(clerk.getByText("同意を撤回しました")).toHaveCount(0);

    // Same session, next click: the record's other page is refused, and the record drawn before the
    // withdrawal leaves with it. Back must not bring it out of the router's memory (review 6, H2): it
    // asks the server, which refuses.
    await doctor.getByRole("link", { name: "処方・調剤歴" }).click();
    await expect(doctor).toHaveURL(/\/record-closed\?by=403&reason=CONSENT_WITHDRAWN$/);
    await expect(doctor.getByTestId("record-screen-ended")).toContainText("撤回されています");
    await doctor.goBack();
    await expect(doctor).toHaveURL(new RegExp(`${PATIENT}$`));
    await expect(doctor.getByRole("heading", { name: "この患者の記録は閲覧できません" })).toBeVisible();
    await expect(doctor.locator("main")).toContainText("撤回されています");
    await expect(doctor.getByTestId("safety-banner")).toHaveCount(0);
    expect(await doctor.content()).not.toContain("田中 健");

    await clerk.getByRole("link", { name: "アクセス記録（患者さんへの開示用）" }).click();
    // printed at the patient's request: the desk identifies them by their card first
    await expect(clerk.getByRole("heading", { name: "閲覧記録の印刷: 患者さんの確認" })).toBeVisible();
    await expect(clerk.getByTestId("access-report")).toHaveCount(0);
    await fillReportCard(clerk, { ...TANAKA, insurerNumber: "06221199" });
    await expect(clerk.locator("main [role=alert]")).toContainText("一致する患者が見つかりません");
    await fillReportCard(clerk, { ...TANAKA, insurerNumber: "０６２２１１８８" });
    await expect(clerk).toHaveURL(/\/patients\/pat-0005\/access-report$/);
    const report = clerk.getByTestId("access-report");
    // opening the report before the card was no refused report: the patient's copy says nothing of it
    await expect(report.locator("tbody tr", { hasText: "閲覧記録の作成" }).filter({ hasText: "拒否" })).toHaveCount(0);
    await expect(report.locator("tbody tr", { hasText: "患者の特定" }).first()).toContainText("実施");
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
    await fillReportCard(page, { kana: "ヤマダ タロウ", birthDate: "1958-04-12", insurerNumber: "39221010", insuredNumber: "00123456" });
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

  test("the doctor who wants the access cannot undo the patient's withholding from the consent page: the card must be the patient's", async ({ page }) => {
    await login(page, "doctor2");
    // 佐藤 花子 withholds psychiatric records from みなみ内科; the doctor tries a change with another patient's card
    await fillConsent(page, { kana: "ヤマダ タロウ", birthDate: "1958-04-12", insurerNumber: "39221010", insuredNumber: "00123456" }, "/patients/pat-0002/consent");
    await expect(page.locator("main [role=alert]")).toContainText("この患者と一致しません");
    // her own card, copied from the screen, does not help either: lifting a withholding is for the desk
    await fillConsent(page, { kana: "サトウ ハナコ", birthDate: "1949-09-03", insurerNumber: "39221010", insuredNumber: "00234567" }, "/patients/pat-0002/consent", false);
    await expect(page.locator("main [role=alert]")).toContainText("受付（同意の担当）が患者さん本人とカードを確認して行います");
    // nothing changed: the withheld care stays withheld
    await page.goto("/patients/pat-0002");
    await expect(page.locator("main")).not.toContainText("うつ病");
    // and without any card the form cannot be sent at all (the card fields are required, and checked on the server)
    await page.goto("/patients/pat-0002/consent");
    const form = page.locator("form", { has: page.getByRole("button", { name: "同意を登録" }) });
    await expect(form.getByLabel("保険者番号", { exact: true })).toHaveAttribute("required", "");
  });

  test("the desk opens a registered patient's consent by their card", async ({ page }) => {
    await login(page, "clerk3");
    await expect(page).toHaveURL(/\/consents\/new$/); // where the desk's work starts
    await expect(page.getByRole("navigation", { name: "main" }).getByRole("link", { name: "患者検索" })).toHaveCount(0); // not offered to the desk
    await page.goto("/patients"); // and if typed in, it says why
    await expect(page.locator("main")).toContainText("患者検索は医師・歯科医師・薬剤師・看護師・救急部門の職員が使います");
    await page.goto("/consents/new");
    await fillCard(page, "同意のページを開く", { kana: "サトウ ハナコ", birthDate: "1949-09-03", insurerNumber: "39221010", insuredNumber: "00234567" });
    await page.getByRole("button", { name: "同意のページを開く" }).click();
    await expect(page).toHaveURL(/\/patients\/pat-0002\/consent$/);
    await expect(page.getByTestId("consent-in-force")).toContainText("精神科");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  // last: it changes 佐藤 花子's consent, and puts it back as it was (精神科 withheld, no expiry)
  test("a change starts from the consent in force: setting an expiry keeps 精神科 withheld; lifting it takes the patient's confirmation of what becomes visible", async ({ browser }) => {
    test.setTimeout(60_000);
    const HANAKO: Card = { kana: "サトウ ハナコ", birthDate: "1949-09-03", insurerNumber: "39221010", insuredNumber: "00234567" };
    const clerk = await (await browser.newContext()).newPage();
    await login(clerk, "clerk3");
    await clerk.goto("/patients/pat-0002/consent");
    const form = clerk.locator("form", { has: clerk.getByRole("button", { name: "同意を登録" }) });
    const psychiatric = form.getByRole("checkbox", { name: "精神科" });
    const widening = form.getByTestId("consent-widening");
    const confirm = form.getByRole("checkbox", { name: "上記を患者さんに説明し、患者さん本人の意思であることを確認しました" });
    const inForce = clerk.getByTestId("consent-in-force");

    // the form shows the consent in force, not a blank one
    await expect(form).toContainText("現在の同意の内容を表示しています");
    await expect(form.getByRole("radio", { name: "全記録" })).toBeChecked();
    await expect(form.getByLabel("取得方法")).toHaveValue("WRITTEN");
    await expect(form.getByLabel("本人確認")).toHaveValue("MYNUMBER_CARD");
    await expect(psychiatric).toBeChecked();

    // only the expiry changed: no confirmation asked, and 精神科 stays withheld
    await fillCard(clerk, "同意を登録", HANAKO);
    await form.getByLabel(/^有効期限/).fill("2027-12-31");
    await expect(widening).toHaveCount(0);
    await form.getByRole("button", { name: "同意を登録" }).click();
    await expect(clerk.getByRole("status")).toContainText("同意を登録しました");
    await expect(inForce).toContainText("〜2027-12-31");
    await expect(inForce).toContainText("精神科");

    // unticking 精神科 names what becomes visible; sent without the tick it is refused and nothing changes
    await fillCard(clerk, "同意を登録", HANAKO);
    await psychiatric.uncheck();
    await expect(widening).toContainText("精神科の記録がこの施設の閲覧者に表示されるようになります。");
    await form.getByRole("button", { name: "同意を登録" }).click();
    await expect(form.getByText("表示されるようになる内容を患者さんに確認し、確認欄にチェックしてから登録してください。")).toBeVisible();
    await expect(inForce).toContainText("精神科");
    await expect(psychiatric).not.toBeChecked(); // the form comes back as the desk left it
    // confirmed, it is recorded
    await fillCard(clerk, "同意を登録", HANAKO);
    await confirm.check();
    await form.getByRole("button", { name: "同意を登録" }).click();
    await expect(clerk.getByRole("status")).toContainText("同意を登録しました");
    await expect(inForce).not.toContainText("精神科");
    expect(await seriousA11yViolations(clerk)).toEqual([]);

    // the doctor at the same clinic now sees the psychiatric care
    const doctor = await (await browser.newContext()).newPage();
    await login(doctor, "doctor2");
    await doctor.goto("/patients/pat-0002");
    await expect(doctor.locator("main")).toContainText("うつ病");

    // put it back: 精神科 withheld again and no expiry — removing the expiry is a widening too
    await clerk.goto("/patients/pat-0002/consent");
    await fillCard(clerk, "同意を登録", HANAKO);
    await psychiatric.check();
    await form.getByLabel(/^有効期限/).fill("");
    await expect(widening).toContainText("有効期限がなくなり");
    await expect(widening).not.toContainText("精神科");
    await confirm.check();
    await form.getByRole("button", { name: "同意を登録" }).click();
    await expect(clerk.getByRole("status")).toContainText("同意を登録しました");
    await expect(inForce).toContainText("精神科");
    await expect(inForce).toContainText("期限なし");
    await doctor.reload();
    await expect(doctor.locator("main")).not.toContainText("うつ病");
  });
});
