import fs from "node:fs";
import { test, expect, login, firstLogin, createAccount, appointFacilityAdministrator, seriousA11yViolations, type Page } from "./fixtures";

/**
 * The network's administration as one chain, each step by the person whose job it is: the network
 * administrator adds a clinic (its 医療機関コード typed in full-width digits, as many keyboards do) and
 * appoints its 施設管理者; the facility administrator's first login (own password, authenticator),
 * then they register the clinic's doctor; the network administrator records the doctor's licence
 * check (not the facility administrator, who created the account); the doctor's first login, the
 * patient's first consent for the clinic, and the record; the clinic is suspended and the doctor's
 * next request is refused, and so is the push key issued on its page; the audit search finds every
 * step, and exports the doctor's view as CSV. The new clinic stays (suspended): the other specs do
 * not count on it.
 */
const CLINIC = "あさひ台クリニック";
const CODE = "2210200776";
const WIDE_CODE = "２２１０２００７７６";
/** 山田 太郎's insurance card (pat-0001) */
/** A push with the facility's key: a body that is no Bundle, so that passing the key answers 400 and files nothing. */
const pushWith = (page: Page, key: string) => page.request.post("/api/fhir", { data: '{"resourceType":"Patient"}', headers: { "Content-Type": "application/fhir+json", Authorization: `Bearer ${key}` } });

/** The newest event of one action by one user (login ID), found with the audit search and opened: the event as the page shows it. */
async function foundInAudit(page: Page, user: string, action: string) {
  await page.goto(`/admin/audit?${new URLSearchParams({ user, action })}`);
  const row = page.getByTestId("audit-events").locator("tbody tr").first();
  await row.getByRole("link").click();
  const event = page.getByTestId("audit-event");
  await expect(event).toContainText(`（${action}）`);
  return event;
}

const CARD = { kana: "ヤマダ タロウ", birthDate: "1958-04-12", insurerNumber: "39221010", insuredNumber: "00123456" };

