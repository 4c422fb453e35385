import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { issueApiToken, revokeApiToken } from "../lib/auth/api-token";
import { everything, readPatient, readResource, search, searchPatients, type FhirAnswer } from "../lib/record/fhir-api";
import { NextRequest } from "next/server";
import { suspendFacility } from "../lib/network/suspension";
import * as typeSearchRoute from "../app/api/fhir/[type]/route";
import * as typeReadRoute from "../app/api/fhir/[type]/[...rest]/route";
import * as metadataRoute from "../app/api/fhir/metadata/route";
import * as everythingRoute from "../app/api/fhir/Patient/[id]/$everything/route";
import { SEARCH_TYPES } from "../lib/record/fhir-search";
import { getPatientView } from "../lib/record";
import { balpAuditEvent } from "../lib/interop/fhir/balp-audit-event";

/**
 * Who the FHIR API answers, on every read it offers (each search, the Patient's read and search,
 * $everything): each refusal an OperationOutcome with its status, each with the twin that is allowed —
 * no token, an expired or revoked one, no consent, a withheld category, and break-glass (the emergency
 * dataset during the grant, audited as emergency treatment, refused once it has lapsed).
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const doctorA = testActor("fA", "DOCTOR");
const doctorB = testActor("fB", "DOCTOR");
const doctorC = testActor("fC", "DOCTOR");
const doctorD = testActor("fD", "DOCTOR");
const er = testActor("fE", "EMERGENCY", { facilityCanBreakGlass: true });
const er2 = testActor("fE", "EMERGENCY", { userId: "u-fE-EMERGENCY-2", facilityCanBreakGlass: true });
const BASE = "https://tsunagu.example.jp/api/fhir";
const MARK = "秘匿マーカー";
const LOCAL_ID = "urn:oid:1.2.392.100495.20.3.51.12213000004|S-0001";
const HOUR = 3_600_000;
const K = "3H015000002326101";

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  for (const [id, code, canBreakGlass] of [["fA", "2210000001", false], ["fB", "2210000002", false], ["fC", "2210000003", false], ["fD", "2210000004", false], ["fE", "2210000005", true], ["fS", "2213000004", false]] as const) await db.facility.create({ data: { id, code, name: `施設${id}`, kind: "HOSPITAL", canBreakGlass } });
  for (const a of [doctorA, doctorB, doctorC, doctorD, er, er2]) await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: new Date("2020-01-01") } });
  await db.patient.create({ data: { id: "p1", familyName: "田中", givenName: "遥", familyNameKana: "タナカ", givenNameKana: "ハルカ", sex: "FEMALE", birthDate: new Date("1971-07-07") } });
  await db.patientLink.create({ data: { patientId: "p1", id: "lk-s", facilityId: "fS", localPatientId: "S-0001" } });
  // fA withholds PSYCHIATRIC, fB nothing, fC and fE have no consent
  await db.consent.create({ data: { patientId: "p1", id: "c-a", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorB.userId, withheldCategories: ["PSYCHIATRIC"] } });
  await db.consent.create({ data: { patientId: "p1", id: "c-b", facilityId: "fB", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorA.userId } });
  const base = { patientId: "p1", facilityId: "fS" };
  const at = new Date("2024-03-01T01:00:00Z");
  for (const [s, sensitivity, m] of [["n", "NORMAL", "通常"], ["p", "PSYCHIATRIC", MARK]] as const) {
    const row = { ...base, sensitivity, occurredAt: at };
    await db.condition.create({ data: { ...row, id: `dx-${s}`, codeSystem: "x", code: `C${s}`, display: `${m}病名` } });
    await db.allergy.create({ data: { ...row, id: `alg-${s}`, kind: "DRUG", display: `${m}アレルギー` } });
    await db.prescription.create({ data: { ...row, id: `rx-${s}`, kind: "PRESCRIPTION", items: { create: [{ id: `rx-${s}-1`, codeSystem: "YJ", code: `1179${s}`, display: `${m}錠`, days: 7 }] } } });
    await db.prescription.create({ data: { ...row, id: `dp-${s}`, kind: "DISPENSE", items: { create: [{ id: `dp-${s}-1`, codeSystem: "YJ", code: `1179${s}`, display: `${m}錠`, days: 7 }] } } });
    await db.labResult.create({ data: { ...row, id: `lab-${s}`, codeSystem: "JLAC10", code: `L${s}`, display: `${m}検査`, valueNumeric: 1 } });
    await db.encounter.create({ data: { ...row, id: `enc-${s}`, class: "OUTPATIENT", department: `${m}科` } });
    await db.procedure.create({ data: { ...row, id: `proc-${s}`, kind: "OTHER", display: `${m}処置` } });
    await db.document.create({ data: { ...row, id: `doc-${s}`, kind: "REFERRAL", title: `${m}紹介状`, body: `【目的】${m}` } });
  }
  // potassium, an emergency test: an older and a newer result, and a newest one of a withheld category
  for (const [id, day, sensitivity, display] of [["k-old", "2024-02-01", "NORMAL", "カリウム"], ["k-new", "2024-03-02", "NORMAL", "カリウム"], ["k-psy", "2024-03-03", "PSYCHIATRIC", `${MARK}カリウム`]] as const) {
    await db.labResult.create({ data: { ...base, id, sensitivity, occurredAt: new Date(`${day}T01:00:00Z`), codeSystem: "urn:oid:1.2.392.200119.4.504", code: K, display, valueNumeric: 4.1, unit: "mmol/L" } });
  }
  // fD: an emergency-only consent
  await db.consent.create({ data: { patientId: "p1", id: "c-d", facilityId: "fD", scope: "EMERGENCY", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorA.userId } });
});
afterAll(async () => ctx?.close());

type Outcome = { resourceType: string; issue: { code: string; diagnostics: string; details: { text: string } }[] };
const auth = (token: string | null) => (token === null ? null : `Bearer ${token}`);

/** Every read the API offers about p1, with this token. */
async function everyRead(token: string | null): Promise<[string, FhirAnswer][]> {
  const out: [string, FhirAnswer][] = [];
  for (const type of SEARCH_TYPES) out.push([type, await search({ authorization: auth(token), type, query: new URLSearchParams({ patient: "p1" }), base: BASE })]);
  out.push(["Patient/p1", await readPatient({ authorization: auth(token), patientId: "p1", base: BASE })]);
  out.push(["$everything", await everything({ authorization: auth(token), patientId: "p1", query: new URLSearchParams(), base: BASE })]);
  return out;
}
const statuses = (answers: [string, FhirAnswer][]) => answers.map(([what, a]) => [what, a.status]);
const all = (status: number, answers: [string, FhirAnswer][]) => answers.map(([what]) => [what, status]);
const findByIdentifier = (token: string | null) => searchPatients({ authorization: auth(token), query: new URLSearchParams({ identifier: LOCAL_ID }), base: BASE });
const text = (a: FhirAnswer) => JSON.stringify(a.body, (k, v) => (k === "data" && typeof v === "string" ? Buffer.from(v, "base64").toString("utf8") : v));

