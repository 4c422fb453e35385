import fs from "node:fs";
import path from "node:path";
import { test, expect, login, alertOf, seriousA11yViolations } from "./fixtures";
import { DEMO_FHIR_KEY } from "../prisma/seed/demo-credentials";

/**
 * 患者の同定: the published JP-CLINS examples disagree about their own patient's 枝番 (05 in the
 * referral, 01 in the Observations Bundle), so the second push is held, never filed under 牧野 爛漫.
 * The network administrator sees why in Japanese, beside her, with what agrees and what differs; she
 * is confirmed only with the reviewer's reason, and the link then accepts 枝番 01, so a later push
 * with it is filed at once. A push with a 枝番 nobody vouched for is held and rejected. A clinician is
 * refused the page.
 */
const fixture = (name: string) => fs.readFileSync(path.resolve(import.meta.dirname, "../../shared/fixtures/jp-clins", name), "utf8");
const push = (page: import("@playwright/test").Page, body: string) =>
  page.request.post("/api/fhir", { data: body, headers: { "Content-Type": "application/fhir+json", Authorization: `Bearer ${DEMO_FHIR_KEY}` } });

test("a held push waits on 患者の同定 beside the patient it may be; the administrator confirms it, vouching for its 枝番, and rejects another; a clinician is refused", async ({ page, browser }) => {
  const observations = fixture("Bundle-Bundle-CLINS-Observations-Example-01.json");
  expect((await push(page, fixture("Bundle-Bundle-CLINS-Referral-Example-01.json"))).status()).toBe(200);
  expect((await push(page, observations)).status()).toBe(202);

  const doctor = await (await browser.newContext()).newPage();
  await login(doctor, "doctor1");
  await doctor.goto("/admin/identity");
  await expect(alertOf(doctor)).toContainText("患者の同定はネットワーク管理者のみが行えます");
  await expect(doctor.getByRole("heading", { name: /患者の同定/ })).toHaveCount(0);

  await login(page, "admin");
  await page.getByRole("link", { name: "患者の同定" }).click();
  await expect(page.getByRole("heading", { name: "患者の同定（取り込みの保留）" })).toBeVisible();
  const held = page.locator("section[data-candidate]", { hasText: "東京みなと病院" }).first();
  await expect(held.getByTestId("held-reason")).toContainText("枝番 05 の被保険者としてつながっていますが、保留中のファイルは枝番 01 を示しています");
  await held.getByLabel("比較する患者ID").fill("pat-9001");
  await held.getByRole("button", { name: "比較する" }).click();
  const compared = page.locator("section[data-candidate]", { hasText: "東京みなと病院" }).first();
  await expect(compared.locator('tr[data-field="kana"]')).toContainText("一致");
  await expect(compared.locator('tr[data-field="insured"]')).toContainText("不一致");
  expect(await seriousA11yViolations(page)).toEqual([]);

  // confirming vouches for 枝番 01: refused until the reviewer says why it is the same person
  await compared.getByRole("button", { name: "患者 pat-9001 として確定する" }).click();
  await expect(alertOf(page)).toContainText("枝番が異なります。同一人物と判断した理由");
  const again = page.locator("section[data-candidate]", { hasText: "東京みなと病院" }).first();
  await again.getByLabel("枝番 01 を同一人物と判断した理由（必須、5文字以上）").fill("保険証で枝番01が本人であることを確認");
  await again.getByRole("button", { name: "患者 pat-9001 として確定する" }).click();
  await expect(page.getByRole("status").filter({ hasText: "確定しました" })).toBeVisible();

  // 枝番 01 now files by itself; 枝番 07, which nobody vouched for, waits and is rejected
  const resend = (branch: string, key: string) => observations.replace("１８７:01", `１８７:${branch}`).replace("0123-IDa-203949583949", key);
  expect((await push(page, resend("01", "e2e-labs-01"))).status()).toBe(200);
  expect((await push(page, resend("07", "e2e-labs-07"))).status()).toBe(202);
  await page.goto("/admin/identity");
  const other = page.locator("section[data-candidate]", { hasText: "東京みなと病院" }).first();
  await expect(other.getByTestId("held-reason")).toContainText("保留中のファイルは枝番 07 を示しています");
  await other.getByRole("button", { name: "別人として却下する" }).click();
  await expect(page.getByRole("status").filter({ hasText: "却下しました" })).toBeVisible();
});

