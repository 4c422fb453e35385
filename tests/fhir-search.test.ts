import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import { asEcs } from "./helpers/fhir-ecs";
import type { Db } from "../lib/db/client";
import { issueApiToken } from "../lib/auth/api-token";
import { capabilityStatement, everything, readPatient, search, searchPatients } from "../lib/record/fhir-api";
import { SEARCH_TYPES } from "../lib/record/fhir-search";
import { loadProfiles } from "../lib/interop/fhir/fhir-packages";
import { checkInvariants } from "../lib/interop/fhir/invariants";
import { INSURED_SYSTEM } from "../lib/interop/fhir/patient";

/**
 * The FHIR searches by patient (GET /api/fhir/{type}?patient=…) and the Patient's read and search by
 * identifier, as a facility system calls them with a clinician's token: each type on $everything's
 * paging, its parameters kept on every page, anything unsupported refused by name.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const doctorB = testActor("fB", "DOCTOR");
const doctorC = testActor("fC", "DOCTOR");
const BASE = "https://tsunagu.example.jp/api/fhir";
const JLAC10 = "urn:oid:1.2.392.200119.4.504";
const HBA1C = "3D046000001920402";
const CRE = "3C015000002327101";
const TOKUTEI = "urn:oid:1.2.392.200119.6.1005";
const LOCAL_SYSTEM = "urn:oid:1.2.392.100495.20.3.51.12213000004";
/** 10:00 in Japan on a day of January 2024 (day 0 is 2024-01-01) */
const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n, 1, 0, 0));
let tokenB: string;
let tokenC: string;

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  for (const [id, code] of [["fB", "2210000002"], ["fC", "2210000003"], ["fS", "2213000004"]] as const) await db.facility.create({ data: { id, code, name: `施設${id}`, kind: "HOSPITAL" } });
  for (const a of [doctorB, doctorC]) await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: new Date("2020-01-01") } });
  await db.patient.create({ data: { id: "p1", familyName: "山田", givenName: "太郎", familyNameKana: "ヤマダ", givenNameKana: "タロウ", sex: "MALE", birthDate: new Date("1960-04-01"), insurerNumber: "06221180", insuredNumber: "1234", insuredBranch: "01" } });
  await db.patientLink.create({ data: { patientId: "p1", id: "lk-s", facilityId: "fS", localPatientId: "S-0001" } });
  await db.consent.create({ data: { patientId: "p1", id: "c-b", facilityId: "fB", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorC.userId } });
  const base = { patientId: "p1", facilityId: "fS" };
  for (let n = 0; n < 12; n++) await db.condition.create({ data: { ...base, id: `dx-${n}`, occurredAt: day(n), codeSystem: "urn:oid:1.2.392.200119.4.101.2", code: `2005${n}`, display: `病名${n}` } });
  for (let n = 0; n < 10; n++) {
    const [code, display] = n % 2 ? [CRE, "クレアチニン"] : [HBA1C, "HbA1c"];
    await db.labResult.create({ data: { ...base, id: `lab-${n}`, occurredAt: day(n * 3), codeSystem: JLAC10, code, display, valueNumeric: 6 + n / 10, unit: "%" } });
  }
  for (const n of [1, 20]) await db.checkup.create({ data: { ...base, id: `ck-${n}`, occurredAt: day(n), items: { create: [{ id: `ck-${n}-bmi`, codeSystem: TOKUTEI, code: "9N011000000000001", display: "BMI", valueNumeric: 22 }, { id: `ck-${n}-waist`, codeSystem: TOKUTEI, code: "9N016160100000001", display: "腹囲", valueNumeric: 80 }] } } });
  for (let n = 0; n < 5; n++) await db.prescription.create({ data: { ...base, id: `rx-${n}`, kind: n < 3 ? "PRESCRIPTION" : "DISPENSE", occurredAt: day(n * 2), items: { create: [1, 2].map((rp) => ({ id: `rx-${n}-${rp}`, rp, codeSystem: "http://medis.or.jp/CodeSystem/master-HOT9", code: `10527180${rp}`, display: `薬${rp}`, dose: 1, doseUnit: "錠", usageText: "1日1回朝食後", days: 14 })) } } });
  for (let n = 0; n < 3; n++) await db.encounter.create({ data: { ...base, id: `enc-${n}`, occurredAt: day(n * 10), class: "OUTPATIENT", department: "内科" } });
  await db.procedure.create({ data: { ...base, id: "proc-1", occurredAt: day(4), kind: "OTHER", display: "処置" } });
  for (let n = 0; n < 2; n++) await db.allergy.create({ data: { ...base, id: `alg-${n}`, occurredAt: day(n), kind: "FOOD", display: `食物${n}` } });
  await db.document.create({ data: { ...base, id: "doc-ref", occurredAt: day(5), kind: "REFERRAL", title: "紹介状", authorName: "紹介 医師", body: "【紹介目的】精査加療のお願い\n【既往歴】高血圧\n糖尿病" } });
  await db.document.create({ data: { ...base, id: "doc-dis", occurredAt: day(15), kind: "DISCHARGE_SUMMARY", title: "退院時サマリー", body: "【入院経過】軽快退院" } });
  await db.document.create({ data: { ...base, id: "doc-img", occurredAt: day(16), kind: "IMAGING_REPORT", title: "CT 所見", body: "異常なし" } });
  tokenB = (await issueApiToken(doctorB)).token;
  tokenC = (await issueApiToken(doctorC)).token;
});
afterAll(async () => ctx?.close());

