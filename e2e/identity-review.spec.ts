import fs from "node:fs";
import path from "node:path";
import { test, expect, login, alertOf, seriousA11yViolations } from "./fixtures";
import { DEMO_FHIR_KEY } from "../prisma/seed/demo-credentials";

/**
 * 患者の同定: the published JP-CLINS examples disagree about their own patient's 枝番 (05 in the
 * referral, 01 in the Observations Bundle), so the second push is held, never filed under 牧野 爛漫.
 * The network administrator sees it beside her, with what agrees and what differs, and rejects it;
 * a clinician is refused the page. Nothing is linked that the other specs rely on.
 */
const fixture = (name: string) => fs.readFileSync(path.resolve(import.meta.dirname, "../../shared/fixtures/jp-clins", name), "utf8");
const push = (page: import("@playwright/test").Page, body: string) =>
  page.request.post("/api/fhir", { data: body, headers: { "Content-Type": "application/fhir+json", Authorization: `Bearer ${DEMO_FHIR_KEY}` } });

test("a held push waits on 患者の同定 beside the patient it may be, and the administrator rejects it; a clinician is refused", async ({ page, browser }) => {
  expect((await push(page, fixture("Bundle-Bundle-CLINS-Referral-Example-01.json"))).status()).toBe(200);
  expect((await push(page, fixture("Bundle-Bundle-CLINS-Observations-Example-01.json"))).status()).toBe(202);

  const doctor = await (await browser.newContext()).newPage();
  await login(doctor, "doctor1");
  await doctor.goto("/admin/identity");
  await expect(alertOf(doctor)).toContainText("患者の同定はネットワーク管理者のみが行えます");
  await expect(doctor.getByRole("heading", { name: /患者の同定/ })).toHaveCount(0);

  await login(page, "admin");
  await page.getByRole("link", { name: "患者の同定" }).click();
  await expect(page.getByRole("heading", { name: "患者の同定（取り込みの保留）" })).toBeVisible();
  const held = page.locator("section[data-candidate]", { hasText: "東京みなと病院" }).first();
  await expect(held).toContainText("自動で登録しなかった理由");
  await held.getByLabel("比較する患者ID").fill("pat-9001");
  await held.getByRole("button", { name: "比較する" }).click();
  const compared = page.locator("section[data-candidate]", { hasText: "東京みなと病院" }).first();
  await expect(compared.locator('tr[data-field="kana"]')).toContainText("一致");
  await expect(compared.locator('tr[data-field="insured"]')).toContainText("不一致");
  expect(await seriousA11yViolations(page)).toEqual([]);

  await compared.getByRole("button", { name: "別人として却下する" }).click();
  await expect(page.getByRole("status").filter({ hasText: "却下しました" })).toBeVisible();
});
