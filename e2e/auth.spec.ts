import { test, expect, login, logOutEverywhere, onTwoDevices, submitLogin, alertOf, advanceClock, demoCode, seriousA11yViolations, DEMO_PASSWORD, LOGIN_FAILED, type Page } from "./fixtures";
import { totpCode } from "../lib/auth/totp";

const logout = async (page: Page) => {
  await page.getByRole("button", { name: "ログアウト" }).click();
  await page.waitForURL(/\/login/);
};

test.describe("two-factor login", () => {
  test("a wrong code is refused with the same message as a wrong password; the right code lets them in", async ({ page }) => {
    await submitLogin(page, "nurse1", DEMO_PASSWORD, "000000");
    await expect(alertOf(page)).toHaveText(LOGIN_FAILED);
    await submitLogin(page, "nurse1", DEMO_PASSWORD, "");
    await expect(alertOf(page)).toHaveText(LOGIN_FAILED);
    await login(page, "nurse1");
    await expect(page.getByRole("heading", { name: "患者検索" })).toBeVisible();
  });

  test("a code works once: the same code again is refused", async ({ page }) => {
    const code = await demoCode(page);
    await submitLogin(page, "pharmacist2", DEMO_PASSWORD, code);
    await page.waitForURL(/\/patients$/);
    await logout(page);
    await submitLogin(page, "pharmacist2", DEMO_PASSWORD, code); // same server time, same code
    await expect(alertOf(page)).toHaveText(LOGIN_FAILED);
  });

  test("five failures lock the account for 15 minutes, even against the right password and code", async ({ page }) => {
    for (let i = 0; i < 5; i++) {
      await submitLogin(page, "dentist1", "not-the-password");
      await expect(alertOf(page)).toHaveText(LOGIN_FAILED);
    }
    await submitLogin(page, "dentist1", DEMO_PASSWORD, await demoCode(page));
    await expect(alertOf(page)).toHaveText(LOGIN_FAILED);
    await advanceClock(page, 15 * 60);
    await login(page, "dentist1");
  });
});

test.describe("sessions", () => {
  test("an idle session ends after 30 minutes (test clock), while activity keeps it alive", async ({ page }) => {
    await login(page, "doctor4");
    await advanceClock(page, 29 * 60);
    await page.goto("/patients");
    await expect(page.getByRole("heading", { name: "患者検索" })).toBeVisible(); // 29 idle minutes: still in
    await advanceClock(page, 31 * 60);
    await page.goto("/patients");
    await expect(page).toHaveURL(/\/login/);
  });

  test("logging out everywhere ends the sessions on other devices at their next request", async ({ browser }) => {
    const [a, b] = await onTwoDevices(browser, "doctor5");
    await a.goto("/account");
    await expect(a.getByTestId("sessions").locator("tbody tr")).toHaveCount(2);
    expect(await seriousA11yViolations(a)).toEqual([]);
    await logOutEverywhere(a);
    // next-auth's own session endpoint names nobody for the ended session's cookie (nor for a live one)
    const session = await (await b.request.get("/api/auth/session")).text();
    for (const leak of ["userId", "sid", "usr-", "name"]) expect(session).not.toContain(leak);
    await b.goto("/patients");
    await expect(b).toHaveURL(/\/login/);
  });

  test("the first click on すべての端末からログアウト only asks: every session still works until it is confirmed", async ({ browser }) => {
    const [a, b] = await onTwoDevices(browser, "doctor5");
    await a.goto("/account");
    await a.getByRole("button", { name: "すべての端末からログアウト" }).click();
    const ask = a.getByTestId("logout-all-confirm");
    await expect(ask.getByRole("heading", { name: "すべての端末からログアウトしますか？" })).toBeVisible();
    // said before it is done, announced, and the keyboard lands on the safe answer
    await expect(ask.getByRole("alert")).toHaveText("この端末を含む、ログイン中のすべての端末（2 件）からログアウトします。ほかのタブや端末で入力中の、まだ送信していない内容は失われます。");
    await expect(ask.getByRole("link", { name: "キャンセル" })).toBeFocused();
    // each answer carries the explanation, so whichever has the focus reads it
    await expect(ask.getByRole("link", { name: "キャンセル" })).toHaveAccessibleDescription(/すべての端末（2 件）からログアウトします/);
    await expect(ask.getByRole("button", { name: "すべての端末からログアウトする" })).toHaveAccessibleDescription(/まだ送信していない内容は失われます/);
    expect(await seriousA11yViolations(a)).toEqual([]);
    // nothing has ended: the other device and this one both still work
    await b.goto("/patients");
    await expect(b.getByRole("heading", { name: "患者検索" })).toBeVisible();
    await a.keyboard.press("Enter"); // キャンセル
    // back where it was asked: the focus on the button, not the top of the page
    await expect(a.getByRole("button", { name: "すべての端末からログアウト" })).toBeFocused();
    await expect(a.getByTestId("sessions").locator("tbody tr")).toHaveCount(2);
    await a.goto("/patients");
    await expect(a.getByRole("heading", { name: "患者検索" })).toBeVisible();
  });
});