type Resource = { resourceType: string; id: string } & Record<string, unknown>;
type Searchset = { resourceType: string; type: string; link: { relation: string; url: string }[]; entry: { fullUrl: string; resource: Resource; search: { mode: string } }[] };
type Outcome = { resourceType: string; issue: { code: string; diagnostics: string; details: { text: string }; expression?: string[] }[] };

const get = (type: string, query: string, token = tokenB) => search({ authorization: `Bearer ${token}`, type, query: new URLSearchParams(query), base: BASE });

/** Every page of a search, following link[next]; each page's url is checked to keep the first one's parameters. */
async function allPages(type: string, query: string): Promise<{ pages: Searchset[]; resources: Resource[] }> {
  const pages: Searchset[] = [];
  const asked = new URLSearchParams(query);
  for (let q = query; ; ) {
    const a = await get(type, q);
    expect(a.status).toBe(200);
    const b = a.body as Searchset;
    pages.push(b);
    const next = b.link.find((l) => l.relation === "next")?.url;
    if (!next) break;
    expect(next.startsWith(`${BASE}/${type}?`)).toBe(true);
    const nextQuery = new URL(next).searchParams;
    for (const k of asked.keys()) if (k !== "cursor") expect(nextQuery.getAll(k)).toEqual(asked.getAll(k));
    q = nextQuery.toString();
  }
  return { pages, resources: pages.flatMap((p) => p.entry.map((e) => e.resource)) };
}
const keys = (rs: Resource[]) => rs.map((r) => `${r.resourceType}/${r.id}`);

