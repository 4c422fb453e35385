import fs from "node:fs";
import path from "node:path";
import { test, expect, login, seriousA11yViolations } from "./fixtures";
import { DEMO_FHIR_KEY } from "../prisma/seed/demo-credentials";

/**
 * A facility's system pushes the published JP-CLINS referral letter (unmodified) to /api/fhir, and a
 * doctor at another facility sees it in the 統合ビュー: the letter, its allergies in the banner, its
 * diagnoses in the problems, and when the hospital last sent her data.
 */
const REFERRAL = fs.readFileSync(path.resolve(import.meta.dirname, "../../shared/fixtures/jp-clins/Bundle-Bundle-CLINS-Referral-Example-01.json"), "utf8");

test("a pushed referral Bundle appears in the 統合ビュー as a letter, in the banner and in the problems", async ({ page }) => {
  // the twin refusal first: no key, no record
  const refused = await page.request.post("/api/fhir", { data: REFERRAL, headers: { "Content-Type": "application/fhir+json" } });
  expect(refused.status()).toBe(401);
  expect(((await refused.json()) as { resourceType: string }).resourceType).toBe("OperationOutcome");

  const pushed = await page.request.post("/api/fhir", { data: REFERRAL, headers: { "Content-Type": "application/fhir+json", Authorization: `Bearer ${DEMO_FHIR_KEY}` } });
  expect(pushed.status()).toBe(200);
  const answer = (await pushed.json()) as { type: string; entry: { response: { status: string } }[] };
  expect(answer.type).toBe("transaction-response");
  expect(["201 Created", "200 OK"]).toContain(answer.entry[0]!.response.status);

  await login(page, "doctor1");
  await page.goto("/patients/pat-9001");
  const banner = page.getByTestId("safety-banner");
  await expect(banner).toContainText("ヨードうがい液");
  await expect(banner).toContainText("さば");
  await expect(page.getByTestId("problems")).toContainText("上腹部痛");
  const row = page.getByTestId("record-map").getByRole("rowheader", { name: /東京みなと病院/ });
  await expect(row.getByTestId("last-received")).toContainText(/最終受信 \d{4}-\d{2}-\d{2}/);
  expect(await seriousA11yViolations(page)).toEqual([]);

  const entry = page.locator("details", { hasText: "東京みなと病院" }).filter({ hasText: "診療情報提供書" }).first();
  await entry.locator("summary").click();
  await entry.getByRole("link", { name: "文書を開く" }).click();
  const letter = page.getByTestId("document");
  await expect(letter).toContainText("腹痛精査お願いします。");
  // its sections are headings a clinician (or a screen reader) can jump to
  await expect(letter.getByRole("heading", { name: "【紹介目的】" })).toBeVisible();
  await expect(letter).toContainText("大河内 勘三郎");
  await expect(letter).toContainText("東京みなと病院");
});

test("a document larger than 10 MB but under the 20 MiB limit arrives whole", async ({ page }) => {
  // the referral padded with 12 MB of JSON whitespace: still the same document, so it changes nothing
  const big = REFERRAL + " ".repeat(12 * 1024 * 1024);
  const pushed = await page.request.post("/api/fhir", { data: big, headers: { "Content-Type": "application/fhir+json", Authorization: `Bearer ${DEMO_FHIR_KEY}` } });
  expect(pushed.status()).toBe(200);
  const over = await page.request.post("/api/fhir", { data: " ".repeat(21 * 1024 * 1024), headers: { "Content-Type": "application/fhir+json", Authorization: `Bearer ${DEMO_FHIR_KEY}` } });
  expect(over.status()).toBe(413);
});
