import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import { asEcs } from "./helpers/fhir-ecs";
import type { Actor } from "../lib/auth/actor";
import type { Db } from "../lib/db/client";
import { exportBundleStream, getExportPage, type ExportPage } from "../lib/record";
import { loadProfiles } from "../lib/interop/fhir/fhir-packages";
import { checkInvariants } from "../lib/interop/fhir/invariants";
import { writeBundle } from "../lib/interop/fhir/write-bundle";
import type { Resource } from "../lib/interop/fhir/write-common";

/**
 * The patient's FHIR export through lib/record: the screen's decision and audit on every page, and
 * paging on the timeline's stable cursor that neither repeats nor skips a resource, whatever the filters.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const doctorA = testActor("fA", "DOCTOR");
const pharmacistA = testActor("fA", "PHARMACIST");
const clerkA = testActor("fA", "CLERK");
const doctorC = testActor("fC", "DOCTOR");
const base = { patientId: "p1", facilityId: "fB" };
/** a day in 2024, at 10:00 in Japan */
const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n, 1, 0, 0));

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  for (const [id, code] of [["fA", "2210000001"], ["fB", "2213000002"], ["fC", "2210000003"]] as const) await db.facility.create({ data: { id, code, name: `施設${id}`, kind: "HOSPITAL" } });
  for (const a of [doctorA, pharmacistA, clerkA, doctorC]) await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: new Date("2020-01-01") } });
  await db.patient.create({ data: { id: "p1", familyName: "山田", givenName: "太郎", familyNameKana: "ヤマダ", givenNameKana: "タロウ", sex: "MALE", birthDate: new Date("1960-04-01"), insurerNumber: "06221180", insuredNumber: "1234" } });
  await db.patientLink.create({ data: { patientId: "p1", id: "lk-b", facilityId: "fB", localPatientId: "B-0001" } });
  for (const [id, facilityId, userId] of [["c-a", "fA", clerkA.userId], ["c-c", "fC", doctorC.userId]] as const) await db.consent.create({ data: { patientId: "p1", id, facilityId, scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: userId } });
  // 60 days of record at fB: every kind, several on one day (ties broken by kind and id)
  for (let n = 0; n < 60; n++) {
    await db.condition.create({ data: { ...base, id: `dx-${n}`, occurredAt: day(n), codeSystem: "urn:oid:1.2.392.200119.4.101.2", code: `2005${n}`, display: `病名${n}` } });
    await db.labResult.create({ data: { ...base, id: `lab-${n}`, occurredAt: day(n), codeSystem: "urn:oid:1.2.392.200119.4.504", code: "3D046000001920402", display: "HbA1c", valueNumeric: 6 + n / 100, unit: "%", refLow: 4.6, refHigh: 6.2 } });
    if (n % 3 === 0) await db.prescription.create({ data: { ...base, id: `rx-${n}`, kind: n % 2 ? "DISPENSE" : "PRESCRIPTION", occurredAt: day(n), items: { create: [1, 2].map((rp) => ({ id: `rx-${n}-${rp}`, rp, codeSystem: "http://medis.or.jp/CodeSystem/master-HOT9", code: `10527180${rp}`, display: `薬${rp}`, dose: rp, doseUnit: "錠", usageText: "1日1回朝食後", days: 14 })) } } });
    if (n % 10 === 0) {
      await db.encounter.create({ data: { ...base, id: `enc-${n}`, occurredAt: day(n), class: "OUTPATIENT", department: "内科" } });
      await db.procedure.create({ data: { ...base, id: `proc-${n}`, occurredAt: day(n), kind: "OTHER", display: `処置${n}` } });
      await db.document.create({ data: { ...base, id: `doc-${n}`, occurredAt: day(n), kind: "REFERRAL", title: `紹介状${n}`, body: `本文${n}` } });
      await db.checkup.create({ data: { ...base, id: `ck-${n}`, occurredAt: day(n), items: { create: [{ id: `ck-${n}-1`, codeSystem: "urn:oid:1.2.392.200119.6.1005", code: "9N056000000000011", display: "BMI", valueNumeric: 22 }] } } });
      await db.allergy.create({ data: { ...base, id: `alg-${n}`, occurredAt: day(n), kind: "FOOD", display: `食物${n}` } });
    }
  }
});
afterAll(async () => ctx?.close());