describe("search by patient, each type", () => {
  const expected: Record<string, number> = {
    Condition: 12,
    AllergyIntolerance: 2,
    MedicationRequest: 6, // 3 prescriptions × 2 drugs
    MedicationDispense: 4,
    Observation: 10 + 4, // 10 labs, 2 checkups × 2 items
    Encounter: 3,
    Procedure: 1,
    DocumentReference: 3,
    Composition: 2, // the referral and the discharge summary, not the imaging report
  };

  it("answers every supported type with only that type, paged by _count with link[next], nothing twice, nothing left out", async () => {
    expect(SEARCH_TYPES.sort()).toEqual(Object.keys(expected).sort());
    for (const type of SEARCH_TYPES) {
      const { pages, resources } = await allPages(type, "patient=p1&_count=2");
      expect(new Set(resources.map((r) => r.resourceType))).toEqual(new Set([type]));
      expect(resources).toHaveLength(expected[type]!);
      expect(new Set(keys(resources)).size).toBe(resources.length);
      expect(pages[0]).toMatchObject({ resourceType: "Bundle", type: "searchset" });
      // _count counts the resources: every page but the last holds exactly two
      expect([type, pages.slice(0, -1).map((p) => p.entry.length)]).toEqual([type, pages.slice(0, -1).map(() => 2)]);
      // the sum of the pages is the whole: one page of 1000 holds the same
      const one = (await get(type, "patient=Patient/p1&_count=1000")).body as Searchset;
      expect(new Set(keys(one.entry.map((e) => e.resource)))).toEqual(new Set(keys(resources)));
      expect(one.link.some((l) => l.relation === "next")).toBe(false);
    }
  });

  it("writes one audit event per page as the clinician, naming the type searched", async () => {
    const count = () => db.auditEvent.count({ where: { patientId: "p1", actorId: doctorB.userId, action: "RECORD_VIEW", detail: { path: ["what"], equals: "fhir-search" } } });
    const n0 = await count();
    const { pages } = await allPages("Condition", "patient=p1&_count=5");
    expect(pages).toHaveLength(3);
    expect(await count()).toBe(n0 + 3);
    const last = await db.auditEvent.findFirstOrThrow({ where: { patientId: "p1", actorId: doctorB.userId }, orderBy: { seq: "desc" } });
    expect(last).toMatchObject({ purpose: "TREATMENT", detail: { what: "fhir-search", type: "Condition", count: 5, basis: "CONSENT" } });
  });

  it("MedicationRequest holds the prescriptions, MedicationDispense the dispenses", async () => {
    const req = (await allPages("MedicationRequest", "patient=p1")).resources;
    const disp = (await allPages("MedicationDispense", "patient=p1")).resources;
    expect(req.every((r) => (r.identifier as { value: string }[])[0]!.value.match(/^rx-[012]-/))).toBe(true);
    expect(disp.every((r) => (r.identifier as { value: string }[])[0]!.value.match(/^rx-[34]-/))).toBe(true);
  });

  it("Composition: a referral or discharge summary with a section per 【heading】, its LOINC type and the date in Japan time", async () => {
    const { resources } = await allPages("Composition", "patient=p1");
    const ref = resources.find((r) => r.id === "doc-ref")!;
    expect(ref).toMatchObject({
      status: "final",
      type: { coding: [{ system: "http://loinc.org", code: "57133-1" }] },
      date: "2024-01-06T10:00:00+09:00",
      title: "紹介状",
      author: [{ display: "紹介 医師" }],
      subject: { reference: "Patient/p1" },
    });
    const sections = ref.section as { title: string; text: { div: string } }[];
    expect(sections.map((s) => s.title)).toEqual(["紹介目的", "既往歴"]);
    expect(sections[1]!.text.div).toContain("高血圧\n糖尿病");
    // the author is required: a letter without one names the facility that wrote it
    const dis = resources.find((r) => r.id === "doc-dis")!;
    expect(dis.author).toEqual([{ identifier: { system: "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no", value: "2213000004" } }]);
  });
});

