import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import { totpCode } from "../lib/auth/totp";
import { EMERGENCY_DATASET } from "../lib/access/data-kinds";
import { CODE_SYSTEM } from "../lib/terminology/code-systems";
import { getPatientResource, getSearchPage, type SearchType } from "../lib/record/fhir-search";
import { getExportPage, type ExportPage } from "../lib/record/export";
import { getEmergencySummary, identifyForEmergency, startBreakGlass, type EmergencySummary } from "../lib/record";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from "../prisma/seed/demo-credentials";

/**
 * Under a break-glass grant the FHIR API gives the emergency dataset as the emergency page reads it,
 * no more: on the demo network, er1's grant for pat-0003 鈴木 一郎 (records from 2017 on) yields the
 * page's diagnoses, visits of its year, its latest discharge summary, its procedures and the
 * prescriptions and dispenses of the medication window (from which the page lists the current
 * medicines) — and the twin, er1 reading the same patient under a consent of the facility, gets the
 * whole history.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const NOW = new Date("2026-12-01T00:00:00Z"); // the seed's today
const DAY = 86_400_000;
let clock = NOW.getTime() + 3 * 3_600_000;
const tick = () => {
  clock += 30_000;
  setClockForTests(new Date(clock));
  return new Date(clock);
};
const er1 = testActor("fac-01", "EMERGENCY", { userId: "usr-er1", name: "藤田 拓也", facilityName: "つなぐ中央病院", facilityCanBreakGlass: true });
const PID = "pat-0003";

type R = { resourceType: string; id: string; [k: string]: unknown };
/** Every page of a search or of $everything, as a system pulls it (following the cursor). */
async function pull(read: (cursor: string | null) => Promise<ExportPage>): Promise<R[]> {
  const out: R[] = [];
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const page = await read(cursor);
    out.push(...(page.resources as R[]));
    cursor = page.next;
  }
  return out;
}
const search = (type: SearchType) => pull((cursor) => getSearchPage(er1, type, new URLSearchParams({ patient: PID, _count: "50", ...(cursor ? { cursor } : {}) })));
const everything = () => pull((cursor) => getExportPage(er1, PID, { _count: "50", ...(cursor ? { cursor } : {}) }, "UNSTATED"));

const at = (r: R, field: string) => new Date(field === "period" ? (r.period as { start: string }).start : (r[field] as string));
const since = (days: number) => new Date(clock - days * DAY);
const drugOf = (r: R) => (r.medicationCodeableConcept as { coding: { display: string }[] }).coding[0]!.display;
const conditionText = (r: R) => (r.code as { text: string }).text;
/** The product a drug names, as the page merges its lines: the YJ code when known, else the coding as stored. */
const productOf = (r: R) => {
  const codings = (r.medicationCodeableConcept as { coding: { system: string; code: string }[] }).coding;
  return codings.find((c) => c.system === CODE_SYSTEM.YJ)?.code ?? `${codings[0]!.system}|${codings[0]!.code}`;
};
/** The 医療機関コード of the facility that recorded a resource (JP-CLINS's extension). */
const facilityCodes = (r: R) => ((r.extension as { valueIdentifier?: { value: string } }[] | undefined) ?? []).flatMap((e) => (e.valueIdentifier ? [e.valueIdentifier.value] : []));