test("after つながりの解除 the id waits on one card with what its files say; confirming it says what was filed and why the rest waits, and the rest is confirmed with the 枝番 reason", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/admin/identity");
  const unlink = page.locator("section[aria-labelledby=unlink-title]");
  await unlink.getByLabel("医療機関コード").fill("１３１８８１４７９０");
  await unlink.getByLabel("施設の患者ID").fill("000999739");
  await unlink.getByLabel(/解除する理由/).fill("家族の別人の記録が混在していたため");
  await unlink.getByLabel(/確認しました/).check();
  await unlink.getByRole("button", { name: "つながりを解除する" }).click();
  await expect(page.getByRole("status").filter({ hasText: "文書 3 件" })).toBeVisible();

  // one card for the id, showing the person its files name beside the suggestion, 枝番 by 枝番 (the
  // referral's 05, where every item agrees, first; the two 01 files after it), and no stale 枝番 reason
  const card = page.locator("section[data-candidate]", { hasText: "000999739" });
  await expect(card).toHaveCount(1);
  await expect(card.locator("[data-branch] h3")).toHaveText(["枝番 05：保留中のファイル 1 件", "枝番 01：保留中のファイル 2 件"]);
  const own = card.getByRole("group", { name: "枝番 05：保留中のファイル 1 件" });
  await expect(own.locator('tr[data-field="name"]')).toContainText("牧野 爛漫");
  await expect(own.locator('tr[data-agree="false"]')).toHaveCount(0);
  await expect(card.getByRole("group", { name: "枝番 01：保留中のファイル 2 件" }).locator('tr[data-agree="false"]')).toHaveAttribute("data-field", "insured");
  await expect(card).toContainText("候補: カナ氏名・生年月日・性別が完全に一致する患者です");
  // each comparison names its own file and 枝番: the card's own lines no longer name one file, or the 枝番 again
  await expect(card).not.toContainText("表示した患者情報のファイル");
  await expect(card.getByTestId("other-identity").filter({ hasText: "枝番" })).toHaveCount(0);
  await expect(card.getByTestId("held-reason")).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);

  // confirming 枝番 05 as read records it on the link, with no reason to give: the referral is filed, the two 枝番 01 files wait, and the page says so
  await own.getByRole("button", { name: "枝番 05 を患者 pat-9001 として確定する" }).click();
  await expect(page.getByRole("status").filter({ hasText: "確定しました。保留していた送信記録 1 件を登録しました。2 件は枝番 01 を示しており、このつながりの枝番 05 と異なるため登録していません。" })).toBeVisible();
  await expect(page).toHaveURL(/done=confirm/);
  const rest = page.locator("section[data-candidate]", { hasText: "000999739" });
  await expect(rest).toHaveCount(1);
  await expect(rest.getByTestId("held-reason")).toContainText("枝番 05 の被保険者としてつながっていますが、保留中のファイルは枝番 01 を示しています");
  await rest.getByLabel("枝番 01 を同一人物と判断した理由（必須、5文字以上）").fill("保険証で枝番01が本人であることを確認");
  await rest.getByRole("button", { name: "患者 pat-9001 として確定する" }).click();
  await expect(page.getByRole("status").filter({ hasText: "保留していた送信記録 2 件を登録しました" })).toBeVisible();
  await expect(page.locator("section[data-candidate]", { hasText: "000999739" })).toHaveCount(0);
});
