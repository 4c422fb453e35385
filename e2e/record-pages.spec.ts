import { test, expect, login, seriousA11yViolations, allA11yViolations } from "./fixtures";

/**
 * Where each point sits against the drawn normal band: in-range points inside it, low ones below it,
 * high ones above it (SVG y grows downwards). Read from the rendered chart, not from our own numbers.
 */
async function pointsAgainstBand(page: import("@playwright/test").Page) {
  const chart = page.getByTestId("lab-chart");
  await expect(chart.getByTestId("lab-point").first()).toBeVisible();
  const band = await chart.locator(".recharts-reference-area-rect").boundingBox();
  const svg = await chart.locator("svg.recharts-surface").boundingBox();
  expect(band && svg).toBeTruthy();
  const top = band!.y - svg!.y;
  const bottom = top + band!.height;
  const points = await chart.getByTestId("lab-point").evaluateAll((els) => els.map((e) => ({ status: e.getAttribute("data-status"), cy: Number(e.getAttribute("data-cy")) })));
  return { top, bottom, points, plotTop: 8 };
}

test.describe("lab trends, documents and medication history", () => {
  test("a one-sided range is shaded on its normal side, and each point's marker agrees with it", async ({ page }) => {
    await login(page, "doctor1");
    // eGFR ≥ 60: the band runs from 60 up to the top; CKD values below 60 sit under it, marked low
    await page.goto("/patients/pat-0001/labs?code=8A065000002391901");
    const egfr = await pointsAgainstBand(page);
    expect(egfr.top).toBeLessThanOrEqual(egfr.plotTop + 1); // open-ended upwards: reaches the plot's top
    expect(egfr.points.length).toBeGreaterThan(3);
    for (const p of egfr.points) {
      if (p.status === "low") expect(p.cy).toBeGreaterThan(egfr.bottom);
      else expect(p.status === "normal" && p.cy >= egfr.top - 0.5 && p.cy <= egfr.bottom + 0.5).toBe(true);
    }
    await expect(page.getByTestId("lab-chart").locator("figcaption")).toContainText("基準範囲（緑の帯）");

    // SBP ≤ 129: the band runs from the bottom up to 129; high values sit above it, marked high
    await page.goto("/patients/pat-0001/labs?code=9A751000000000001");
    const sbp = await pointsAgainstBand(page);
    expect(sbp.points.length).toBeGreaterThan(1);
    for (const p of sbp.points) {
      if (p.status === "high") expect(p.cy).toBeLessThan(sbp.top);
      else expect(p.status === "normal" && p.cy >= sbp.top - 0.5 && p.cy <= sbp.bottom + 0.5).toBe(true);
    }
    // the table's H/L labels are the markers' statuses
    await page.getByText("数値一覧").click();
    const highRows = page.getByTestId("lab-values").locator("tbody tr[data-status=high]");
    expect(await highRows.count()).toBe(sbp.points.filter((p) => p.status === "high").length);
    if ((await highRows.count()) > 0) await expect(highRows.first()).toContainText("高");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("a doctor charts eGFR across facilities and is told it was done elsewhere recently", async ({ page }) => {
    await login(page, "doctor1");
    await page.goto("/patients/pat-0001");
    // The 統合ビュー already says which tests another facility did in the last 30 days.
    await expect(page.getByTestId("recent-elsewhere")).toContainText("みなみ内科クリニック");
    await page.getByRole("link", { name: "検査推移" }).click();
    await page.getByLabel("検査項目").selectOption("8A065000002391901"); // eGFR
    await page.getByRole("button", { name: "表示" }).click();
    await expect(page).toHaveURL(/code=8A065000002391901/);

    const chart = page.getByTestId("lab-chart");
    // one named image, not a keyboard stop: the values table below is the way in for a screen reader
    await expect(chart.getByRole("img", { name: /^eGFR の推移、\d+件（\d{4}-\d\d-\d\d〜\d{4}-\d\d-\d\d、全施設）/ })).toBeVisible();
    // and only one: a second image of the same name (the svg's own title) made a screen reader say it twice
    await expect(chart.getByRole("img", { name: /eGFR の推移/ })).toHaveCount(1);
    await expect(chart.locator("[role=application], [tabindex]:not([tabindex='-1'])")).toHaveCount(0);
    await expect(chart.getByTestId("lab-point").first()).toBeVisible();
    await expect(chart.locator("figcaption")).toContainText("つなぐ中央病院");
    await expect(page.getByTestId("recent-repeat")).toContainText(/eGFR .* を みなみ内科クリニック で \d+日前に実施済み/);

    await page.getByText("数値一覧").click();
    const values = page.getByTestId("lab-values").locator("tbody tr");
    expect(await values.count()).toBeGreaterThan(10);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("a doctor reads the cumulative lab table: panels as groups, days as columns, each cell with its facility", async ({ page }) => {
    await login(page, "doctor1");
    await page.goto("/patients/pat-0001/labs");
    await page.getByRole("link", { name: "検査結果一覧" }).click();
    await expect(page).toHaveURL(/\/labs\/table$/);
    const sheet = page.getByTestId("flowsheet");
    await expect(sheet.getByRole("columnheader").nth(1)).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
    for (const panel of ["腎機能", "脂質", "糖代謝"]) await expect(sheet.getByRole("columnheader", { name: panel })).toBeVisible();
    const egfr = sheet.locator("tr[data-code='8A065000002391901']");
    await expect(egfr.getByRole("rowheader")).toContainText("eGFR");
    await expect(egfr.locator("td [data-status]").first()).toContainText(/つなぐ中央病院|みなみ内科クリニック|クリニック|病院/);
    // out-of-range cells carry their mark in text, not only in colour
    const out = sheet.locator("td [data-status=low], td [data-status=high]");
    if ((await out.count()) > 0) await expect(out.first()).toContainText(/[▲▼]/);
    // the newest day is the first column, and older days are one link away
    const days = await sheet.locator("thead th").allTextContents();
    expect([...days.slice(1)].sort().reverse()).toEqual(days.slice(1));
    await page.getByTestId("flowsheet-older").click();
    await expect(page).toHaveURL(/before=\d{4}-\d{2}-\d{2}/);
    const olderFirst = await page.getByTestId("flowsheet").locator("thead th").nth(1).textContent();
    expect(olderFirst! < days.at(-1)!).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("on a phone the lab table scrolls sideways inside its box, not the page", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await login(page, "doctor1");
    await page.goto("/patients/pat-0001/labs/table");
    const box = page.getByTestId("flowsheet");
    const { scrollWidth, clientWidth } = await box.evaluate((e) => ({ scrollWidth: e.scrollWidth, clientWidth: e.clientWidth }));
    expect(scrollWidth).toBeGreaterThan(clientWidth);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  test("a doctor opens a referral letter from the timeline and reads it with its source and author", async ({ page }) => {
    await login(page, "doctor1");
    await page.goto("/patients/pat-0001");
    // the map is drawn once the page is hydrated: a choice made before that would be reset by it
    await expect(page.getByTestId("record-map")).toBeVisible();
    await page.getByLabel("種類").selectOption({ label: "文書" });
    await page.getByRole("combobox", { name: "施設", exact: true }).selectOption({ label: "みなみ内科クリニック" });
    await page.getByLabel("キーワード").fill("診療情報提供書");
    await page.getByRole("button", { name: "絞り込む" }).click();
    const referral = page.getByTestId("timeline").locator(":scope > li").first();
    await referral.locator("summary").click();
    await referral.getByRole("link", { name: "文書を開く" }).click();

    const doc = page.getByTestId("document");
    await expect(doc.getByRole("heading", { name: "診療情報提供書" })).toBeVisible();
    await expect(doc).toContainText("みなみ内科クリニック");
    await expect(doc).toContainText("つなぐ中央病院 循環器内科");
    await expect(doc).toContainText("狭心症の精査");
    await expect(doc).toContainText(/令和\d+年/); // the date in 和暦 as well
    await expect(page.getByTestId("safety-banner")).toContainText("ペニシリン"); // the banner stays
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Back returns to the timeline as it was filtered, not to the whole record
    await page.goBack();
    // (by role: the filter chips' remove buttons are labelled with the filter's name too)
    await expect(page.getByRole("combobox", { name: "種類" })).toHaveValue("document");
    await expect(page.getByRole("searchbox", { name: "キーワード" })).toHaveValue("診療情報提供書");
    await expect(page.getByTestId("filter-chips")).toContainText("種類: 文書");
    await expect(page.getByTestId("timeline").locator(":scope > li").first()).toContainText("診療情報提供書");
  });

  test("a document id that does not exist is a 404, not an error", async ({ page }) => {
    await login(page, "doctor1");
    const res = await page.goto("/patients/pat-0001/documents/no-such-document");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "ページが見つかりません" })).toBeVisible();
    // inside the app's layout, which has the page's one <main> already
    await expect(page.getByRole("main")).toHaveCount(1);
    expect(await allA11yViolations(page)).toEqual([]);
  });

  test("an unknown address is a 404 page with one main landmark, and every page has an icon", async ({ page }) => {
    const res = await page.goto("/no-such-page");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "ページが見つかりません" })).toBeVisible();
    await expect(page.getByRole("main")).toHaveCount(1);
    expect(await allA11yViolations(page)).toEqual([]);
    // without an icon link the browser asks for /favicon.ico, a 404 logged on every page
    const icon = await page.locator("head link[rel=icon]").first().getAttribute("href");
    expect(icon).toBeTruthy();
    const served = await page.request.get(icon!);
    expect(served.status()).toBe(200);
    expect(served.headers()["content-type"]).toContain("image/");
  });

  test("a pharmacist's medication history explains the duplicate therapy and shows a strip per drug", async ({ page }) => {
    await login(page, "pharmacist1");
    await page.goto("/patients/pat-0002");
    await page.getByRole("link", { name: "処方・調剤歴" }).click();
    const warnings = page.getByTestId("med-warnings");
    await expect(warnings).toContainText(/重複投薬（同一成分）.*同じ成分の薬（.*アムロジ.*）が .* から同時に処方されています/);
    await expect(warnings).toContainText(/アレルギーとして登録された「非ステロイド性抗炎症薬（NSAIDs）」/);
    await expect(page.getByTestId("drug-strip").filter({ hasText: "アムロジン錠5mg" })).toContainText("使用中");
    expect(await page.getByTestId("med-history").locator("tbody tr").count()).toBeGreaterThan(5);
    // a dispense row names the pharmacy, and the doctor who prescribed it as such
    await expect(page.getByTestId("med-history").locator("tbody tr", { hasText: "調剤" }).first()).toContainText(/薬局 · 処方医 \S/);
    await expect(page.getByRole("link", { name: "文書を開く" })).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("an unknown period is a clear message, not a crash", async ({ page }) => {
    await login(page, "pharmacist1");
    await page.goto("/patients/pat-0002/medications?years=abc");
    await expect(page.locator("main [role=alert]")).toContainText("入力が正しくありません");
    // a way on, not a dead end
    await page.getByRole("link", { name: "条件を指定せずに表示する" }).click();
    await expect(page).toHaveURL(/\/patients\/pat-0002\/medications$/);
    await expect(page.getByTestId("med-history")).toBeVisible();
  });
});