/** Every page, following `next`, with the same filters each time. */
async function allPages(actor: Actor, filters: Record<string, string> = {}, between?: (page: number) => Promise<void>): Promise<ExportPage[]> {
  const pages: ExportPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await getExportPage(actor, "p1", { ...filters, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.next ?? undefined;
    if (cursor && between) await between(pages.length);
  } while (cursor);
  return pages;
}
const keyOf = (r: Resource) => `${r.resourceType}/${r.id}`;
const keys = (pages: ExportPage[]) => pages.flatMap((p) => p.resources.map(keyOf));
const dateOf = (r: Resource) => String(r.onsetDateTime ?? r.effectiveDateTime ?? r.authoredOn ?? r.whenHandedOver ?? r.performedDateTime ?? r.date ?? (r.period as { start: string } | undefined)?.start);

describe("the FHIR export, page by page", () => {
  it("holds every resource the doctor may see exactly once, across pages, with no hidden cap", async () => {
    const pages = await allPages(doctorA, { _count: "7" });
    const all = keys(pages);
    expect(new Set(all).size).toBe(all.length);
    // 60 conditions, 60 labs, 20 prescriptions × 2 drugs, 6 × (encounter, procedure, document, checkup item, allergy), the Patient
    expect(all).toHaveLength(60 + 60 + 40 + 30 + 1);
    expect(pages.length).toBeGreaterThan(20);
    expect(pages.slice(0, -1).every((p) => p.next !== null)).toBe(true);
    const one = await getExportPage(doctorA, "p1", { _count: "1000" });
    expect(one.next).toBeNull();
    expect(new Set(one.resources.map(keyOf))).toEqual(new Set(all));
    expect(all[0]).toBe("Patient/p1");
    // newest first, as the timeline
    const dated = pages.flatMap((p) => p.resources).filter((r) => r.resourceType !== "Patient").map(dateOf);
    expect(dated).toEqual([...dated].sort().reverse());
  });

  it("keeps start, end and _type on every page", async () => {
    const pages = await allPages(doctorA, { _count: "5", start: "2024-01-11", end: "2024-01-20", _type: "Condition,MedicationRequest" });
    const resources = pages.flatMap((p) => p.resources);
    expect(pages.length).toBeGreaterThan(2);
    for (const p of pages) for (const r of p.resources) {
      expect(["Condition", "MedicationRequest"]).toContain(r.resourceType);
      expect(dateOf(r) >= "2024-01-11" && dateOf(r) < "2024-01-21").toBe(true);
    }
    // 10 days of conditions, prescriptions on days 12 and 18 (6 and 9 … 15 is a dispense): 2 × 2 drugs
    expect(resources.filter((r) => r.resourceType === "Condition")).toHaveLength(10);
    expect(resources.filter((r) => r.resourceType === "MedicationRequest")).toHaveLength(4);
  });

  it("keeps _since on every page: only what was stored at or after it", async () => {
    await db.$executeRawUnsafe(`UPDATE "Condition" SET "recordedAt" = '2020-01-01T00:00:00Z' WHERE "patientId" = 'p1' AND id NOT IN ('dx-1','dx-2','dx-3')`);
    await db.$executeRawUnsafe(`UPDATE "LabResult" SET "recordedAt" = '2020-01-01T00:00:00Z' WHERE "patientId" = 'p1' AND id <> 'lab-5'`);
    const pages = await allPages(doctorA, { _count: "1", _since: "2021-01-01T00:00:00+09:00", _type: "Condition,Observation" });
    expect(keys(pages).sort()).toEqual(["Condition/dx-1", "Condition/dx-2", "Condition/dx-3", "Observation/ck-0-1", "Observation/ck-10-1", "Observation/ck-20-1", "Observation/ck-30-1", "Observation/ck-40-1", "Observation/ck-50-1", "Observation/lab-5"].sort());
    for (const r of pages.flatMap((p) => p.resources)) expect(String((r.meta as { lastUpdated: string }).lastUpdated) >= "2021").toBe(true);
  });

  it("neither repeats nor skips while records arrive between pages; one filed behind the cursor appears on a later page", async () => {
    const before = new Set(keys(await allPages(doctorA, { _count: "1000", _type: "Condition" })));
    let added = 0;
    const pages = await allPages(doctorA, { _count: "6", _type: "Condition" }, async (n) => {
      if (n !== 2) return;
      // one newer than everything (ahead of the cursor: the next export has it) and one older (still to come)
      await db.condition.create({ data: { ...base, id: "dx-new", occurredAt: day(100), codeSystem: "x", code: "1", display: "新" } });
      await db.condition.create({ data: { ...base, id: "dx-old", occurredAt: day(-5), codeSystem: "x", code: "2", display: "古" } });
      added = 2;
    });
    expect(added).toBe(2);
    const seen = keys(pages);
    expect(new Set(seen).size).toBe(seen.length);
    for (const k of before) expect(seen).toContain(k);
    expect(seen).toContain("Condition/dx-old");
    expect(seen).not.toContain("Condition/dx-new");
  });

  it("writes one audit event per page, as the doctor, saying what was exported", async () => {
    const count = () => db.auditEvent.count({ where: { patientId: "p1", actorId: doctorA.userId, action: "RECORD_VIEW", detail: { path: ["what"], equals: "fhir-export" } } });
    const n0 = await count();
    const pages = await allPages(doctorA, { _count: "50" });
    expect(await count()).toBe(n0 + pages.length);
    await getExportPage(doctorA, "p1", { _type: "Condition", start: "2024-01-11" });
    const last = await db.auditEvent.findFirstOrThrow({ where: { patientId: "p1", actorId: doctorA.userId }, orderBy: { seq: "desc" } });
    expect(last.detail).toMatchObject({ what: "fhir-export", types: ["Condition"], from: "2024-01-10T15:00:00.000Z" });
  });

  it("gives a pharmacist only the kinds a pharmacist sees; the doctor's twin has documents and procedures", async () => {
    const types = async (a: Actor) => new Set((await getExportPage(a, "p1", { _count: "1000" })).resources.map((r) => r.resourceType));
    const ph = await types(pharmacistA);
    expect(ph.has("DocumentReference") || ph.has("Procedure")).toBe(false);
    expect(ph.has("MedicationRequest")).toBe(true);
    const dr = await types(doctorA);
    expect(dr.has("DocumentReference") && dr.has("Procedure")).toBe(true);
  });

  it("refuses a facility without consent, and the next page once consent is withdrawn mid-export; the twin before withdrawal reads", async () => {
    await expect(getExportPage(testActor("fB", "DOCTOR"), "p1")).rejects.toMatchObject({ reason: expect.any(String) });
    const first = await getExportPage(doctorC, "p1", { _count: "10" });
    expect(first.resources.length).toBeGreaterThan(1);
    await expect(getExportPage(doctorC, "p1", { _count: "10", cursor: first.next! })).resolves.toMatchObject({ resources: expect.any(Array) });
    // withdrawn at the desk between two pages (the desk's own path is tests/consent.test.ts's)
    await db.consent.update({ where: { patientId_id: { patientId: "p1", id: "c-c" } }, data: { status: "WITHDRAWN", withdrawnAt: new Date(), withdrawnById: doctorC.userId } });
    await expect(getExportPage(doctorC, "p1", { _count: "10", cursor: first.next! })).rejects.toMatchObject({ reason: "CONSENT_WITHDRAWN" });
  });

  it("names a bad parameter (400), and a patient who does not exist is not found (404)", async () => {
    for (const [input, field] of [[{ _count: "0" }, "_count"], [{ _type: "Claim" }, "_type"], [{ start: "2024-02-01", end: "2024-01-01" }, "start"], [{ _since: "yesterday" }, "_since"], [{ cursor: "%%%" }, "cursor"]] as const) {
      await expect(getExportPage(doctorA, "p1", input)).rejects.toMatchObject({ field });
    }
    await expect(getExportPage(doctorA, "nobody")).rejects.toMatchObject({ patientId: "nobody", message: "patient not found" });
  });

  it("downloads as one transaction Bundle holding exactly the pages' resources, streamed a page at a time", async () => {
    const expected = (await getExportPage(doctorA, "p1", { _count: "1000" })).resources.map(keyOf);
    const events = () => db.auditEvent.count({ where: { patientId: "p1", actorId: doctorA.userId, detail: { path: ["what"], equals: "fhir-export" } } });
    const n0 = await events();
    const stream = await exportBundleStream(doctorA, "p1", { _count: "40", cursor: "ignored" });
    const bundle = JSON.parse(await new Response(stream).text());
    expect(bundle).toMatchObject({ resourceType: "Bundle", type: "transaction", identifier: { system: "urn:tsunagu:fhir-export", value: "p1" } });
    expect(bundle.entry.map((e: { resource: Resource }) => keyOf(e.resource))).toEqual(expected);
    expect(bundle.entry.every((e: { request: { method: string; url: string }; resource: Resource }) => e.request.method === "PUT" && e.request.url === keyOf(e.resource))).toBe(true);
    // one decision and one audit event per page of 40 records (the Patient is no record)
    expect(await events()).toBe(n0 + Math.max(1, Math.ceil((expected.length - 1) / 40)));
  });

  it("refuses before sending anything, and fails the download (never a short Bundle) when consent ends mid-stream", async () => {
    await expect(exportBundleStream(testActor("fB", "DOCTOR"), "p1")).rejects.toMatchObject({ reason: expect.any(String) });
    await db.consent.create({ data: { patientId: "p1", id: "c-c2", facilityId: "fC", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorC.userId } });
    const reader = (await exportBundleStream(doctorC, "p1", { _count: "5" })).getReader();
    expect((await reader.read()).done).toBe(false);
    await db.consent.update({ where: { patientId_id: { patientId: "p1", id: "c-c2" } }, data: { status: "WITHDRAWN", withdrawnAt: new Date(), withdrawnById: doctorC.userId } });
    await expect(reader.read()).rejects.toMatchObject({ reason: "CONSENT_WITHDRAWN" });
  });

  it("is valid: the whole export breaks no invariant of the packages", async () => {
    const profiles = loadProfiles(path.resolve(__dirname, "../../shared/fhir-packages"));
    const resources = (await allPages(doctorA, { _count: "100" })).flatMap((p) => p.resources);
    const bundle = writeBundle({ id: "t", patientId: "p1", timestamp: new Date() }, resources);
    expect(checkInvariants(asEcs(bundle), profiles)).toEqual([]);
    expect(resources[0]).toMatchObject({ resourceType: "Patient", identifier: [{ system: "urn:oid:1.2.392.100495.20.3.51.12213000002", value: "B-0001" }, { value: "06221180::1234:" }] });
  });
});
