import { test, expect, login, recordOpenWhenLoggedOutElsewhere } from "./fixtures";

type Bundle = { resourceType: string; type: string; entry: { resource: { resourceType: string; code?: { text?: string }; name?: { text: string }[] } }[] };
const texts = (b: Bundle, type: string) => b.entry.filter((e) => e.resource.resourceType === type).map((e) => e.resource.code?.text ?? "");

test.describe("FHIR で保存", () => {
  test("a doctor downloads the record as one FHIR Bundle holding the banner's allergies and the problems", async ({ page }) => {
    await login(page, "doctor1");
    await page.goto("/patients/pat-0001");
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "FHIR で保存" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("tsunagu-pat-0001.fhir.json");
    const bundle = JSON.parse(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString("utf8"))) as Bundle;
    expect(bundle).toMatchObject({ resourceType: "Bundle", type: "transaction" });
    expect(bundle.entry[0]!.resource).toMatchObject({ resourceType: "Patient", name: [{ text: "山田 太郎" }, { text: "ヤマダ タロウ" }] });
    const allergies = texts(bundle, "AllergyIntolerance").join("、");
    for (const a of ["ペニシリン", "そば", "ヨード造影剤"]) expect(allergies).toContain(a);
    expect(texts(bundle, "Condition").join("、")).toContain("2型糖尿病");
  });

  test("asked after the session ended elsewhere, it takes the record off the screen instead of saving an error (review 7, L6)", async ({ browser }) => {
    const page = await recordOpenWhenLoggedOutElsewhere(browser);
    let saved = false;
    page.on("download", () => (saved = true));
    await page.getByRole("link", { name: "FHIR で保存" }).click();
    await expect(page).toHaveURL(/\/record-closed\?by=401$/);
    await expect(page.getByTestId("record-screen-ended")).toContainText("ログインの有効期限が切れたか、ログアウトされました。");
    expect(saved).toBe(false);
  });

  test("the download leaves out what the patient withholds from the facility; the twin facility gets it", async ({ browser }) => {
    // 佐藤 花子 withholds psychiatric records from fac-03 (doctor2), not from fac-01 (doctor1); one browser each
    const conditions = async (loginId: string) => {
      const page = await (await browser.newContext()).newPage();
      await login(page, loginId);
      return texts((await (await page.request.get("/api/patients/pat-0002/fhir")).json()) as Bundle, "Condition").join("、");
    };
    const withheld = await conditions("doctor2");
    expect(withheld).not.toContain("うつ病");
    expect(withheld.length).toBeGreaterThan(0);
    expect(await conditions("doctor1")).toContain("うつ病");
  });

  test("refuses without a login (401) and a facility without consent (403); a bad filter is named (400)", async ({ browser, page }) => {
    expect((await page.request.get("/api/patients/pat-0001/fhir")).status()).toBe(401);
    await login(page, "doctor3"); // ひがし眼科医院: pat-0001 has not consented to it
    const refused = await page.request.get("/api/patients/pat-0001/fhir");
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "ACCESS_DENIED" });
    const doctor1 = await (await browser.newContext()).newPage();
    await login(doctor1, "doctor1");
    const bad = await doctor1.request.get("/api/patients/pat-0001/fhir?_type=Claim");
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toMatchObject({ field: "_type" });
  });
});

test.describe("FHIR API token", () => {
  test("is issued on the account page, pulls $everything as the doctor, and is refused once revoked", async ({ page }) => {
    const metadata = await page.request.get("/api/fhir/metadata");
    expect(metadata.status()).toBe(200);
    expect(await metadata.json()).toMatchObject({ resourceType: "CapabilityStatement", fhirVersion: "4.0.1" });
    expect((await page.request.get("/api/fhir/Patient/pat-0001/$everything")).status()).toBe(401);

    await login(page, "doctor1");
    await page.goto("/account");
    await page.getByLabel("用途（任意）").fill("e2e");
    await page.getByRole("button", { name: "発行する" }).click();
    const token = (await page.getByTestId("api-token").textContent())!.trim();
    expect(token).toMatch(/^tsu_/);
    const headers = { Authorization: `Bearer ${token}` };

    const pulled = await page.request.get("/api/fhir/Patient/pat-0001/$everything?_count=5", { headers });
    expect(pulled.status()).toBe(200);
    const bundle = (await pulled.json()) as { type: string; entry: { resource: { resourceType: string } }[]; link: { relation: string; url: string }[] };
    expect(bundle.type).toBe("searchset");
    expect(bundle.entry[0]!.resource.resourceType).toBe("Patient");
    expect(bundle.link.some((l) => l.relation === "next")).toBe(true);

    // the searches by type, the Patient's read and its search by identifier, through their routes
    const conditions = await page.request.get("/api/fhir/Condition?patient=pat-0001&_count=100", { headers });
    expect(conditions.status()).toBe(200);
    const found = (await conditions.json()) as Bundle;
    expect(new Set(found.entry.map((e) => e.resource.resourceType))).toEqual(new Set(["Condition"]));
    expect(texts(found, "Condition").join("、")).toContain("2型糖尿病");
    const byId = (await (await page.request.get(`/api/fhir/Patient?identifier=${encodeURIComponent("urn:oid:1.2.392.100495.20.3.51.12210100116|10001238")}`, { headers })).json()) as Bundle;
    expect(byId.entry.map((e) => e.resource.name?.[0]?.text)).toEqual(["山田 太郎"]);
    expect((await page.request.get("/api/fhir/Patient/pat-0001", { headers })).status()).toBe(200);
    expect((await page.request.get("/api/fhir/Composition?patient=pat-0001", { headers })).status()).toBe(200);
    const refusedSearch = await page.request.get("/api/fhir/Condition?patient=pat-0003", { headers });
    expect(refusedSearch.status()).toBe(403);
    expect(JSON.stringify(await refusedSearch.json())).toContain("NO_CONSENT");
    expect((await page.request.get("/api/fhir/Condition?patient=pat-0001&_sort=-date", { headers })).status()).toBe(400);
    expect((await page.request.get("/api/fhir/Claim?patient=pat-0001", { headers })).status()).toBe(404);
    // an unknown id is an OperationOutcome 404 (not-found), a path the API does not serve one too
    // (not-supported), never the app's HTML page
    for (const [path, code] of [["/api/fhir/Condition/cond-1", "not-found"], ["/api/fhir/Patient/pat-0001/_history", "not-supported"]] as const) {
      const unknown = await page.request.get(path, { headers });
      expect([unknown.status(), unknown.headers()["content-type"]]).toEqual([404, "application/fhir+json; charset=utf-8"]);
      expect(await unknown.json()).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code }] });
    }
    // a problem's fullUrl in a search reads back as that resource
    const searched = await (await page.request.get("/api/fhir/Condition?patient=pat-0001&_count=1", { headers })).json();
    const fullUrl: string = searched.entry[0].fullUrl;
    const read = await page.request.get(new URL(fullUrl).pathname, { headers });
    expect(read.status()).toBe(200);
    expect(await read.json()).toMatchObject({ resourceType: "Condition", id: searched.entry[0].resource.id });

    await page.getByTestId("api-tokens").getByRole("button", { name: "取り消す" }).first().click();
    await expect(page.getByTestId("api-tokens")).toHaveCount(0);
    const refused = await page.request.get("/api/fhir/Patient/pat-0001/$everything?_count=5", { headers });
    expect(refused.status()).toBe(401);
    expect(await refused.json()).toMatchObject({ resourceType: "OperationOutcome" });
    expect((await page.request.get("/api/fhir/Condition?patient=pat-0001", { headers })).status()).toBe(401);
  });
});