let summary: EmergencySummary;
let granted: Record<string, R[]>;
let consented: Record<string, R[]>;
const TYPES = ["Condition", "MedicationRequest", "MedicationDispense", "Encounter", "DocumentReference", "Procedure", "AllergyIntolerance"] as const;

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  const { seed } = await import("../prisma/seed/index");
  await seed(db, { patients: 5, now: NOW });
  tick();
  // beside the demo's records, what the page leaves out, each with the twin it shows
  const row = (id: string, daysAgo: number) => ({ patientId: PID, id, facilityId: "fac-02", occurredAt: new Date(NOW.getTime() - daysAgo * DAY) });
  await db.condition.create({ data: { ...row("x-dx-ended", 900), endedAt: new Date(NOW.getTime() - 800 * DAY), outcome: "CURED", codeSystem: "x", code: "X1", display: "治癒した病名" } });
  await db.condition.create({ data: { ...row("x-dx-major", 900), endedAt: new Date(NOW.getTime() - 800 * DAY), outcome: "CURED", major: true, codeSystem: "x", code: "X2", display: "治癒した主病名" } });
  await db.document.create({ data: { ...row("x-ds-old", 2000), kind: "DISCHARGE_SUMMARY", title: "古い退院時サマリー", body: "【経過】" } });
  await db.document.create({ data: { ...row("x-ref-new", 3), kind: "REFERRAL", title: "新しい紹介状", body: "【目的】" } });
  await db.procedure.create({ data: { ...row("x-surgery-old", 4 * 365), kind: "SURGERY", display: "古い手術" } });
  await db.procedure.create({ data: { ...row("x-other-new", 3), kind: "OTHER", display: "最近のその他の処置" } });
  // medicines of the window: one no longer current (a 14-day supply 300 days ago), one current (28 days, 5 days ago)
  const drug = (id: string, display: string, days: number) => ({ id, rp: 1, codeSystem: "http://medis.or.jp/CodeSystem/master-HOT9", code: id === "x-rx-old-1" ? "999999901" : "999999902", display, days, dose: 1, doseUnit: "錠", usageText: "1日1回朝食後" });
  await db.prescription.create({ data: { ...row("x-rx-old", 300), kind: "PRESCRIPTION", items: { create: [drug("x-rx-old-1", "窓内の終わった薬", 14)] } } });
  await db.prescription.create({ data: { ...row("x-rx-now", 5), kind: "PRESCRIPTION", items: { create: [drug("x-rx-now-1", "今飲んでいる薬", 28)] } } });
  // a clinic whose only record of the patient lies outside the dataset (an ended, minor diagnosis of 2017)
  await db.facility.create({ data: { id: "fac-x", code: "2219999999", name: "昔の診療所", kind: "CLINIC" } });
  await db.patientLink.create({ data: { patientId: PID, id: "lk-x", facilityId: "fac-x", localPatientId: "X-0001" } });
  await db.condition.create({ data: { ...row("x-dx-clinic", 3300), facilityId: "fac-x", endedAt: new Date(NOW.getTime() - 3200 * DAY), outcome: "CURED", codeSystem: "x", code: "X3", display: "昔の診療所の病名" } });
  await identifyForEmergency(er1, { mode: "four", kana: "スズキ イチロウ", birthDate: "1972-01-20", sex: "MALE", address: "静岡県静岡市清水区草薙1-22-5" });
  await startBreakGlass(er1, { patientId: PID, reason: "UNCONSCIOUS", password: DEMO_PASSWORD, code: totpCode(DEMO_TOTP_SECRET, tick()) });
  summary = await getEmergencySummary(er1, PID);
  granted = Object.fromEntries(await Promise.all(TYPES.map(async (t) => [t, await search(t)] as const)));
  granted.everything = await everything();
  granted.Patient = [(await getPatientResource(er1, PID)) as R];
  // the twin: a consent of er1's facility is in force, so the same reads are decided under it (TREATMENT)
  await db.consent.create({ data: { patientId: PID, id: "c-er", facilityId: "fac-01", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: "usr-doctor1" } });
  consented = Object.fromEntries(await Promise.all(TYPES.map(async (t) => [t, await search(t)] as const)));
  consented.everything = await everything();
  consented.Patient = [(await getPatientResource(er1, PID)) as R];
  const events = await db.auditEvent.findMany({ where: { actorId: er1.userId, patientId: PID, action: "RECORD_VIEW" }, orderBy: { seq: "desc" }, take: 1 });
  expect(events[0]).toMatchObject({ purpose: "TREATMENT", detail: { basis: "CONSENT" } });
}, 120_000);
afterAll(async () => ctx?.close());