describe("_count counts resources, not prescriptions", () => {
  it("a prescription of two drugs spans a page boundary: each page holds exactly _count drugs, none on two pages, none on neither", async () => {
    const { pages } = await allPages("MedicationRequest", "patient=p1&_count=3");
    // newest first: rx-2 (day 4), rx-1 (day 2), rx-0 (day 0), each in Rp order; rx-1's two drugs fall on two pages
    expect(pages.map((p) => p.entry.map((e) => e.resource.id))).toEqual([
      ["rx-2-1", "rx-2-2", "rx-1-1"],
      ["rx-1-2", "rx-0-1", "rx-0-2"],
    ]);
    // the twin: a page large enough holds the whole prescription
    expect(((await get("MedicationRequest", "patient=p1&_count=4")).body as Searchset).entry.map((e) => e.resource.id)).toEqual(["rx-2-1", "rx-2-2", "rx-1-1", "rx-1-2"]);
  });

  it("a drug filed into an earlier prescription's place between two pages is neither repeated nor lets another slip", async () => {
    const first = (await get("MedicationRequest", "patient=p1&_count=3")).body as Searchset;
    // a new prescription of three drugs, newer than everything: it sorts before the cursor, so a later page never shows it
    await db.prescription.create({ data: { patientId: "p1", facilityId: "fS", id: "rx-new", kind: "PRESCRIPTION", occurredAt: day(30), items: { create: [1, 2, 3].map((rp) => ({ id: `rx-new-${rp}`, rp, codeSystem: "http://medis.or.jp/CodeSystem/master-HOT9", code: `10527180${rp}`, display: `薬${rp}` })) } } });
    try {
      const next = new URL(first.link.find((l) => l.relation === "next")!.url).searchParams.toString();
      const second = (await get("MedicationRequest", next)).body as Searchset;
      expect(second.entry.map((e) => e.resource.id)).toEqual(["rx-1-2", "rx-0-1", "rx-0-2"]);
    } finally {
      await db.prescription.delete({ where: { patientId_id: { patientId: "p1", id: "rx-new" } } });
    }
  });
});

/** Every reference in a resource (any depth), as written. */
function referencesIn(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(referencesIn);
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => (k === "reference" && typeof x === "string" ? [x] : referencesIn(x)));
  return [];
}

describe("references that resolve", () => {
  const read = (id: string) => readPatient({ authorization: `Bearer ${tokenB}`, patientId: id, base: BASE });

  it("a search's entries have absolute fullUrls on the base and refer to the Patient relatively, which the same token reads", async () => {
    for (const type of SEARCH_TYPES) {
      const b = (await get(type, "patient=p1&_count=1000")).body as Searchset;
      for (const e of b.entry) expect(e).toMatchObject({ fullUrl: `${BASE}/${type}/${e.resource.id}`, search: { mode: "match" } });
      expect([type, [...new Set(b.entry.flatMap((e) => referencesIn(e.resource)))]]).toEqual([type, ["Patient/p1"]]);
    }
    expect((await read("p1")).body).toMatchObject({ resourceType: "Patient", id: "p1" });
  });

  it("_include=<type>:patient puts the Patient beside every page as an include, not counted by _count; without it there is none (twin)", async () => {
    const { pages } = await allPages("Condition", "patient=p1&_count=5&_include=Condition:patient");
    expect(pages).toHaveLength(3);
    for (const p of pages) {
      expect(p.entry.filter((e) => e.search.mode === "match")).toHaveLength(p === pages[2] ? 2 : 5);
      const included = p.entry.filter((e) => e.search.mode === "include");
      expect(included.map((e) => [e.fullUrl, e.resource.resourceType])).toEqual([[`${BASE}/Patient/p1`, "Patient"]]);
      // every reference resolves within the page: its absolute form is an entry's fullUrl
      const urls = new Set(p.entry.map((e) => e.fullUrl));
      for (const r of p.entry.flatMap((e) => referencesIn(e.resource))) expect(urls.has(`${BASE}/${r}`)).toBe(true);
      expect(included[0]!.resource).toEqual((await read("p1")).body);
    }
    const without = (await get("Condition", "patient=p1&_count=5")).body as Searchset;
    expect(without.entry.filter((e) => e.search.mode !== "match")).toEqual([]);
  });

  it("another _include is a 400 naming _include; the supported one answers (twin)", async () => {
    for (const [type, include] of [["Condition", "Condition:subject"], ["Condition", "Observation:patient"], ["Observation", "*"]] as const) {
      const a = await get(type, `patient=p1&_include=${encodeURIComponent(include)}`);
      expect([include, a.status]).toEqual([include, 400]);
      expect((a.body as Outcome).issue[0]).toMatchObject({ expression: ["_include"] });
    }
    expect((await get("Observation", "patient=p1&_include=Observation:patient")).status).toBe(200);
  });

  it("$everything: the Patient on the first page, every reference on every page relative and resolving to it or to the API's read", async () => {
    const pages: Searchset[] = [];
    for (let q: string | null = "_count=7"; q !== null; ) {
      const b = (await everything({ authorization: `Bearer ${tokenB}`, patientId: "p1", query: new URLSearchParams(q), base: BASE })).body as Searchset;
      pages.push(b);
      const next = b.link.find((l) => l.relation === "next")?.url;
      q = next ? new URL(next).searchParams.toString() : null;
    }
    expect(pages.length).toBeGreaterThan(2);
    expect(pages[0]!.entry[0]).toMatchObject({ fullUrl: `${BASE}/Patient/p1`, resource: { resourceType: "Patient" } });
    for (const p of pages) {
      for (const e of p.entry) expect(e.fullUrl).toBe(`${BASE}/${e.resource.resourceType}/${e.resource.id}`);
      expect(new Set(p.entry.flatMap((e) => referencesIn(e.resource)))).toEqual(new Set(["Patient/p1"]));
    }
    expect((await read("p1")).status).toBe(200);
  });
});