test("a clinic joins, its administrator registers a doctor, the doctor sees a consented patient until the clinic is suspended, and the audit trail shows it", async ({ browser }) => {
  test.setTimeout(240_000);
  const admin = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await login(admin, "admin");

  // the clinic, with its code in full-width digits: stored as the 10 digits
  await admin.goto("/admin/facilities/new");
  await admin.getByLabel("医療機関コード").fill(WIDE_CODE);
  await admin.getByLabel("名称", { exact: true }).fill(CLINIC);
  await admin.getByLabel("種類").selectOption("CLINIC");
  expect(await seriousA11yViolations(admin)).toEqual([]);
  await admin.getByRole("button", { name: "追加する" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "施設を追加しました。" })).toBeVisible();
  await expect(admin.getByRole("heading", { name: CLINIC })).toBeVisible();
  await expect(admin.getByText(CODE, { exact: true })).toBeVisible();
  const facilityPage = new URL(admin.url()).pathname;
  const facilityId = facilityPage.split("/").pop()!;
  expect(await seriousA11yViolations(admin)).toEqual([]);
  // its push key, shown once: the clinic's system may send records
  await admin.getByRole("button", { name: "APIキーを発行" }).click();
  const key = (await admin.getByTestId("issued-key").textContent())!.trim();
  expect((await pushWith(admin, key)).status()).toBe(400); // the key and the clinic pass; the body is no Bundle
  // and the search finds it by the code in either width
  await admin.goto(`/admin/facilities?q=${encodeURIComponent(WIDE_CODE)}`);
  await expect(admin.getByTestId("facilities").locator("tbody tr")).toHaveCount(1);
  await expect(admin.getByTestId("facilities")).toContainText(CLINIC);

  // its facility administrator: an account at the clinic, then the right to run the clinic's accounts
  await admin.goto("/admin/users/new");
  const facilityAdminPassword = await createAccount(admin, { loginId: "e2e-asahi-admin", name: "朝日 道子", nameKana: "アサヒ ミチコ", profession: "CLERK", facility: CLINIC });
  expect(await seriousA11yViolations(admin)).toEqual([]);
  await appointFacilityAdministrator(admin, "e2e-asahi-admin");
  expect(await seriousA11yViolations(admin)).toEqual([]);

  // the facility administrator's first login, then the clinic's doctor
  const facilityAdmin = await (await browser.newContext()).newPage();
  await firstLogin(facilityAdmin, "e2e-asahi-admin", facilityAdminPassword, "Asahidai-kanri-no-hi");
  // the clinic's desk first, which records first consents, then its doctor
  await facilityAdmin.goto("/admin/users/new");
  const deskPassword = await createAccount(facilityAdmin, { loginId: "e2e-asahi-desk", name: "旭 受付", nameKana: "アサヒ ウケツケ", profession: "CLERK" });
  await facilityAdmin.goto("/admin/users/new");
  await expect(facilityAdmin.getByText("施設管理者は自施設の利用者だけを登録できます。")).toBeVisible();
  const doctorPassword = await createAccount(facilityAdmin, { loginId: "e2e-asahi-dr", name: "旭 健太", nameKana: "アサヒ ケンタ", licence: "623410" });
  expect(await seriousA11yViolations(facilityAdmin)).toEqual([]);

  // the licence check: the network administrator's, since the facility administrator created the account
  await admin.goto("/admin/users?q=e2e-asahi-desk");
  const deskRow = admin.locator("tr[data-login=e2e-asahi-desk]");
  await deskRow.getByLabel("確認方法").selectOption("LICENCE_ORIGINAL");
  await deskRow.getByRole("button", { name: "資格確認を記録" }).click();
  await expect(admin.getByRole("status")).toContainText("資格確認を記録しました");
  await admin.goto("/admin/users?q=e2e-asahi-dr");
  const row = admin.locator("tr[data-login=e2e-asahi-dr]");
  await expect(row).toContainText(CLINIC);
  await row.getByLabel("確認方法").selectOption("MHLW_REGISTRY_SEARCH");
  await row.getByRole("button", { name: "資格確認を記録" }).click();
  await expect(admin.getByRole("status")).toContainText("資格確認を記録しました");
  expect(await seriousA11yViolations(admin)).toEqual([]);

  // the doctor: first login. The patient's first consent for a clinic that has never had them is the
  // desk's (the card's four items are no proof the patient is there): the doctor is refused, the
  // clinic's desk records it, and the doctor sees the record
  const doctor = await (await browser.newContext()).newPage();
  await firstLogin(doctor, "e2e-asahi-dr", doctorPassword, "Asahidai-shinryo-no-hi");
  const recordConsentAs = async (page: typeof doctor) => {
    await page.goto("/consents/new");
    const card = page.locator("form", { has: page.getByRole("button", { name: "同意を登録" }) });
    await card.getByLabel("氏名（カナ）").fill(CARD.kana);
    await card.getByLabel("生年月日").fill(CARD.birthDate);
    await card.getByLabel("保険者番号", { exact: true }).fill(CARD.insurerNumber);
    await card.getByLabel("被保険者番号（記号・番号の番号）").fill(CARD.insuredNumber);
    await card.getByRole("button", { name: "同意を登録" }).click();
  };
  await recordConsentAs(doctor);
  await expect(doctor.locator("main [role=alert]")).toContainText("最初の同意は、受付（同意の担当）が患者さん本人とカードを確認して登録します。");
  const desk = await (await browser.newContext()).newPage();
  await firstLogin(desk, "e2e-asahi-desk", deskPassword, "Asahidai-uketsuke-no-hi");
  await recordConsentAs(desk);
  await expect(desk.getByRole("status")).toContainText("同意を登録しました");
  await doctor.goto("/patients/pat-0001");
  await expect(doctor.getByRole("heading", { level: 1 })).toContainText("山田 太郎");
  await expect(doctor.getByTestId("safety-banner")).toBeVisible();

  // the clinic is suspended: the doctor's next request is refused
  await admin.goto(facilityPage);
  await admin.getByRole("link", { name: "参加を停止…" }).click();
  await expect(admin.getByText(`${CLINIC} の参加を停止しますか？`)).toBeVisible();
  expect(await seriousA11yViolations(admin)).toEqual([]);
  await admin.getByRole("button", { name: "停止する" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "参加を停止しました" })).toBeVisible();
  await doctor.reload();
  await expect(doctor).toHaveURL(/\/login/);
  // and its push key is refused before the body is read
  const refused = await pushWith(admin, key);
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { resourceType: string }).resourceType).toBe("OperationOutcome");

  // the audit search finds every step, each by whom it was done
  await expect(await foundInAudit(admin, "admin", "FACILITY_CREATED")).toContainText(CODE);
  await expect(await foundInAudit(admin, "admin", "FACILITY_KEY_ISSUED")).toContainText(CODE);
  await expect(await foundInAudit(admin, "admin", "FACILITY_ADMINISTRATOR_GRANTED")).toContainText(facilityId);
  await expect(await foundInAudit(admin, "e2e-asahi-admin", "USER_CREATED")).toContainText("e2e-asahi-dr");
  await expect(await foundInAudit(admin, "admin", "CREDENTIAL_VERIFIED")).toContainText("623410");
  await expect(await foundInAudit(admin, "e2e-asahi-dr", "LOGIN")).toContainText(CLINIC);
  await expect(await foundInAudit(admin, "e2e-asahi-dr", "RECORD_VIEW")).toContainText("pat-0001");
  await expect(await foundInAudit(admin, "admin", "FACILITY_SUSPENDED")).toContainText(facilityId);
  expect(await seriousA11yViolations(admin)).toEqual([]);

  // the audit trail: the doctor's view, found by their login ID, exported as CSV for Excel
  await admin.getByRole("link", { name: "監査ログ", exact: true }).click();
  await expect(admin.getByRole("heading", { name: "監査ログの検索" })).toBeVisible();
  await admin.getByLabel("利用者（ログインIDまたは利用者ID）").fill("e2e-asahi-dr");
  await admin.getByRole("button", { name: "検索", exact: true }).click();
  const events = admin.getByTestId("audit-events").locator("tbody tr");
  await expect(events.filter({ hasText: "診療記録の閲覧" }).first()).toBeVisible();
  expect(await seriousA11yViolations(admin)).toEqual([]);
  const download = admin.waitForEvent("download");
  await admin.getByRole("link", { name: "CSV（Excel 用）" }).click();
  const csv = fs.readFileSync((await (await download).path())!, "utf8");
  expect(csv.startsWith("\uFEFF")).toBe(true);
  const lines = csv.slice(1).trimEnd().split("\r\n");
  expect(lines.some((l) => l.includes(",RECORD_VIEW,pat-0001,TREATMENT,ALLOW,") && l.includes(CLINIC))).toBe(true);

  // the dashboard names every profession on the users chart (看護師 was left unlabelled)
  await admin.getByRole("link", { name: "ダッシュボード" }).click();
  const users = admin.getByTestId("dash-users").getByTestId("dashboard-chart");
  await expect(users.locator(".recharts-cartesian-axis-tick-value").filter({ hasText: "看護師" })).toBeVisible();
  expect(await users.locator(".recharts-cartesian-axis-tick-value").allTextContents()).toEqual(expect.arrayContaining(["医師", "歯科医師", "薬剤師", "看護師", "救急隊・救急部門", "事務", "管理者"]));
  expect(await seriousA11yViolations(admin)).toEqual([]);
});
