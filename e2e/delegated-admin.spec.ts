import { test, expect, login, submitLogin, demoCode, seriousA11yViolations, appointFacilityAdministrator, createAccount } from "./fixtures";

/**
 * Delegated administration, end to end: the network administrator makes a clinic's clerk its
 * 施設管理者; the clerk registers a doctor at their own clinic (and only sees that clinic's staff);
 * the licence check is not theirs to record for an account they created, so the network
 * administrator records it; the doctor's first login asks for a new password.
 */
test("a facility administrator registers their clinic's doctor; another administrator records the licence check", async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await login(admin, "admin");
  await appointFacilityAdministrator(admin, "clerk5");
  expect(await seriousA11yViolations(admin)).toEqual([]);

  const clerk = await (await browser.newContext()).newPage();
  await login(clerk, "clerk5");
  await clerk.getByRole("link", { name: "利用者管理" }).click();
  await expect(clerk.getByText("ひがし眼科医院 の利用者だけを表示しています")).toBeVisible();
  await expect(clerk.locator("tr[data-login=doctor1]")).toHaveCount(0);
  await clerk.getByRole("link", { name: "利用者を追加" }).click();
  await expect(clerk.getByText("施設管理者は自施設の利用者だけを登録できます。")).toBeVisible();
  const initial = await createAccount(clerk, { loginId: "e2e-higashi-dr", name: "東山 一郎", nameKana: "ヒガシヤマ イチロウ", licence: "778899" });

  // the creator does not vouch for the licence: their list offers no licence check for this account
  await clerk.goto("/admin/users?q=e2e-higashi-dr");
  const theirRow = clerk.locator("tr[data-login=e2e-higashi-dr]");
  await expect(theirRow.getByText("未確認")).toBeVisible();
  await expect(theirRow.getByRole("button", { name: "資格確認を記録" })).toHaveCount(0);

  await admin.goto("/admin/users?q=e2e-higashi-dr");
  const row = admin.locator("tr[data-login=e2e-higashi-dr]");
  await row.getByLabel("確認方法").selectOption("MHLW_REGISTRY_SEARCH");
  await row.getByRole("button", { name: "資格確認を記録" }).click();
  await expect(admin.getByRole("status")).toContainText("資格確認を記録しました");

  const doctor = await (await browser.newContext()).newPage();
  await submitLogin(doctor, "e2e-higashi-dr", initial, await demoCode(doctor));
  await doctor.waitForURL(/\/account\/password/);
});