describe("Observation by code and date", () => {
  it("code=system|code and code alone give that test's results, on every page; a checkup gives only the matching item", async () => {
    const both = (await allPages("Observation", `patient=p1&_count=2&code=${encodeURIComponent(`${JLAC10}|${HBA1C}`)}`)).resources;
    expect(both).toHaveLength(5);
    expect(both.every((r) => (r.code as { coding: { code: string }[] }).coding[0]!.code === HBA1C)).toBe(true);
    expect(keys((await allPages("Observation", `patient=p1&code=${HBA1C}`)).resources)).toEqual(keys(both));
    // the wrong system finds nothing
    expect((await allPages("Observation", `patient=p1&code=${encodeURIComponent(`${TOKUTEI}|${HBA1C}`)}`)).resources).toEqual([]);
    const bmi = (await allPages("Observation", `patient=p1&_count=1&code=9N011000000000001`)).resources;
    expect(keys(bmi)).toEqual(["Observation/ck-20-bmi", "Observation/ck-1-bmi"]);
    // comma-separated: any of them
    expect((await allPages("Observation", `patient=p1&code=${HBA1C},9N011000000000001`)).resources).toHaveLength(7);
  });

  it("date=ge…&date=le… (days in Japan) holds on every page; eq a month, gt and lt too", async () => {
    const dateOf = (r: Resource) => String(r.effectiveDateTime);
    const { pages, resources } = await allPages("Observation", "patient=p1&_count=2&date=ge2024-01-07&date=le2024-01-19");
    expect(pages.length).toBeGreaterThan(1);
    // labs on days 6, 9, 12, 15, 18 (2024-01-07 … 01-19)
    expect(keys(resources)).toEqual(["Observation/lab-6", "Observation/lab-5", "Observation/lab-4", "Observation/lab-3", "Observation/lab-2"]);
    for (const r of resources) expect(dateOf(r) >= "2024-01-07" && dateOf(r) < "2024-01-20").toBe(true);
    expect((await allPages("Observation", "patient=p1&date=2024-01")).resources).toHaveLength(14);
    expect((await allPages("Observation", "patient=p1&date=2024-02")).resources).toHaveLength(0);
    expect(keys((await allPages("Observation", "patient=p1&date=gt2024-01-25")).resources)).toEqual(["Observation/lab-9"]);
    expect(keys((await allPages("Observation", `patient=p1&date=lt${encodeURIComponent("2024-01-01T10:00:01+09:00")}`)).resources)).toEqual(["Observation/lab-0"]);
    // the same with the "+" of the zone sent unencoded (a query string reads it as a space)
    expect(keys((await allPages("Observation", "patient=p1&date=lt2024-01-01T10:00:01+09:00")).resources)).toEqual(["Observation/lab-0"]);
  });

  it("code and date together; date also narrows Encounter, DocumentReference and Composition", async () => {
    expect(keys((await allPages("Observation", `patient=p1&code=${CRE}&date=ge2024-01-20`)).resources)).toEqual(["Observation/lab-9", "Observation/lab-7"]);
    expect(keys((await allPages("Encounter", "patient=p1&date=ge2024-01-05")).resources)).toEqual(["Encounter/enc-2", "Encounter/enc-1"]);
    expect(keys((await allPages("DocumentReference", "patient=p1&date=le2024-01-10")).resources)).toEqual(["DocumentReference/doc-ref"]);
    expect(keys((await allPages("Composition", "patient=p1&date=ge2024-01-10")).resources)).toEqual(["Composition/doc-dis"]);
  });
});

