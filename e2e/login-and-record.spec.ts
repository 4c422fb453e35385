import { test, expect, login, submitLogin, alertOf, seriousA11yViolations, LOGIN_FAILED } from "./fixtures";

test.describe("login", () => {
  test("a wrong password is refused with a message that does not reveal the account", async ({ page }) => {
    await submitLogin(page, "doctor1", "wrong-password");
    await expect(alertOf(page)).toHaveText(LOGIN_FAILED);
    await expect(page).toHaveURL(/\/login/);
    // An account that does not exist gets exactly the same answer.
    await submitLogin(page, "no-such-user", "wrong-password");
    await expect(alertOf(page)).toHaveText(LOGIN_FAILED);
  });

  test("the right password and code let the demo doctor in (twin of the refusal)", async ({ page }) => {
    await login(page, "doctor1");
    await expect(page.getByRole("heading", { name: "患者検索" })).toBeVisible();
  });

  test("patient pages send a visitor without a session to the login page", async ({ page }) => {
    await page.goto("/patients/pat-0001");
    await expect(page).toHaveURL(/\/login/);
    const res = await page.request.get("/api/patients/pat-0001/timeline");
    expect(res.status()).toBe(401);
  });
});

test.describe("patient search and record", () => {
  test("a name typed without the space finds the patient, who is then among my recent patients", async ({ page }) => {
    await login(page, "doctor1");
    await page.getByLabel("氏名（カナまたは漢字）").fill("ヤマダタロウ");
    await page.getByRole("button", { name: "検索" }).click();
    await page.getByRole("link", { name: /山田 太郎/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("山田 太郎");
    await page.goto("/patients");
    const recent = page.getByTestId("recent-patients");
    await expect(recent.getByRole("heading", { name: "最近開いた患者（30日以内）" })).toBeVisible();
    await expect(recent.getByRole("link", { name: /山田 太郎/ }).first()).toContainText("最終閲覧");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("a doctor finds a consented patient by kana and sees their identity and records", async ({ page }) => {
    await login(page, "doctor1");
    await page.getByLabel("氏名（カナまたは漢字）").fill("やまだ たろう");
    await page.getByRole("button", { name: "検索" }).click();
    const hit = page.getByRole("link", { name: /山田 太郎/ });
    await expect(hit).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await hit.click();

    await expect(page).toHaveURL(/\/patients\/pat-0001$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("山田 太郎");
    await expect(page.getByText("1958-04-12（昭和33年4月12日）")).toBeVisible();
    await expect(page.getByText("つなぐ中央病院").first()).toBeVisible();
    const rows = page.getByTestId("timeline").locator(":scope > li");
    await expect(rows.first()).toBeVisible();
    const firstPage = await rows.count();
    expect(firstPage).toBeGreaterThan(10);

    // Expanding a row shows its codes; scrolling further loads the next page from the server.
    const hba1c = rows.filter({ hasText: "HbA1c" }).first();
    await hba1c.locator("summary").click();
    // by the system's short name; the full URI is the tooltip
    // (a lab panel's row lists each analyte's code)
    await expect(hba1c.getByText(/^JLAC10 3D046/)).toHaveAttribute("title", "urn:oid:1.2.392.200119.4.504");
    // No click: bringing the end of the list into view is enough.
    await page.getByRole("button", { name: "さらに表示" }).scrollIntoViewIfNeeded();
    await expect.poll(() => rows.count()).toBeGreaterThan(firstPage);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("search by birth date finds the patient; a malformed date is a clear message, not a crash", async ({ page }) => {
    await login(page, "doctor1");
    await page.goto("/patients?birthDate=1958-04-12");
    await expect(page.getByRole("link", { name: /山田 太郎/ })).toBeVisible();
    await page.goto("/patients?birthDate=1958-13-45");
    await expect(alertOf(page)).toContainText("生年月日が正しくありません");
    // the message names what is wrong: a pasted paragraph is a name problem, not a date problem
    await page.goto(`/patients?q=${"ヤ".repeat(61)}`);
    await expect(alertOf(page)).toContainText("氏名は60文字以内");
  });

  test("the number on the insurance card finds the patient; a number of a patient without consent says what was searched", async ({ page }) => {
    await login(page, "doctor1");
    // 山田 太郎's 被保険者番号, typed in full width as a Japanese keyboard may give it
    await page.getByLabel("氏名（カナまたは漢字）または保険証の番号").fill("００１２３４５６");
    await page.getByRole("button", { name: "検索" }).click();
    await expect(page.getByRole("link", { name: /山田 太郎/ })).toBeVisible();
    // the twin: 鈴木 一郎's 記号 and 番号 (no consent anywhere) list nobody, and the answer names the numbers searched
    await page.getByLabel("氏名（カナまたは漢字）または保険証の番号").fill("2104518 37");
    await page.getByRole("button", { name: "検索" }).click();
    await expect(page.getByRole("link", { name: /鈴木 一郎/ })).toHaveCount(0);
    await expect(page.getByRole("status")).toContainText("該当する患者はいません。");
    await expect(page.getByRole("status")).toContainText("保険証の番号 2104518、37 を、保険者番号・被保険者記号・被保険者番号として探しました");
  });

  test("a patient with no consent for the doctor's facility is not listed and cannot be opened", async ({ page }) => {
    await login(page, "doctor1");
    await page.goto("/patients?q=" + encodeURIComponent("スズキ イチロウ"));
    await expect(page.getByRole("link", { name: /鈴木 一郎/ })).toHaveCount(0);
    // nothing says whether such a person exists anywhere: the answer is the same as for nobody
    await expect(page.getByRole("status")).toContainText("該当する患者はいません。");
    await expect(page.getByRole("status")).toContainText("受付で保険証またはマイナンバーカードを確認して");
    const nobody = await (await page.request.get("/patients?q=" + encodeURIComponent("スズキ イチロウ") + "&birthDate=1972-01-21")).text();
    const someone = await (await page.request.get("/patients?q=" + encodeURIComponent("スズキ イチロウ") + "&birthDate=1972-01-20")).text();
    const results = (html: string) => /<section aria-labelledby="results-heading"[\s\S]*?<\/section>/.exec(html)?.[0];
    expect(results(someone)).toBe(results(nobody));
    await page.goto("/patients/pat-0003");
    await expect(page.getByRole("heading", { name: "この患者の記録は閲覧できません" })).toBeVisible();
    await expect(page.getByText("この施設に対する患者の同意が登録されていません。")).toBeVisible();
    await expect(page.getByText("この閲覧の試みは監査ログに記録されました。")).toBeVisible();
    // No clinical data leaks onto the refusal screen.
    await expect(page.getByTestId("timeline")).toHaveCount(0);
  });

  test("an unknown patient id shows the not-found page", async ({ page }) => {
    await login(page, "doctor1");
    const res = await page.goto("/patients/pat-does-not-exist");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "ページが見つかりません" })).toBeVisible();
  });

  test("the UI switches to English and back", async ({ page }) => {
    await login(page, "doctor1");
    await page.getByRole("button", { name: /English/ }).click();
    await expect(page.getByRole("heading", { name: "Patient search" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    // the tab's title names the page, in the same language (review 7, L2)
    await expect(page).toHaveTitle("Patient search — Tsunagu");
    await page.getByRole("button", { name: /日本語/ }).click();
    await expect(page.getByRole("heading", { name: "患者検索" })).toBeVisible();
    await expect(page).toHaveTitle("患者検索 — つなぐ");
    // a patient's pages name the page, not the patient (the browser's history keeps titles)
    await page.goto("/patients/pat-0001/labs");
    await expect(page).toHaveTitle("検査推移 — つなぐ");
  });
});
