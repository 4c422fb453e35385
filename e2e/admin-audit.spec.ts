import fs from "node:fs";
import { test, expect, login, seriousA11yViolations, type Page } from "./fixtures";

/** The administrator's audit search on the demo network: doctor1 opens 山田 太郎, admin finds it. */

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

test.describe("audit log (監査ログ)", () => {
  test("the network administrator finds a doctor's view by the patient's card, opens it, downloads the CSV and the BALP export, and verifies the chains", async ({ browser }) => {
    const doctor = await (await browser.newContext()).newPage();
    await login(doctor, "doctor1");
    await doctor.goto("/patients/pat-0001");
    await expect(doctor.locator("main h1, main h2").first()).toBeVisible();

    const admin = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await login(admin, "admin");
    await admin.getByRole("link", { name: "監査ログ" }).click();
    await expect(admin.getByRole("heading", { name: "監査ログの検索" })).toBeVisible();

    // the patient by card (POST), then the filters in the address
    await admin.getByText("保険証の記載で患者を特定して検索").click();
    const card = admin.locator("form", { has: admin.getByRole("button", { name: "この患者の記録を検索" }) });
    await card.getByLabel("氏名（カナ）").fill("ヤマダ タロウ");
    await card.getByLabel("生年月日").fill("1958-04-12");
    await card.getByLabel("保険者番号", { exact: true }).fill("39221010");
    await card.getByLabel("被保険者番号（記号・番号の番号）").fill("00123456");
    await card.getByRole("button", { name: "この患者の記録を検索" }).click();
    await expect(admin).toHaveURL(/\/admin\/audit\?patient=pat-0001$/);
    await admin.getByLabel("操作").selectOption("RECORD_VIEW");
    await admin.getByLabel("利用者（ログインIDまたは利用者ID）").fill("doctor1");
    await admin.getByRole("button", { name: "検索", exact: true }).click();
    const rows = admin.getByTestId("audit-events").locator("tbody tr");
    await expect(rows.first()).toContainText("診療記録の閲覧");
    expect(await seriousA11yViolations(admin)).toEqual([]);

    await rows.first().getByRole("link", { name: /の詳細$/ }).click();
    await expect(admin.getByTestId("audit-event")).toContainText("pat-0001");
    await expect(admin.getByTestId("audit-event")).toContainText("patient-record");
    await admin.goBack();

    const csvDownload = admin.waitForEvent("download");
    await admin.getByRole("link", { name: "CSV（Excel 用）" }).click();
    const csv = fs.readFileSync((await (await csvDownload).path())!, "utf8");
    expect(csv.startsWith("\uFEFF通番 seq,日時 at,")).toBe(true);
    const lines = csv.slice(1).trimEnd().split("\r\n");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes(",RECORD_VIEW,pat-0001,TREATMENT,ALLOW,"))).toBe(true);

    const fhirDownload = admin.waitForEvent("download");
    await admin.getByRole("link", { name: "FHIR AuditEvent（IHE BALP・ndjson）" }).click();
    const events = fs.readFileSync((await (await fhirDownload).path())!, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(events).toHaveLength(lines.length - 1);
    expect(events[0]).toMatchObject({ resourceType: "AuditEvent", action: "R", purposeOfEvent: [{ coding: [{ code: "TREAT" }] }] });
    expect(events[0].entity[0]).toMatchObject({ what: { reference: "Patient/pat-0001" } });

    await admin.getByRole("button", { name: "検証を実行" }).click();
    await expect(admin.getByTestId("audit-verify-result")).toBeVisible({ timeout: 30_000 });

    // a phone: the page fits 390 px
    await admin.setViewportSize({ width: 390, height: 844 });
    expect(await pageWidth(admin)).toBeLessThanOrEqual(390);
  });

  test("a doctor is refused the page and the export", async ({ page }) => {
    await login(page, "doctor1");
    await page.goto("/admin/audit");
    await expect(page.locator("main [role=alert]")).toContainText("管理者のみが利用できます。");
    await expect(page.getByTestId("audit-events")).toHaveCount(0);
    const res = await page.request.get("/api/admin/audit/export?format=csv");
    expect(res.status()).toBe(403);
    expect(await res.json()).toMatchObject({ error: "ACCESS_DENIED", reason: "NOT_ADMINISTRATOR" });
  });
});