describe("bad requests", () => {
  it("an unsupported parameter is refused by name in both languages (400); the same search without it answers (twin)", async () => {
    for (const [type, query, name] of [
      ["Condition", "patient=p1&code=I10", "code"],
      ["Observation", "patient=p1&_sort=date", "_sort"],
      ["Observation", "patient=p1&code:text=HbA1c", "code:text"],
      ["Condition", "subject=Patient/p1", "subject"],
    ] as const) {
      const a = await get(type, query);
      expect(a.status).toBe(400);
      const issue = (a.body as Outcome).issue[0]!;
      expect(issue).toMatchObject({ code: "not-supported", expression: [name] });
      expect(issue.details.text).toContain(`パラメータ ${name} には対応していません`);
      expect(issue.diagnostics).toContain(`The parameter ${name} is not supported`);
    }
    expect((await get("Observation", "patient=p1&code=I10")).status).toBe(200);
  });

  it("a bad value names its parameter (400); a search without a patient is refused; an unsupported type is 404", async () => {
    for (const [type, query, name] of [
      ["Condition", "", "patient"],
      ["Condition", "patient=p1&patient=p2", "patient"],
      ["Observation", "patient=p1&date=ne2024-01-01", "date"],
      ["Observation", "patient=p1&date=2024-02-30", "date"],
      ["Observation", "patient=p1&date=2024-01-01T10:00", "date"],
      ["Observation", "patient=p1&code=", "code"],
      ["Condition", "patient=p1&_count=0", "_count"],
      ["Condition", "patient=p1&cursor=%25%25", "cursor"],
    ] as const) {
      const a = await get(type, query);
      expect([type, query, a.status]).toEqual([type, query, 400]);
      expect((a.body as Outcome).issue[0]).toMatchObject({ code: "invalid", expression: [name] });
    }
    const claim = await get("Claim", "patient=p1");
    expect(claim.status).toBe(404);
    expect((claim.body as Outcome).issue[0]).toMatchObject({ code: "not-supported" });
    expect((await get("Condition", "patient=nobody")).status).toBe(404);
  });
});