/** The JSON routes answer a half-finished login 401 LOGIN_INCOMPLETE, with no patient data. */
async function expectApiRefusesHalfLogin(page: Page) {
  for (const path of ["/api/patients/pat-0001/timeline?limit=5", "/api/patients/pat-0001/record-map?by=month"]) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(401);
    const body = await res.text();
    // the code, and what it means in both languages (the JSON routes' errors say it: lib/http/problem)
    expect(JSON.parse(body)).toEqual({ error: "LOGIN_INCOMPLETE", message: { ja: expect.stringContaining("ログインが完了していません"), en: expect.stringContaining("login is not complete") } });
    expect(body).not.toContain("山田");
  }
}

test.describe("accounts", () => {
  test("first login: change the password (a common one is refused), enrol the authenticator, get recovery codes", async ({ page }) => {
    await submitLogin(page, "doctor-new", DEMO_PASSWORD); // no code: not enrolled yet
    await page.waitForURL(/\/account\/password/);
    await expect(page.getByText("初回ログインです")).toBeVisible();
    await page.goto("/patients/pat-0001"); // patient data waits until the login is finished
    await expect(page).toHaveURL(/\/account\/password/);
    await expectApiRefusesHalfLogin(page); // and so do the JSON routes the page's own scripts call

    await page.getByLabel("現在のパスワード").fill(DEMO_PASSWORD);
    await page.getByLabel("新しいパスワード（8文字以上）").fill("password123");
    await page.getByLabel("新しいパスワード（確認）").fill("password123");
    await page.getByRole("button", { name: "変更する" }).click();
    await expect(page.getByText("よく使われるパスワードは使えません。")).toBeVisible();
    await page.getByLabel("新しいパスワード（8文字以上）").fill("Hoshi-no-umi-to-sora");
    await page.getByLabel("新しいパスワード（確認）").fill("Hoshi-no-umi-to-sora");
    await page.getByLabel("現在のパスワード").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "変更する" }).click();

    await page.waitForURL(/\/account\/second-factor/);
    await expectApiRefusesHalfLogin(page); // password changed, second factor still owed
    await expect(page.getByRole("img", { name: "認証アプリ登録用の QR コード" })).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
    const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
    await page.getByLabel("認証アプリの6桁").fill(totpCode(secret, await advanceClock(page, 0)));
    await page.getByRole("button", { name: "登録する" }).click();
    await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
    await page.getByRole("link", { name: "続ける" }).click();
    await expect(page.getByRole("heading", { name: "患者検索" })).toBeVisible();
    // twin: the finished login reads the same JSON (山田 太郎 consented to みなみ内科)
    const timeline = await page.request.get("/api/patients/pat-0001/timeline?limit=5");
    expect(timeline.status()).toBe(200);
    expect(((await timeline.json()) as { entries: unknown[] }).entries).toHaveLength(5);
    expect((await page.request.get("/api/patients/pat-0001/record-map?by=month")).status()).toBe(200);
  });

  test("an unverified clinician is refused every record until an administrator records the licence check", async ({ browser }) => {
    const doctor = await (await browser.newContext()).newPage();
    await login(doctor, "doctor-unverified");
    // the first screen after login (the search, with the recent patients) says why, not a server error
    await doctor.goto("/patients");
    await expect(doctor.locator("main")).toContainText("資格（免許）の確認が完了していません");
    // its way on is the account, not "back to search", which is this very refusal (review 12)
    await expect(doctor.locator("main").getByRole("link", { name: "患者検索に戻る" })).toHaveCount(0);
    await expect(doctor.locator("main").getByRole("link", { name: "アカウントとセキュリティを開く" })).toHaveAttribute("href", "/account");
    await doctor.goto("/patients/pat-0024"); // consented to the doctor's facility (しずおか市民病院)
    await expect(doctor.locator("main")).toContainText("資格（免許）の確認が完了していません");
    await expect(doctor.locator("main").getByRole("link", { name: "アカウントとセキュリティを開く" })).toHaveAttribute("href", "/account");

    const admin = await (await browser.newContext()).newPage();
    await login(admin, "admin");
    await admin.getByRole("link", { name: "利用者管理" }).click();
    const row = admin.locator("tr[data-login=doctor-unverified]");
    await row.getByLabel("確認方法").selectOption("MHLW_REGISTRY_SEARCH");
    await row.getByRole("button", { name: "資格確認を記録" }).click();
    await expect(admin.getByRole("status")).toContainText("資格確認を記録しました");
    expect(await seriousA11yViolations(admin)).toEqual([]);

    await doctor.reload();
    await expect(doctor.getByTestId("safety-banner")).toBeVisible();
    // twin: the same first screen once the check is recorded
    await doctor.goto("/patients");
    await expect(doctor.getByRole("heading", { name: "患者検索" })).toBeVisible();
  });

  test("an administrator issues a new initial password: the user logs in with it and must change it, re-authenticating with the code", async ({ browser }) => {
    const admin = await (await browser.newContext()).newPage();
    await login(admin, "admin");
    await admin.goto("/admin/users");
    await admin.getByRole("link", { name: "clerk7 を管理" }).click();
    const reset = admin.getByRole("region", { name: "パスワードのリセット" });
    await reset.getByLabel("本人確認の方法").selectOption("IN_PERSON_ID");
    await reset.getByRole("button", { name: "初期パスワードを再発行: clerk7" }).click();
    await expect(admin.getByText("clerk7 の初期パスワードを再発行しました")).toBeVisible();
    const initial = (await admin.getByTestId("reset-password").textContent())!.trim();

    const clerk = await (await browser.newContext()).newPage();
    await submitLogin(clerk, "clerk7", initial, await demoCode(clerk));
    await clerk.waitForURL(/\/account\/password/);
    await clerk.getByLabel("現在のパスワード").fill(initial);
    await clerk.getByLabel("確認コード（認証アプリの6桁）").fill(await demoCode(clerk));
    await clerk.getByLabel("新しいパスワード（8文字以上）").fill("Kawa-no-nagare-3");
    await clerk.getByLabel("新しいパスワード（確認）").fill("Kawa-no-nagare-3");
    await clerk.getByRole("button", { name: "変更する" }).click();
    await clerk.waitForURL(/\/account\?done=password/);
  });

  test("a deactivated user is thrown out at their next request", async ({ browser }) => {
    const clerk = await (await browser.newContext()).newPage();
    await login(clerk, "clerk8");
    const admin = await (await browser.newContext()).newPage();
    await login(admin, "admin");
    await admin.goto("/admin/users");
    await admin.getByRole("link", { name: "clerk8 を管理" }).click();
    const state = admin.getByRole("region", { name: "利用状態" });
    await state.getByLabel("影響を確認しました").check();
    await state.getByRole("button", { name: "無効にする: clerk8" }).click();
    await expect(admin.getByRole("status")).toContainText("無効にしました");
    await clerk.goto("/patients");
    await expect(clerk).toHaveURL(/\/login/);
    // with the right password and code, they are told why (a wrong one still gets the one generic answer)
    await submitLogin(clerk, "clerk8", DEMO_PASSWORD, await demoCode(clerk));
    await expect(alertOf(clerk)).toHaveText("このアカウントは無効になっています。所属施設の管理者に問い合わせてください。");
    await submitLogin(clerk, "clerk8", "wrong-password-9", await demoCode(clerk));
    await expect(alertOf(clerk)).toHaveText(LOGIN_FAILED);
  });
});