describe("break-glass through the FHIR API: the emergency page's dataset, no more", () => {
  it("MedicationRequest and MedicationDispense: exactly the drugs behind the current medicines the page lists; the consented twin gets the history from 2017", () => {
    const window = since(EMERGENCY_DATASET.medicationDays);
    for (const [type, field] of [["MedicationRequest", "authoredOn"], ["MedicationDispense", "whenHandedOver"]] as const) {
      expect([type, granted[type]!.every((r) => at(r, field) >= window)]).toEqual([type, true]);
      expect([type, consented[type]!.some((r) => at(r, field) < window)]).toEqual([type, true]);
      expect(granted[type]!.length).toBeLessThan(consented[type]!.length);
    }
    expect(summary.medicines.length).toBeGreaterThan(0);
    const given = [...granted.MedicationRequest!, ...granted.MedicationDispense!];
    // one product per line of the page, no more (the window alone gave 66 MedicationRequests for its 6 lines)
    expect(new Set(given.map(productOf)).size).toBe(summary.medicines.length);
    expect(new Set(given.map(drugOf))).toEqual(new Set(summary.medicines.map((m) => m.display)));
    // a supply of the window that ended is left out; the current one is given; under the consent both are
    expect(given.map((r) => r.id)).toContain("x-rx-now-1");
    expect(given.map((r) => r.id)).not.toContain("x-rx-old-1");
    expect(consented.MedicationRequest!.map((r) => r.id)).toEqual(expect.arrayContaining(["x-rx-now-1", "x-rx-old-1"]));
    expect(Math.min(...consented.MedicationRequest!.map((r) => at(r, "authoredOn").getUTCFullYear()))).toBeLessThanOrEqual(2017);
  });

  it("Patient: names only facilities whose records the dataset holds; the consented twin names the clinic of 2017 too", () => {
    const systems = (r: R) => (r.identifier as { system: string }[]).map((i) => i.system);
    const clinic = "urn:oid:1.2.392.100495.20.3.51.12219999999";
    const everythingPatient = (rs: R[]) => rs.find((r) => r.resourceType === "Patient")!;
    for (const p of [granted.Patient![0]!, everythingPatient(granted.everything!)]) expect(systems(p)).not.toContain(clinic);
    for (const p of [consented.Patient![0]!, everythingPatient(consented.everything!)]) expect(systems(p)).toContain(clinic);
    // what the Patient does name under the grant, a record of the dataset comes from
    const codes = new Set(Object.entries(granted).filter(([t]) => t !== "Patient").flatMap(([, rs]) => rs.flatMap(facilityCodes)));
    for (const s of systems(granted.Patient![0]!).filter((s) => s.startsWith("urn:oid:1.2.392.100495.20.3.51.1"))) expect([s, codes.has(s.slice(-10))]).toEqual([s, true]);
  });

  it("Encounter: the visits of the page's year (the facilities it lists); the consented twin gets the older ones", () => {
    const year = since(EMERGENCY_DATASET.encounterDays);
    expect(granted.Encounter!.length).toBeGreaterThan(0);
    expect(granted.Encounter!.every((r) => at(r, "period") >= year)).toBe(true);
    expect(consented.Encounter!.some((r) => at(r, "period") < year)).toBe(true);
    const facilities = new Set(granted.Encounter!.map((r) => (r.serviceProvider as { reference?: string } | undefined)?.reference ?? JSON.stringify(r.extension)));
    expect(facilities.size).toBe(summary.recentFacilities.length);
  });

  it("Condition: exactly the page's diagnoses (ongoing, or major though ended); the consented twin gets the ended ones too", () => {
    expect(granted.Condition!.map(conditionText).sort()).toEqual(summary.diagnoses.map((d) => d.display).sort());
    expect(granted.Condition!.map((r) => r.id)).toContain("x-dx-major");
    expect(granted.Condition!.map((r) => r.id)).not.toContain("x-dx-ended");
    expect(consented.Condition!.map((r) => r.id)).toContain("x-dx-ended");
  });

  it("DocumentReference: the latest discharge summary only, as the page shows it; the consented twin gets every letter", () => {
    expect(summary.lastDischargeSummary).not.toBeNull();
    expect(granted.DocumentReference!.map((r) => [r.description, (r.date as string).slice(0, 10)])).toEqual([[summary.lastDischargeSummary!.title, summary.lastDischargeSummary!.date]]);
    expect(consented.DocumentReference!.map((r) => r.id)).toEqual(expect.arrayContaining(["x-ds-old", "x-ref-new"]));
  });

  it("Procedure and AllergyIntolerance: what the page lists (recent surgery and the like, the latest dialysis, implants; every allergy)", () => {
    expect(granted.Procedure!.length).toBe(summary.procedures.length + summary.dialysis.length + summary.implants.length);
    expect(granted.Procedure!.map((r) => r.id)).not.toContain("x-surgery-old");
    expect(granted.Procedure!.map((r) => r.id)).not.toContain("x-other-new");
    expect(consented.Procedure!.map((r) => r.id)).toEqual(expect.arrayContaining(["x-surgery-old", "x-other-new"]));
    expect(granted.AllergyIntolerance!.length).toBe(consented.AllergyIntolerance!.length);
  });

  it("$everything under the grant holds exactly what the searches do, and the Patient", () => {
    const ids = (rs: R[]) => rs.map((r) => `${r.resourceType}/${r.id}`).sort();
    const searched = TYPES.flatMap((t) => granted[t]!);
    const observations = granted.everything!.filter((r) => r.resourceType === "Observation");
    expect(observations.length).toBe(summary.labs.length);
    expect(ids(granted.everything!.filter((r) => r.resourceType !== "Patient" && r.resourceType !== "Observation"))).toEqual(ids(searched));
  });
});