describe("Patient: read, and search by identifier", () => {
  const byId = (identifier: string, token = tokenB) => searchPatients({ authorization: `Bearer ${token}`, query: new URLSearchParams({ identifier }), base: BASE });
  const read = (id: string, token = tokenB) => readPatient({ authorization: `Bearer ${token}`, patientId: id, base: BASE });

  it("reads the Patient as the clinician's header shows them; 403 with the reason without consent, 404 for nobody", async () => {
    const a = await read("p1");
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ resourceType: "Patient", id: "p1", birthDate: "1960-04-01", identifier: [{ system: LOCAL_SYSTEM, value: "S-0001" }, { system: INSURED_SYSTEM, value: "06221180::1234:01" }] });
    const c = await read("p1", tokenC);
    expect(c.status).toBe(403);
    expect((c.body as Outcome).issue[0]!.diagnostics).toContain("NO_CONSENT");
    expect((await read("nobody")).status).toBe(404);
  });

  it("finds the patient by a facility's local id or the insured-person id, for a clinician who may open them", async () => {
    for (const identifier of [`${LOCAL_SYSTEM}|S-0001`, `${INSURED_SYSTEM}|06221180::1234:01`, `${INSURED_SYSTEM}|０６２２１１８０::1234:`]) {
      const a = await byId(identifier);
      expect(a.status).toBe(200);
      expect((a.body as Searchset).entry.map((e) => e.resource.id)).toEqual(["p1"]);
    }
  });

  it("a clinician without consent finds nobody, exactly as for an identifier nobody has: existence is not revealed (twin above)", async () => {
    const refused = (await byId(`${LOCAL_SYSTEM}|S-0001`, tokenC)).body as Searchset;
    const unknown = (await byId(`${LOCAL_SYSTEM}|S-9999`, tokenC)).body as Searchset;
    expect(refused.entry).toEqual([]);
    expect({ ...refused, timestamp: null, link: null }).toEqual({ ...unknown, timestamp: null, link: null });
    // the refused look-up is in the patient's own trail; every search is audited with what it found
    expect(await db.auditEvent.count({ where: { patientId: "p1", actorId: doctorC.userId, action: "RECORD_VIEW_DENIED", detail: { path: ["what"], equals: "fhir-patient" } } })).toBeGreaterThan(0);
    const searches = await db.auditEvent.findMany({ where: { actorId: doctorC.userId, action: "PATIENT_SEARCH" }, orderBy: { seq: "asc" } });
    expect(searches.map((s) => (s.detail as { hits: number }).hits)).toEqual([0, 0]);
  });

  it("an identifier without a system, or of a system it cannot search, is a 400 naming identifier; another parameter is refused by name", async () => {
    for (const identifier of ["S-0001", "urn:example|S-0001", `${INSURED_SYSTEM}|1234`]) {
      const a = await byId(identifier);
      expect(a.status).toBe(400);
      expect((a.body as Outcome).issue[0]).toMatchObject({ expression: ["identifier"] });
    }
    const a = await searchPatients({ authorization: `Bearer ${tokenB}`, query: new URLSearchParams({ name: "ヤマダ" }), base: BASE });
    expect(a.status).toBe(400);
    expect((a.body as Outcome).issue[0]).toMatchObject({ code: "not-supported", expression: ["name"] });
  });
});

describe("conformance", () => {
  it("every search's resources break no invariant of the packages", async () => {
    const profiles = loadProfiles(path.resolve(__dirname, "../../shared/fhir-packages"));
    for (const type of SEARCH_TYPES) {
      const bundle = (await get(type, "patient=p1&_count=1000")).body as Searchset;
      expect([type, checkInvariants(asEcs(bundle), profiles)]).toEqual([type, []]);
    }
  });

  it("the CapabilityStatement lists exactly the searches, their parameters, the Patient's read and identifier search, the Coverage's read, and $everything", () => {
    const c = capabilityStatement(BASE) as { rest: { resource: { type: string; interaction: { code: string }[]; searchParam?: { name: string }[]; operation?: { name: string }[] }[] }[] };
    const resources = c.rest[0]!.resource;
    expect(resources.map((r) => r.type).sort()).toEqual(["Coverage", "Patient", ...SEARCH_TYPES].sort());
    // a Coverage (the registered insurance, beside the Patient in $everything) is read by its fullUrl, not searched
    expect(resources.find((r) => r.type === "Coverage")!.interaction.map((i) => i.code)).toEqual(["read"]);
    const patient = resources.find((r) => r.type === "Patient")!;
    expect(patient.interaction.map((i) => i.code)).toEqual(["read", "search-type"]);
    expect(patient.searchParam!.map((p) => p.name)).toEqual(["identifier"]);
    expect(patient.operation!.map((o) => o.name)).toEqual(["everything"]);
    const params = (t: string) => resources.find((r) => r.type === t)!.searchParam!.map((p) => p.name);
    expect(params("Condition")).toEqual(["patient", "_count", "cursor"]);
    expect(params("Observation")).toEqual(["patient", "_count", "cursor", "code", "date"]);
    expect(params("Composition")).toEqual(["patient", "_count", "cursor", "date"]);
    const includes = (t: string) => (resources.find((r) => r.type === t) as { searchInclude?: string[] }).searchInclude;
    for (const t of SEARCH_TYPES) expect(includes(t)).toEqual([`${t}:patient`]);
    // it tells a client how references resolve
    expect((c.rest[0] as unknown as { documentation: string }).documentation).toContain("every reference in it is relative (Patient/{id})");
  });
});