describe("the token", () => {
  it("no token: 401 on every read, with WWW-Authenticate; the same reads with a token answer (twin)", async () => {
    const none = await everyRead(null);
    expect(statuses(none)).toEqual(all(401, none));
    for (const [, a] of none) {
      expect((a.body as Outcome).issue[0]).toMatchObject({ code: "login", details: { text: expect.stringContaining("API トークン") }, diagnostics: expect.stringContaining("API token") });
      expect(a.headers).toMatchObject({ "WWW-Authenticate": expect.stringContaining("Bearer") });
    }
    expect((await findByIdentifier(null)).status).toBe(401);
    const withToken = await everyRead((await issueApiToken(doctorB)).token);
    expect(statuses(withToken)).toEqual(all(200, withToken));
  });

  it("expired: 401 on every read; the same token answered before its expiry (twin)", async () => {
    const t = await issueApiToken(doctorB, 1);
    const before = await everyRead(t.token);
    expect(statuses(before)).toEqual(all(200, before));
    await db.apiToken.update({ where: { id: t.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const after = await everyRead(t.token);
    expect(statuses(after)).toEqual(all(401, after));
    expect((await findByIdentifier(t.token)).status).toBe(401);
  });

  it("revoked: 401 on every read; the same token answered before (twin)", async () => {
    const t = await issueApiToken(doctorB);
    expect((await findByIdentifier(t.token)).status).toBe(200);
    await revokeApiToken(doctorB, t.id);
    const after = await everyRead(t.token);
    expect(statuses(after)).toEqual(all(401, after));
    expect((await findByIdentifier(t.token)).status).toBe(401);
  });
});

describe("the patient's consent", () => {
  it("no consent: 403 NO_CONSENT on every read, each refusal audited; a facility she consented to reads (twin)", async () => {
    const n0 = await db.auditEvent.count({ where: { actorId: doctorC.userId, action: "RECORD_VIEW_DENIED", patientId: "p1" } });
    const refused = await everyRead((await issueApiToken(doctorC)).token);
    expect(statuses(refused)).toEqual(all(403, refused));
    for (const [, a] of refused) expect((a.body as Outcome).issue[0]).toMatchObject({ code: "forbidden", details: { text: expect.stringContaining("閲覧できません（NO_CONSENT）") }, diagnostics: expect.stringContaining("Access denied (NO_CONSENT)") });
    expect(await db.auditEvent.count({ where: { actorId: doctorC.userId, action: "RECORD_VIEW_DENIED", patientId: "p1" } })).toBe(n0 + refused.length);
    // and the search by identifier finds nobody (not a 403 that would say she exists)
    expect((await findByIdentifier((await issueApiToken(doctorC)).token)).body).toMatchObject({ entry: [] });
    const twin = await everyRead((await issueApiToken(doctorB)).token);
    expect(statuses(twin)).toEqual(all(200, twin));
  });

  it("a withheld category leaves no read of the facility it is withheld from; the other facility's reads carry it (twin)", async () => {
    const withheld = await everyRead((await issueApiToken(doctorA)).token);
    for (const [what, a] of withheld) {
      expect([what, a.status]).toEqual([what, 200]);
      expect([what, text(a).includes(MARK)]).toEqual([what, false]);
    }
    const twin = await everyRead((await issueApiToken(doctorB)).token);
    // every search of a type with such a record carries it (the Patient holds no record)
    for (const [what, a] of twin) expect([what, text(a).includes(MARK)]).toEqual([what, what !== "Patient/p1"]);
  });
});

/** Each search type's record of the fixture, by the id its resource has (a drug's, for a prescription or a dispense). */
const ID_OF: Record<(typeof SEARCH_TYPES)[number], (s: "n" | "p") => string> = {
  Condition: (s) => `dx-${s}`,
  AllergyIntolerance: (s) => `alg-${s}`,
  MedicationRequest: (s) => `rx-${s}-1`,
  MedicationDispense: (s) => `dp-${s}-1`,
  Observation: (s) => `lab-${s}`,
  Encounter: (s) => `enc-${s}`,
  Procedure: (s) => `proc-${s}`,
  DocumentReference: (s) => `doc-${s}`,
  Composition: (s) => `doc-${s}`,
};
const readById = (token: string, type: string, id: string) => readResource({ authorization: auth(token), type, id, base: BASE });
const notFound = (type: string, id: string) => ({ status: 404, body: { resourceType: "OperationOutcome", issue: [{ code: "not-found", details: { text: `${type}/${id} は見つからないか、この利用者には閲覧できません。` }, diagnostics: `${type}/${id} was not found, or this user may not read it.` }] } });

describe("GET {type}/{id}: every searchset entry's fullUrl reads", () => {
  it("each type reads its record, audited as a read of that resource; an unknown id and an id of another type are 404", async () => {
    const token = (await issueApiToken(doctorB)).token;
    for (const type of SEARCH_TYPES) {
      const id = ID_OF[type]("n");
      const a = await readById(token, type, id);
      expect([type, a.status, a.body]).toMatchObject([type, 200, { resourceType: type, id }]);
      expect(await db.auditEvent.findFirstOrThrow({ where: { actorId: doctorB.userId, patientId: "p1", action: "RECORD_VIEW" }, orderBy: { seq: "desc" } })).toMatchObject({ outcome: "ALLOW", detail: { what: "fhir-read", type, id, returned: 1 } });
    }
    expect(await readById(token, "Condition", "dx-none")).toMatchObject(notFound("Condition", "dx-none"));
    // a dispense's drug is no MedicationRequest, a lab result no Condition
    expect(await readById(token, "MedicationRequest", "dp-n-1")).toMatchObject(notFound("MedicationRequest", "dp-n-1"));
    expect(await readById(token, "Condition", "lab-n")).toMatchObject(notFound("Condition", "lab-n"));
    expect((await readById(token, "Patient2", "dx-n")).status).toBe(404);
  });

  it("a record of a category withheld from the facility is the same 404 as an unknown id; its twin of no such category reads, and the other facility reads both", async () => {
    const a = (await issueApiToken(doctorA)).token;
    const b = (await issueApiToken(doctorB)).token;
    for (const type of SEARCH_TYPES) {
      expect([type, await readById(a, type, ID_OF[type]("p"))]).toMatchObject([type, notFound(type, ID_OF[type]("p"))]);
      // the audit row says nothing went out: a look for a withheld record is not a read of it (review 5, m3)
      expect((await db.auditEvent.findFirstOrThrow({ where: { actorId: doctorA.userId, action: "RECORD_VIEW" }, orderBy: { seq: "desc" } })).detail).toMatchObject({ what: "fhir-read", type, id: ID_OF[type]("p"), returned: 0 });
      expect([type, (await readById(a, type, ID_OF[type]("n"))).status]).toEqual([type, 200]);
      const other = await readById(b, type, ID_OF[type]("p"));
      expect([type, other.status, text(other).includes(MARK)]).toEqual([type, 200, true]);
    }
  });

  it("a record of a patient who did not consent to the facility: the same 404 as an id that does not exist (no count of their records by probing), the refusal audited as NO_CONSENT; the consented facility reads it (twin)", async () => {
    const c = (await issueApiToken(doctorC)).token;
    const a = await readById(c, "Condition", "dx-n");
    expect(a).toMatchObject(notFound("Condition", "dx-n"));
    const none = await readById(c, "Condition", "dx-n-none");
    expect(JSON.stringify(a).replaceAll("dx-n", "ID")).toBe(JSON.stringify(none).replaceAll("dx-n-none", "ID"));
    expect(await db.auditEvent.findFirstOrThrow({ where: { actorId: doctorC.userId, action: "RECORD_VIEW_DENIED" }, orderBy: { seq: "desc" } })).toMatchObject({ detail: { what: "fhir-read", reason: "NO_CONSENT" } });
    expect((await readById((await issueApiToken(doctorB)).token, "Condition", "dx-n")).status).toBe(200);
  });
});

describe("what the API tells a system that asks wrongly", () => {
  const req = (method: string, path: string) => new NextRequest(`https://tsunagu.example.jp/api/fhir/${path}`, { method });
  it("PUT, DELETE, PATCH and POST on a read path: 405 OperationOutcome (ja/en) with Allow: GET; GET on the same paths answers (twin)", async () => {
    const answers = [
      await typeReadRoute.DELETE(req("DELETE", "Condition/dx-n"), { params: Promise.resolve({ type: "Condition", rest: ["dx-n"] }) }),
      await typeReadRoute.PUT(req("PUT", "Condition/dx-n"), { params: Promise.resolve({ type: "Condition", rest: ["dx-n"] }) }),
      await typeSearchRoute.DELETE(req("DELETE", "Condition")),
      await typeSearchRoute.PATCH(req("PATCH", "Condition")),
      await metadataRoute.PUT(req("PUT", "metadata")),
      await everythingRoute.POST(req("POST", "Patient/p1/$everything")),
    ];
    for (const r of answers) {
      expect(r.status).toBe(405);
      expect(r.headers.get("allow")).toBe("GET");
      const body = (await r.json()) as Outcome;
      expect(body.issue[0]).toMatchObject({ code: "not-supported", details: { text: expect.stringContaining("対応していません（使えるもの: GET）") }, diagnostics: expect.stringContaining("is not supported on this path (allowed: GET)") });
    }
    expect((await metadataRoute.GET(req("GET", "metadata"))).status).toBe(200);
    // a path deeper than a read stays unknown (404) whatever the method
    expect((await typeReadRoute.DELETE(req("DELETE", "Condition/dx-n/_history"), { params: Promise.resolve({ type: "Condition", rest: ["dx-n", "_history"] }) })).status).toBe(404);
  });

  it("_count over the maximum: 400 naming the maximum in Japanese and English; _count at the maximum answers (twin)", async () => {
    const token = (await issueApiToken(doctorB)).token;
    const over = await search({ authorization: auth(token), type: "Condition", query: new URLSearchParams({ patient: "p1", _count: "100000" }), base: BASE });
    expect(over.status).toBe(400);
    expect((over.body as Outcome).issue[0]).toMatchObject({ details: { text: expect.stringContaining("最大 1000") }, diagnostics: expect.stringContaining("the maximum is 1000") });
    const most = await search({ authorization: auth(token), type: "Condition", query: new URLSearchParams({ patient: "p1", _count: "1000" }), base: BASE });
    expect(most.status).toBe(200);
  });

  it("a token of a suspended facility's clinician: 401 saying the facility is suspended and the token revoked, not to issue one; a token merely revoked is told to issue a new one (twin)", async () => {
    const admin = testActor("fA", "ADMIN", { userId: "u-admin", loginId: "u-admin" });
    const doctorT = testActor("fT", "DOCTOR");
    await db.facility.create({ data: { id: "fT", code: "2210000009", name: "施設fT", kind: "HOSPITAL" } });
    for (const u of [admin, doctorT]) await db.user.create({ data: { id: u.userId, loginId: u.userId, name: u.name, profession: u.profession, facilityId: u.facilityId, passwordHash: "x", credentialVerifiedAt: new Date("2020-01-01") } });
    const token = (await issueApiToken(doctorT)).token;
    await suspendFacility(admin, "fT");
    const a = await readById(token, "Condition", "dx-n");
    expect(a.status).toBe(401);
    const issue = (a.body as Outcome).issue[0]!;
    expect(issue).toMatchObject({ code: "login", details: { text: expect.stringContaining("ネットワーク参加を停止") }, diagnostics: expect.stringContaining("facility is suspended") });
    expect(issue.details.text).not.toContain("アカウント画面で発行");
    const t = await issueApiToken(doctorB);
    await revokeApiToken(doctorB, t.id);
    expect(((await readById(t.token, "Condition", "dx-n")).body as Outcome).issue[0]).toMatchObject({ details: { text: expect.stringContaining("失効しています。アカウント画面で発行し直してください") }, diagnostics: expect.stringContaining("revoked: issue a new one") });
  });
});

describe("break-glass through the API", () => {
  const grant = (userId: string, expiresAt: Date) => db.breakGlass.create({ data: { patientId: "p1", id: `bg-${userId}`, userId, facilityId: "fE", reason: "UNCONSCIOUS", startedAt: new Date(Date.now() - 60_000), expiresAt } });
  let token: string;
  beforeAll(async () => {
    token = (await issueApiToken(er)).token;
    await grant(er.userId, new Date(Date.now() + HOUR));
    // the emergency dataset as the emergency page reads it: recent visits and medicines, recent surgery, the latest
    // discharge summary (a newer one of a withheld category neither shows nor hides it); the 2024 rows above are older
    const recent = (id: string, daysAgo: number, sensitivity: "NORMAL" | "PSYCHIATRIC" = "NORMAL") => ({ patientId: "p1", facilityId: "fS", id, sensitivity, occurredAt: new Date(Date.now() - daysAgo * 86_400_000) });
    await db.encounter.create({ data: { ...recent("enc-now", 10), class: "OUTPATIENT", department: "内科" } });
    for (const kind of ["PRESCRIPTION", "DISPENSE"] as const) await db.prescription.create({ data: { ...recent(`${kind}-now`, 10), kind, items: { create: [{ id: `${kind}-now-1`, codeSystem: "YJ", code: "2149", display: "降圧錠", days: 30 }] } } });
    await db.procedure.create({ data: { ...recent("surgery-now", 30), kind: "SURGERY", display: "虫垂切除術" } });
    await db.document.create({ data: { ...recent("ds-n", 20), kind: "DISCHARGE_SUMMARY", title: "退院時サマリー", body: "【経過】軽快" } });
    await db.document.create({ data: { ...recent("ds-p", 5, "PSYCHIATRIC"), kind: "DISCHARGE_SUMMARY", title: `${MARK}退院時サマリー`, body: `【経過】${MARK}` } });
  });
  const get = (type: string, t = token) => search({ authorization: auth(t), type, query: new URLSearchParams({ patient: "p1" }), base: BASE });

  it("during the grant: the emergency dataset, each read audited with purpose EMERGENCY (BALP: ETREAT) on the grant", async () => {
    for (const type of ["Condition", "AllergyIntolerance", "MedicationRequest", "MedicationDispense", "Encounter", "Procedure", "DocumentReference", "Composition"]) {
      const a = await get(type);
      expect([type, a.status]).toEqual([type, 200]);
      expect((a.body as { entry: unknown[] }).entry.length).toBeGreaterThan(0);
    }
    const ev = await everything({ authorization: auth(token), patientId: "p1", query: new URLSearchParams(), base: BASE });
    const entries = (ev.body as { entry: { resource: { resourceType: string; id: string } }[] }).entry.map((e) => e.resource);
    expect(entries.some((r) => r.resourceType === "Condition") && entries.some((r) => r.resourceType === "AllergyIntolerance")).toBe(true);
    // lab history is outside the emergency dataset: only the latest value of each emergency test
    expect(entries.filter((r) => r.resourceType === "Observation").map((r) => r.id)).toEqual(["k-new"]);
    const events = await db.auditEvent.findMany({ where: { actorId: er.userId, patientId: "p1", action: "RECORD_VIEW" } });
    expect(events).toHaveLength(9);
    for (const e of events) {
      expect(e).toMatchObject({ purpose: "EMERGENCY", outcome: "ALLOW", detail: { basis: "BREAK_GLASS", scope: "EMERGENCY" } });
      const balp = balpAuditEvent({ seq: String(e.seq), at: e.at.toISOString(), actorId: e.actorId, actorName: null, actorProfession: "EMERGENCY", facilityId: e.facilityId, facilityName: null, action: e.action, patientId: e.patientId, purpose: e.purpose, outcome: e.outcome, detail: e.detail });
      expect(balp).toMatchObject({ purposeOfEvent: [{ coding: [{ code: "ETREAT" }] }] });
    }
  });

  it("what the patient withholds from any facility stays withheld under the grant", async () => {
    for (const type of ["Condition", "AllergyIntolerance", "DocumentReference", "Composition"]) expect([type, text(await get(type)).includes(MARK)]).toEqual([type, false]);
    // the latest discharge summary the grant may see, not the withheld newer one, nor nothing
    expect((await get("DocumentReference")).body).toMatchObject({ entry: [{ resource: { id: "ds-n" } }] });
  });

  it("break-glass scope: Observation gives the latest visible value of each emergency test, not the history; a consented doctor gets the history (twin)", async () => {
    const a = await get("Observation");
    expect(a.status).toBe(200);
    // not k-old (history), not k-psy (withheld: it neither shows nor hides the older one), not the other tests
    expect((a.body as { entry: { resource: { id: string } }[] }).entry.map((e) => e.resource.id)).toEqual(["k-new"]);
    const b = await get("Observation", (await issueApiToken(doctorB)).token);
    expect((b.body as { entry: { resource: { id: string } }[] }).entry.map((e) => e.resource.id).sort()).toEqual(["k-new", "k-old", "k-psy", "lab-n", "lab-p"]);
  });

  it("an emergency-only consent: Observation gives the latest value of each emergency test, as the page lists it, not the history; a full consent gets the history (twin above)", async () => {
    const t = (await issueApiToken(doctorD)).token;
    const a = await get("Observation", t);
    expect(a.status).toBe(200);
    // fD's own consent withholds nothing: the newest potassium is k-psy; not k-old (history), not the other tests
    const ids = (a.body as { entry: { resource: { id: string } }[] }).entry.map((e) => e.resource.id);
    expect(ids).toEqual(["k-psy"]);
    const allowed = await db.auditEvent.findFirstOrThrow({ where: { actorId: doctorD.userId, action: "RECORD_VIEW" }, orderBy: { seq: "desc" } });
    expect(allowed).toMatchObject({ purpose: "TREATMENT", detail: { what: "fhir-search", scope: "EMERGENCY", basis: "CONSENT" } });
    // the page lists the same values (the 統合ビュー's emergency lab list)
    const page = await getPatientView(doctorD, "p1");
    expect(page.scopeNote.emergencyLabs?.map((l) => [l.code, l.date])).toEqual([[K, "2024-03-03"]]);
    // a read by id of the history is the same 404 as an unknown id; the latest value reads
    expect((await readById(t, "Observation", "k-psy")).status).toBe(200);
    expect(await readById(t, "Observation", "k-old")).toMatchObject(notFound("Observation", "k-old"));
    expect((await get("Condition", t)).status).toBe(200);
  });

  it("another clinician of the same ER without a grant of their own: 403 NO_CONSENT; the grant is the holder's (twin above)", async () => {
    const a = await get("Condition", (await issueApiToken(er2)).token);
    expect(a.status).toBe(403);
    expect((a.body as Outcome).issue[0]!.diagnostics).toContain("NO_CONSENT");
  });

  it("a read by id during the grant: a record of the emergency dataset reads, audited as emergency treatment; one outside it (history) is the same 404 as an unknown id", async () => {
    for (const [type, id] of [["Encounter", "enc-now"], ["Observation", "k-new"], ["DocumentReference", "ds-n"], ["MedicationRequest", "PRESCRIPTION-now-1"]] as const) {
      expect([type, (await readById(token, type, id)).status]).toEqual([type, 200]);
      expect(await db.auditEvent.findFirstOrThrow({ where: { actorId: er.userId, action: "RECORD_VIEW" }, orderBy: { seq: "desc" } })).toMatchObject({ purpose: "EMERGENCY", detail: { what: "fhir-read", id, basis: "BREAK_GLASS" } });
    }
    for (const [type, id] of [["Encounter", "enc-n"], ["Observation", "k-old"], ["DocumentReference", "doc-n"], ["MedicationRequest", "rx-n-1"]] as const) expect([type, await readById(token, type, id)]).toMatchObject([type, notFound(type, id)]);
  });

  it("after the grant's expiry: 403 NO_ACTIVE_GRANT with the reason, audited as an emergency refusal, and the grant's stop event is written", async () => {
    expect((await get("Condition")).status).toBe(200);
    await db.breakGlass.updateMany({ where: { userId: er.userId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const a = await get("Condition");
    expect(a.status).toBe(403);
    expect((a.body as Outcome).issue[0]).toMatchObject({ diagnostics: expect.stringContaining("NO_ACTIVE_GRANT"), details: { text: expect.stringContaining("緊急時アクセスの期限が切れた") } });
    expect(await db.auditEvent.findFirstOrThrow({ where: { actorId: er.userId, action: "RECORD_VIEW_DENIED" }, orderBy: { seq: "desc" } })).toMatchObject({ purpose: "EMERGENCY", detail: { reason: "NO_ACTIVE_GRANT" } });
    expect(await db.auditEvent.count({ where: { actorId: er.userId, action: "BREAK_GLASS_STOP" } })).toBe(1);
    const after = await everyRead(token);
    expect(statuses(after)).toEqual(all(403, after));
    // the identifier search finds nobody now; it found her during the grant (the twin: a second clinician's live grant)
    expect((await findByIdentifier(token)).body).toMatchObject({ entry: [] });
    await grant(er2.userId, new Date(Date.now() + HOUR));
    expect((await findByIdentifier((await issueApiToken(er2)).token)).body).toMatchObject({ entry: [{ resource: { id: "p1" } }] });
  });
});
