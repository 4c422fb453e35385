import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { setClockForTests } from "../lib/clock";
import { testActor } from "./helpers/actor";
import type { Actor } from "../lib/auth/actor";
import type { Db } from "../lib/db/client";
import {
  AccessDeniedError,
  InvalidFieldsError,
  getAccessReport,
  identifyForAccessReport,
  getConsentOverview,
  getDocument,
  getLabTrend,
  getMedicationHistory,
  getPatientView,
  getTimelinePage,
  getMonthlyRecordMap,
  recordConsent,
  recordConsentByIdentity,
  identifyPatientByCard,
  getEmergencySummary,
  getExportPage,
  type ExportPage,
  listSelfConsentUses,
  reviewSelfConsentUse,
  withdrawConsent,
  WideningNotConfirmedError,
} from "../lib/record";
import { getPatientResource, getSearchPage, SEARCH_TYPES } from "../lib/record/fhir-search";
import { reinstateFacility, suspendFacility } from "../lib/network";

/**
 * Consent capture and withdrawal, the access report, and the promise that a withheld category never
 * leaves lib/record — against the real database.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;

const actorAt = testActor;
const clerkA = actorAt("fA", "CLERK");
const doctorA = actorAt("fA", "DOCTOR");
const clerkB = actorAt("fB", "CLERK");
const doctorB = actorAt("fB", "DOCTOR");
const admin = actorAt("fA", "ADMIN");

const CARD = { kana: "ﾀﾅｶ ﾊﾙｶ", birthDate: "1971-07-07", insurerNumber: "０６２２１１８０", insuredNumber: "00771234" }; // half-width kana and full-width digits, as desks type them
const FULL = { scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD" };
const day = (n: number) => new Date(Date.now() - n * 86_400_000);
const MARK = "秘匿マーカー";

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  for (const [id, code] of [["fA", "2210000001"], ["fB", "2210000002"]] as const) await db.facility.create({ data: { id, code, name: `施設${id}`, kind: "HOSPITAL" } });
  for (const a of [clerkA, doctorA, clerkB, doctorB, admin]) {
    await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: day(900) } });
  }
  await db.patient.create({ data: { id: "t1", familyName: "田中", givenName: "遥", familyNameKana: "タナカ", givenNameKana: "ハルカ", sex: "FEMALE", birthDate: new Date("1971-07-07"), insurerNumber: "06221180", insuredNumber: "00771234" } });
  // A namesake born the same day with another card: the three items together must single out one person.
  await db.patient.create({ data: { id: "t2", familyName: "田中", givenName: "遥", familyNameKana: "タナカ", givenNameKana: "ハルカ", sex: "FEMALE", birthDate: new Date("1971-07-07"), insurerNumber: "06221180", insuredNumber: "00990001" } });

  // t1's record at fB, every kind twice: once NORMAL, once PSYCHIATRIC carrying MARK.
  for (const [s, sens] of [["n", "NORMAL"], ["p", "PSYCHIATRIC"]] as const) {
    const m = sens === "PSYCHIATRIC" ? MARK : "通常";
    const base = { patientId: "t1", facilityId: "fB", sensitivity: sens };
    await db.encounter.create({ data: { ...base, id: `enc-${s}`, occurredAt: day(20), class: "OUTPATIENT", department: `${m}科` } });
    await db.condition.create({ data: { ...base, id: `cond-${s}`, occurredAt: day(19), codeSystem: "MEDIS", code: `C${s}`, display: `${m}病名` } });
    await db.prescription.create({ data: { ...base, id: `rx-${s}`, kind: "PRESCRIPTION", occurredAt: day(3), items: { create: [{ id: `rx-${s}-1`, codeSystem: "YJ", code: `11790${s}`, yjCode: s === "p" ? "1179046F1024" : "2171022F2041", display: `${m}錠`, days: 30 }] } } });
    await db.labResult.create({ data: { ...base, id: `lab-${s}`, occurredAt: day(2), codeSystem: "JLAC10", code: `L-${s}`, display: `${m}検査`, valueNumeric: 1 } });
    await db.checkup.create({ data: { ...base, id: `ck-${s}`, occurredAt: day(60), items: { create: [{ id: `ck-${s}-1`, codeSystem: "urn:oid:1.2.392.200119.6.1005", code: `K-${s}`, display: `${m}健診項目`, valueNumeric: 2 }] } } });
    await db.allergy.create({ data: { ...base, id: `alg-${s}`, occurredAt: day(100), kind: "DRUG", display: `${m}アレルギー` } });
    await db.procedure.create({ data: { ...base, id: `proc-${s}`, occurredAt: day(50), kind: "OTHER", codeSystem: "K", code: `P-${s}`, display: `${m}処置` } });
    await db.document.create({ data: { ...base, id: `doc-${s}`, occurredAt: day(10), kind: "DISCHARGE_SUMMARY", title: `${m}サマリー`, body: m } });
  }
});
afterAll(async () => ctx?.close());

/** Every FHIR API search by patient (each type, every page of 3 records) and the Patient's read, as text with attachments decoded. */
async function searchedText(actor: Actor, patientId: string): Promise<string> {
  const resources: unknown[] = [await getPatientResource(actor, patientId)];
  for (const type of SEARCH_TYPES) {
    for (let cursor: string | null = null; ; ) {
      const q: URLSearchParams = new URLSearchParams({ patient: patientId, _count: "3", ...(cursor ? { cursor } : {}) });
      const page: ExportPage | null = await getSearchPage(actor, type, q).catch((e: unknown) => {
        // lab history is outside the emergency dataset: refused, so nothing of it leaves either
        if (e instanceof AccessDeniedError && e.reason === "SCOPE_EMERGENCY_ONLY") return null;
        throw e;
      });
      if (!page) break;
      resources.push(...page.resources);
      if (!(cursor = page.next)) break;
    }
  }
  return JSON.stringify(resources, (k, v) => (k === "data" && typeof v === "string" ? Buffer.from(v, "base64").toString("utf8") : v));
}

describe("recording consent", () => {
  it("identifies the patient by kana, birth date and insured number together, and writes nothing on a mismatch", async () => {
    const wrong = recordConsentByIdentity(clerkA, { ...CARD, insuredNumber: "00000000", ...FULL });
    await expect(wrong).rejects.toBeInstanceOf(InvalidFieldsError);
    await expect(wrong).rejects.toMatchObject({ fields: { identify: "notFound" } });
    expect(await db.consent.count()).toBe(0);
    const r = await recordConsentByIdentity(clerkA, { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"] });
    expect(r.patientId).toBe("t1");
    expect(await db.consent.count()).toBe(1);
  });

  it("reports each bad field, and an expiry in the past, without writing", async () => {
    await expect(recordConsent(clerkA, "t1", { ...CARD, scope: "EVERYTHING", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", expiresOn: "2001-01-01" })).rejects.toMatchObject({ fields: { scope: "invalid" } });
    await expect(recordConsent(clerkA, "t1", { ...CARD, ...FULL, expiresOn: "2001-01-01" })).rejects.toMatchObject({ fields: { expiresOn: "past" } });
    await expect(recordConsentByIdentity(clerkA, { ...FULL })).rejects.toMatchObject({ fields: { kana: "required", birthDate: "required", insurerNumber: "required", insuredNumber: "required" } });
    expect(await db.consent.count()).toBe(1);
  });

  it("an administrator is not facility staff; a clerk of a suspended facility is refused; each refusal is audited", async () => {
    await expect(recordConsentByIdentity(admin, { ...CARD, ...FULL })).rejects.toMatchObject({ reason: "NOT_FACILITY_STAFF" });
    await expect(recordConsentByIdentity({ ...clerkB, facilityStatus: "SUSPENDED" }, { ...CARD, ...FULL })).rejects.toMatchObject({ reason: "FACILITY_SUSPENDED" });
    expect(await db.auditEvent.count({ where: { action: "CONSENT_DENIED" } })).toBe(2);
  });

  it("a facility that does not know the patient cannot open their consent page; after identifying them it can", async () => {
    await expect(getConsentOverview(clerkB, "t1")).rejects.toMatchObject({ reason: "NO_RELATIONSHIP" });
    await recordConsentByIdentity(clerkB, { ...CARD, ...FULL });
    expect((await getConsentOverview(clerkB, "t1")).inForce?.scope).toBe("FULL");
  });

  it("a change is a new row; the history keeps the old one as superseded, with who recorded each", async () => {
    await recordConsent(clerkA, "t1", { ...CARD, ...FULL, scope: "EMERGENCY", withheld: ["PSYCHIATRIC"] });
    const o = await getConsentOverview(clerkA, "t1");
    expect(o.history.map((h) => [h.scope, h.state, h.capturedBy])).toEqual([
      ["EMERGENCY", "IN_FORCE", clerkA.name],
      ["FULL", "SUPERSEDED", clerkA.name],
    ]);
    await recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"], confirmWidening: "SCOPE" }); // the whole record again, confirmed
  });

});

describe("withdrawal", () => {
  it("refuses every user of the facility from the next read; the other facility is unaffected", async () => {
    await expect(getPatientView(doctorA, "t1")).resolves.toBeTruthy();
    // on the patient's card: a bare id, or another patient's card, withdraws nothing
    await expect(withdrawConsent(clerkA, "t1", {})).rejects.toMatchObject({ fields: { kana: "required" } });
    await expect(withdrawConsent(clerkA, "t1", { ...CARD, insuredNumber: "00990001" })).rejects.toMatchObject({ fields: { identify: "otherPatient" } });
    await expect(getPatientView(doctorA, "t1")).resolves.toBeTruthy();
    expect(await withdrawConsent(clerkA, "t1", CARD)).toEqual({ withdrawn: 3 }); // all three active rows, so no older one takes over
    await expect(getPatientView(doctorA, "t1")).rejects.toMatchObject({ reason: "CONSENT_WITHDRAWN" });
    await expect(getPatientView(doctorB, "t1")).resolves.toBeTruthy();
    const o = await getConsentOverview(clerkA, "t1");
    expect(o.inForce).toBeNull();
    expect(o.history[0]).toMatchObject({ state: "WITHDRAWN", withdrawnBy: clerkA.name });
    // recording afresh after a withdrawal opens the record again: the desk confirms it as that, with the patient
    await expect(recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"] })).rejects.toMatchObject({ fields: { confirmWidening: "required" }, widening: [{ kind: "RESUMED", ended: "WITHDRAWN" }] });
    await expect(getPatientView(doctorA, "t1")).rejects.toMatchObject({ reason: "CONSENT_WITHDRAWN" });
    await recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"], confirmWidening: "RESUMED:WITHDRAWN" }); // re-consent for the tests below
  });
});

describe("withheld categories never leave lib/record", () => {
  async function everything(actor: Actor, patientId = "t1", docIds = ["doc-n", "doc-p"]) {
    const view = await getPatientView(actor, patientId, { limit: 3 });
    const pages = [view.timeline];
    for (let c = view.timeline.nextCursor; c; ) {
      const p = await getTimelinePage(actor, patientId, { cursor: c, limit: 3 });
      pages.push(p);
      c = p.nextCursor;
    }
    const labs = await getLabTrend(actor, patientId);
    const labSeries = await Promise.all(labs.tests.map((x) => getLabTrend(actor, patientId, { code: x.code })));
    const meds = await getMedicationHistory(actor, patientId, { years: "0" });
    const monthlyMap = await getMonthlyRecordMap(actor, patientId);
    const docs = await Promise.allSettled(docIds.map((d) => getDocument(actor, patientId, d)));
    return { view, pages, labs, labSeries, meds, monthlyMap, docs: docs.map((d) => (d.status === "fulfilled" ? d.value : null)), exported: await exportText(actor, patientId), searched: await searchedText(actor, patientId) };
  }

  /** The FHIR export, every page (3 records a page), as text with the letters' attachments decoded: a body is base64 there. */
  async function exportText(actor: Actor, patientId = "t1"): Promise<string> {
    const resources = [];
    for (let cursor: string | null | undefined; ; ) {
      const page = await getExportPage(actor, patientId, { _count: "3", ...(cursor ? { cursor } : {}) });
      resources.push(...page.resources);
      if (!(cursor = page.next)) break;
    }
    return JSON.stringify(resources, (k, v) => (k === "data" && typeof v === "string" ? Buffer.from(v, "base64").toString("utf8") : v));
  }

  it("withholding PSYCHIATRIC hides it from timeline, summary, map counts, banner, charts, medication history and documents", async () => {
    const all = await everything(doctorA);
    expect(JSON.stringify(all)).not.toContain(MARK);
    expect(all.view.withheld).toEqual(["PSYCHIATRIC"]);
    const total = (m: { cells: { count: number }[] }) => m.cells.reduce((n, c) => n + c.count, 0);
    expect(total(all.view.summary.map)).toBe(8); // one NORMAL row per kind
    expect(total(all.monthlyMap)).toBe(8);
    expect(all.pages.flatMap((p) => p.entries)).toHaveLength(8);
    expect(all.docs.map((d) => d?.document.id ?? null)).toEqual(["doc-n", null]);
    // the FHIR export: the eight NORMAL records (a checkup is one Observation per item) and the Patient
    expect(all.exported).not.toContain(MARK);
    expect(JSON.parse(all.exported)).toHaveLength(9);
    // every FHIR search: the Patient, and each NORMAL record as its type (the discharge summary twice: DocumentReference and Composition)
    expect(all.searched).not.toContain(MARK);
    expect(JSON.parse(all.searched)).toHaveLength(10);
  });

  it("twin: without withholding, the same reads do return them", async () => {
    const all = await everything(doctorB);
    expect(JSON.stringify(all)).toContain(MARK);
    expect(all.view.summary.map.cells.reduce((n, c) => n + c.count, 0)).toBe(16);
    expect(all.monthlyMap.cells.reduce((n, c) => n + c.count, 0)).toBe(16);
    expect(all.docs.map((d) => d?.document.id ?? null)).toEqual(["doc-n", "doc-p"]);
    expect(all.exported).toContain(MARK);
    expect(JSON.parse(all.exported)).toHaveLength(17);
    expect(all.searched).toContain(MARK);
    expect(JSON.parse(all.searched)).toHaveLength(19);
  });

  // A facility suspended with its records withheld (one found sending another patient's data): the
  // same reads, for a patient with every kind of record at fA and at the suspended fC
  describe("a suspended facility's withheld records", () => {
    const MARK_F = "停止施設マーカー";
    beforeAll(async () => {
      await db.facility.create({ data: { id: "fW", code: "2210000004", name: "施設fW", kind: "HOSPITAL" } });
      await db.patient.create({ data: { id: "t3", familyName: "佐藤", givenName: "恵", familyNameKana: "サトウ", givenNameKana: "メグミ", sex: "FEMALE", birthDate: new Date("1980-01-01") } });
      await db.consent.create({ data: { patientId: "t3", id: "c-t3", facilityId: "fB", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: clerkB.userId } });
      for (const [f, m] of [["fA", "通常"], ["fW", MARK_F]] as const) {
        const base = { patientId: "t3", facilityId: f, sensitivity: "NORMAL" as const };
        await db.encounter.create({ data: { ...base, id: `e-${f}`, occurredAt: day(20), class: "OUTPATIENT", department: `${m}科` } });
        await db.condition.create({ data: { ...base, id: `c-${f}`, occurredAt: day(19), codeSystem: "MEDIS", code: `C${f}`, display: `${m}病名` } });
        await db.prescription.create({ data: { ...base, id: `rx-${f}`, kind: "PRESCRIPTION", occurredAt: day(3), items: { create: [{ id: `rx-${f}-1`, codeSystem: "YJ", code: `2171${f}`, display: `${m}錠`, days: 30 }] } } });
        await db.labResult.create({ data: { ...base, id: `l-${f}`, occurredAt: day(2), codeSystem: "JLAC10", code: `L-${f}`, display: `${m}検査`, valueNumeric: 1 } });
        await db.allergy.create({ data: { ...base, id: `a-${f}`, occurredAt: day(100), kind: "DRUG", display: `${m}アレルギー` } });
        await db.document.create({ data: { ...base, id: `d-${f}`, occurredAt: day(10), kind: "DISCHARGE_SUMMARY", title: `${m}サマリー`, body: m } });
      }
    });

    it("withheld, none of them leaves any read — timeline, summary, banner, map, labs, medication history, documents, export, searches", async () => {
      await suspendFacility(admin, "fW", { withholdRecords: true });
      const all = await everything(doctorB, "t3", ["d-fA", "d-fW"]);
      expect(JSON.stringify(all)).not.toContain(MARK_F);
      expect(JSON.stringify(all.view)).toContain("通常アレルギー");
      expect(all.docs.map((d) => d?.document.id ?? null)).toEqual(["d-fA", null]);
      expect(all.view.summary.map.cells.every((c) => c.facilityId === "fA")).toBe(true);
      expect(await db.auditEvent.findFirst({ where: { action: "FACILITY_SUSPENDED" }, orderBy: { seq: "desc" } })).toMatchObject({ detail: { facilityId: "fW", recordsWithheld: true } });
    });

    it("twin: reinstated (or suspended without withholding), they are shown again", async () => {
      await reinstateFacility(admin, "fW");
      expect(JSON.stringify(await everything(doctorB, "t3", ["d-fA", "d-fW"]))).toContain(MARK_F);
      await suspendFacility(admin, "fW");
      const all = await everything(doctorB, "t3", ["d-fA", "d-fW"]);
      expect(all.docs.map((d) => d?.document.id ?? null)).toEqual(["d-fA", "d-fW"]);
      expect(all.exported).toContain(MARK_F);
      expect(all.searched).toContain(MARK_F);
      await reinstateFacility(admin, "fW");
    });
  });
});

describe("access report", () => {
  // the report is printed after identifying the patient by card, insurer number included
  const REPORT_CARD = CARD;

  it("lists views and refusals with facility, role, purpose and what — without staff names on the patient's copy", async () => {
    await expect(getAccessReport(clerkA, "t1")).rejects.toMatchObject({ reason: "CARD_NOT_IDENTIFIED" });
    await identifyForAccessReport(clerkA, REPORT_CARD);
    const r = await getAccessReport(clerkA, "t1");
    expect(r.withNames).toBe(false);
    const views = r.entries.filter((e) => e.facilityId === "fA" && e.profession === "DOCTOR");
    expect(views.map((e) => [e.action, e.outcome, e.purpose, e.what])).toEqual(
      expect.arrayContaining([
        ["RECORD_VIEW", "ALLOW", "TREATMENT", "patient-record"],
        ["RECORD_VIEW_DENIED", "DENY", "TREATMENT", "patient-record"],
      ]),
    );
    expect(views.find((e) => e.outcome === "DENY")?.reason).toBe("CONSENT_WITHDRAWN");
    expect(r.entries.every((e) => e.actorName === null)).toBe(true);
    expect(r.entries.some((e) => e.action === "CONSENT_WITHDRAWN")).toBe(true);
  });

  it("an administrator's copy names the staff", async () => {
    const r = await getAccessReport(admin, "t1");
    expect(r.withNames).toBe(true);
    expect(r.entries.find((e) => e.action === "RECORD_VIEW" && e.facilityId === "fA")?.actorName).toBe(doctorA.name);
  });

  it("an administrator or consent staff find the patient by their card; a suspended facility's clerk is refused", async () => {
    await expect(identifyForAccessReport(admin, REPORT_CARD)).resolves.toBe("t1");
    await expect(identifyForAccessReport(admin, { ...REPORT_CARD, birthDate: "1971-07-08" })).rejects.toMatchObject({ fields: { identify: "notFound" } });
    await expect(identifyForAccessReport(clerkA, REPORT_CARD)).resolves.toBe("t1");
    await expect(identifyForAccessReport({ ...clerkA, facilityStatus: "SUSPENDED" }, REPORT_CARD)).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it("is refused to a facility that does not know the patient, even after the card", async () => {
    const clerkC = actorAt("fC", "CLERK");
    await identifyForAccessReport(clerkC, REPORT_CARD);
    await expect(getAccessReport(clerkC, "t1")).rejects.toMatchObject({ reason: "NO_RELATIONSHIP" });
  });
});

describe("a consent is recorded on the patient's card, never on a bare id", () => {
  it("a change without the card is refused field by field and writes nothing; with the card it is recorded (twin)", async () => {
    const before = await db.consent.count();
    await expect(recordConsent(clerkA, "t1", { ...FULL })).rejects.toMatchObject({ fields: { kana: "required", birthDate: "required", insurerNumber: "required", insuredNumber: "required" } });
    expect(await db.consent.count()).toBe(before);
    await recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"] });
    expect(await db.consent.count()).toBe(before + 1);
  });

  it("on a patient's own page, another patient's card is refused; that patient's own card is accepted (twin)", async () => {
    const other = { ...CARD, insuredNumber: "00990001" }; // t2, the namesake
    await expect(recordConsent(clerkA, "t1", { ...other, ...FULL })).rejects.toMatchObject({ fields: { identify: "otherPatient" } });
    await expect(recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"] })).resolves.toMatchObject({ consentId: expect.any(String) });
  });

  it("a doctor who copies the patient's card still cannot lift a withholding or widen the consent; the desk can (twin)", async () => {
    const before = await db.consent.count();
    await expect(recordConsent(doctorA, "t1", { ...CARD, ...FULL, withheld: [] })).rejects.toMatchObject({ reason: "WIDENING_AT_DESK_ONLY" });
    expect(await db.consent.count()).toBe(before);
    expect((await getPatientView(doctorA, "t1")).withheld).toEqual(["PSYCHIATRIC"]);
    // narrowing is fine: the patient asks the doctor to withhold more
    await recordConsent(doctorA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC", "GENETIC"] });
    await recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"], confirmWidening: "CATEGORY:GENETIC" }); // the desk lifts GENETIC again, confirmed
    expect((await getPatientView(doctorA, "t1")).withheld).toEqual(["PSYCHIATRIC"]);
  });

  it("every consent change is in the patient's access report, with the facility and the time", async () => {
    const r = await getAccessReport(clerkA, "t1");
    const changes = r.entries.filter((e) => e.action === "CONSENT_RECORDED" || e.action === "CONSENT_WITHDRAWN");
    expect(changes.length).toBeGreaterThanOrEqual(5);
    for (const c of changes) expect(c).toMatchObject({ facilityId: expect.stringMatching(/^f[AB]$/), at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it("card look-ups that find nobody are throttled per user; another user at the same desk is not (twin)", async () => {
    const busy = actorAt("fA", "CLERK", { userId: "u-fA-CLERK-2" });
    const miss = { ...CARD, insuredNumber: "11111111", ...FULL };
    for (let i = 0; i < 10; i++) await expect(recordConsentByIdentity(busy, miss)).rejects.toMatchObject({ fields: { identify: "notFound" } });
    await expect(recordConsentByIdentity(busy, { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"] })).rejects.toMatchObject({ reason: "RATE_LIMITED" });
    await expect(identifyPatientByCard(busy, CARD)).rejects.toMatchObject({ reason: "RATE_LIMITED" });
    await expect(identifyPatientByCard(clerkA, CARD)).resolves.toBe("t1");
  });

  it("a consent recorded by the doctor who then opens the record is flagged for the administrator; one recorded by the clerk is not (twin)", async () => {
    await recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"] });
    await getPatientView(doctorA, "t1");
    expect(await listSelfConsentUses(admin)).toEqual([]);
    await recordConsent(doctorA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"] });
    const v = await getPatientView(doctorA, "t1");
    expect(v.withheld).toEqual(["PSYCHIATRIC"]);
    const queue = await listSelfConsentUses(admin);
    expect(queue.map((q) => [q.patientId, q.recordedBy, q.mayReview])).toEqual([["t1", doctorA.name, true]]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "RECORD_VIEW", actorId: doctorA.userId }, orderBy: { seq: "desc" } });
    expect(audit.detail).toMatchObject({ recordedBySelf: true });
    await reviewSelfConsentUse(admin, { patientId: "t1", consentId: queue[0]!.consentId });
    expect(await listSelfConsentUses(admin)).toEqual([]);
  });
});

describe("a change at the desk that shares more is recorded only when confirmed as what it opens", () => {
  const lastConsent = () => db.consent.findFirstOrThrow({ where: { patientId: "t1", facilityId: "fA" }, orderBy: [{ capturedAt: "desc" }, { id: "desc" }] });

  it("the change form starts from the consent in force: the overview gives the desk scope, method, identity check, categories and expiry", async () => {
    await recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"], expiresOn: "2099-03-31" });
    expect((await getConsentOverview(clerkA, "t1")).inForce).toMatchObject({ scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", withheld: ["PSYCHIATRIC"], expiresAt: "2099-03-31T15:00:00.000Z" });
    // a clinician's form starts from the same consent, without the categories they may not know
    expect((await getConsentOverview(doctorA, "t1")).inForce).toMatchObject({ scope: "FULL", withheld: [], withholdsSome: true });
  });

  it("lifting 精神科 without the confirmation (a forged post) is refused, naming the widening; nothing is written and the doctor still sees none of it", async () => {
    const before = await lastConsent();
    const consents = await db.consent.count();
    const unconfirmed = recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: [], expiresOn: "2099-03-31" });
    await expect(unconfirmed).rejects.toBeInstanceOf(WideningNotConfirmedError);
    await expect(unconfirmed).rejects.toMatchObject({ fields: { confirmWidening: "required" }, widening: [{ kind: "CATEGORY", category: "PSYCHIATRIC" }] });
    // a confirmation of another widening is no confirmation of this one
    await expect(recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: [], expiresOn: "2099-03-31", confirmWidening: "SCOPE" })).rejects.toMatchObject({ fields: { confirmWidening: "changed" } });
    expect(await db.consent.count()).toBe(consents);
    expect((await lastConsent()).id).toBe(before.id);
    expect((await getPatientView(doctorA, "t1")).withheld).toEqual(["PSYCHIATRIC"]);
  });

  it("twin: a change that widens nothing (the expiry shortened, the rest as in force) is recorded without any confirmation, 精神科 still withheld", async () => {
    await recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"], expiresOn: "2098-12-31" });
    expect(await lastConsent()).toMatchObject({ withheldCategories: ["PSYCHIATRIC"], scope: "FULL" });
    expect((await getPatientView(doctorA, "t1")).withheld).toEqual(["PSYCHIATRIC"]);
  });

  it("twin: confirmed, it is recorded, the audit event says which widening was confirmed, and the doctor then sees the psychiatric records", async () => {
    const r = await recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: [], expiresOn: "2098-12-31", confirmWidening: "CATEGORY:PSYCHIATRIC" });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "CONSENT_RECORDED", patientId: "t1" }, orderBy: { seq: "desc" } });
    expect(event.detail).toMatchObject({ consentId: r.consentId, wideningConfirmed: true, widened: [{ kind: "CATEGORY", category: "PSYCHIATRIC" }] });
    const view = await getPatientView(doctorA, "t1");
    expect(view.withheld).toEqual([]);
    expect(JSON.stringify(view)).toContain(MARK);
    // a narrowing is audited without any widening
    await recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"], expiresOn: "2098-12-31" });
    const narrowed = await db.auditEvent.findFirstOrThrow({ where: { action: "CONSENT_RECORDED", patientId: "t1" }, orderBy: { seq: "desc" } });
    expect(narrowed.detail).not.toHaveProperty("widened");
    expect((await getPatientView(doctorA, "t1")).withheld).toEqual(["PSYCHIATRIC"]);
  });

  it("removing the expiry is a widening too: refused unconfirmed, recorded confirmed (twin)", async () => {
    await recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"], expiresOn: "2098-12-31" });
    await expect(recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"] })).rejects.toMatchObject({ widening: [{ kind: "EXPIRY", until: null }] });
    await recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"], confirmWidening: "EXPIRY:NONE" });
    expect(await lastConsent()).toMatchObject({ expiresAt: null, withheldCategories: ["PSYCHIATRIC"] });
  });
});

describe("break-glass keeps what the patient withholds", () => {
  const er = actorAt("fC", "EMERGENCY", { facilityCanBreakGlass: true });
  beforeAll(async () => {
    await db.facility.create({ data: { id: "fC", code: "2210000003", name: "救命センター", kind: "HOSPITAL", canBreakGlass: true } });
    await db.user.create({ data: { id: er.userId, loginId: er.userId, name: er.name, profession: "EMERGENCY", facilityId: "fC", passwordHash: "x", credentialVerifiedAt: day(900) } });
    // t2 withholds nothing anywhere: the twin
    await db.condition.create({ data: { patientId: "t2", id: "t2-cond-p", facilityId: "fB", sensitivity: "PSYCHIATRIC", occurredAt: day(19), codeSystem: "MEDIS", code: "Cp", display: `${MARK}病名` } });
    await db.allergy.create({ data: { patientId: "t2", id: "t2-alg", facilityId: "fB", occurredAt: day(100), kind: "DRUG", display: "通常アレルギー" } });
    for (const p of ["t1", "t2"]) await db.breakGlass.create({ data: { patientId: p, id: `bg-${p}`, userId: er.userId, facilityId: "fC", reason: "UNCONSCIOUS", startedAt: day(0), expiresAt: new Date(Date.now() + 3_600_000) } });
  });

  it("a category withheld from another facility stays withheld under a grant; the page is told only that something is", async () => {
    const v = await getEmergencySummary(er, "t1");
    expect(JSON.stringify(v)).not.toContain(MARK);
    expect(v.withholding).toBe(true);
    expect(v.banner.allergies.map((a) => a.display)).toEqual(["通常アレルギー"]); // allergies of a category not withheld stay visible
    expect(v.diagnoses.map((d) => d.display)).toEqual(["通常病名"]);
    // the FHIR API under the same grant: every search, the Patient and $everything
    const searched = await searchedText(er, "t1");
    expect(searched).not.toContain(MARK);
    expect(searched).toContain("通常病名");
    expect(JSON.stringify((await getExportPage(er, "t1", {}, "UNSTATED")).resources)).not.toContain(MARK);
  });

  it("twin: a patient who withholds nothing shows everything in the emergency dataset", async () => {
    const v = await getEmergencySummary(er, "t2");
    expect(JSON.stringify(v)).toContain(MARK);
    expect(v.withholding).toBe(false);
    expect(v.banner.allergies.map((a) => a.display)).toEqual(["通常アレルギー"]);
    expect(await searchedText(er, "t2")).toContain(MARK);
    expect(JSON.stringify((await getExportPage(er, "t2", {}, "UNSTATED")).resources)).toContain(MARK);
  });
});

// last: it adds consent rows that the tests above count
describe("a consent changed twice in one instant", () => {
  it("two changes in the same millisecond: the later one is in force, for the page and for the record alike", async () => {
    setClockForTests(new Date("2026-12-01T01:00:00Z"));
    try {
      await recordConsent(clerkA, "t1", { ...CARD, ...FULL, scope: "EMERGENCY", withheld: ["PSYCHIATRIC"] });
      await recordConsent(clerkA, "t1", { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"], confirmWidening: "SCOPE" });
      expect((await getConsentOverview(clerkA, "t1")).inForce).toMatchObject({ scope: "FULL" });
      expect((await getPatientView(doctorA, "t1")).scope).toBe("FULL");
    } finally {
      setClockForTests(null);
    }
  });
});

/**
 * Review 5 (S1): a consent recorded afresh was compared with nothing, so a clinician with the card's
 * four items (on every prescription and receipt) could record one at a facility that never had the
 * patient, undo the patient's withdrawal, or withdraw and re-record to drop a withholding or widen an
 * emergency-only consent. Now it is compared with the facility's last consent, whatever became of it.
 */
describe("recording a consent afresh is no way around the rules for changing one", () => {
  const clerkC = actorAt("fN", "CLERK");
  const doctorC = actorAt("fN", "DOCTOR");
  const nurseC = actorAt("fN", "NURSE");
  beforeAll(async () => {
    await db.facility.create({ data: { id: "fN", code: "2210000013", name: "施設fN", kind: "CLINIC" } });
    for (const a of [clerkC, doctorC, nurseC]) await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: day(900) } });
  });
  const consentsAtC = () => db.consent.count({ where: { facilityId: "fN" } });

  it("a doctor at a facility that has never had the patient cannot record a first consent with the card; its desk can (twin)", async () => {
    await expect(recordConsentByIdentity(doctorC, { ...CARD, ...FULL, withheld: [] })).rejects.toMatchObject({ reason: "FIRST_CONSENT_AT_DESK_ONLY" });
    expect(await consentsAtC()).toBe(0);
    await expect(getPatientView(doctorC, "t1")).rejects.toMatchObject({ reason: "NO_CONSENT" });
    const refusal = await db.auditEvent.findFirstOrThrow({ where: { action: "CONSENT_DENIED", actorId: doctorC.userId }, orderBy: { seq: "desc" } });
    expect(refusal).toMatchObject({ patientId: "t1", detail: expect.objectContaining({ reason: "FIRST_CONSENT_AT_DESK_ONLY" }) });
    await recordConsentByIdentity(clerkC, { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"] });
    expect((await getPatientView(doctorC, "t1")).withheld).toEqual(["PSYCHIATRIC"]);
  });

  it("twin: a doctor may record the first consent of a patient the facility has (its own patient id)", async () => {
    await db.facility.create({ data: { id: "fM", code: "2210000014", name: "施設fM", kind: "CLINIC" } });
    const doctorD = actorAt("fM", "DOCTOR");
    await db.user.create({ data: { id: doctorD.userId, loginId: doctorD.userId, name: doctorD.name, profession: "DOCTOR", facilityId: "fM", passwordHash: "x", credentialVerifiedAt: day(900) } });
    await db.patientLink.create({ data: { patientId: "t1", id: "l-fM", facilityId: "fM", localPatientId: "D-0001" } });
    await recordConsentByIdentity(doctorD, { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"] });
    await expect(getPatientView(doctorD, "t1")).resolves.toBeTruthy();
  });

  it("after a withdrawal a doctor cannot record afresh, confirmed or not; the desk can, told that it opens the record again (twin)", async () => {
    await withdrawConsent(clerkC, "t1", CARD);
    const before = await consentsAtC();
    for (const confirmWidening of [undefined, "RESUMED:WITHDRAWN"]) {
      await expect(recordConsentByIdentity(doctorC, { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"], ...(confirmWidening ? { confirmWidening } : {}) })).rejects.toMatchObject({ reason: "RESUMED_AT_DESK_ONLY" });
    }
    expect(await consentsAtC()).toBe(before);
    await expect(getPatientView(doctorC, "t1")).rejects.toMatchObject({ reason: "CONSENT_WITHDRAWN" });
    await expect(recordConsentByIdentity(clerkC, { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"] })).rejects.toMatchObject({ widening: [{ kind: "RESUMED", ended: "WITHDRAWN" }] });
    await recordConsentByIdentity(clerkC, { ...CARD, scope: "EMERGENCY", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", withheld: ["PSYCHIATRIC"], confirmWidening: "RESUMED:WITHDRAWN" });
    expect(await getPatientView(doctorC, "t1")).toMatchObject({ scope: "EMERGENCY", withheld: ["PSYCHIATRIC"] });
  });

  it("withdrawing an emergency-only consent that withholds 精神科 and recording afresh names all it opens: the record again, 精神科, the whole record", async () => {
    await withdrawConsent(doctorC, "t1", CARD); // a clinician may withdraw: it narrows
    await expect(recordConsentByIdentity(doctorC, { ...CARD, ...FULL, withheld: [] })).rejects.toMatchObject({ reason: "RESUMED_AT_DESK_ONLY" });
    await expect(recordConsentByIdentity(clerkC, { ...CARD, ...FULL, withheld: [] })).rejects.toMatchObject({
      widening: [{ kind: "RESUMED", ended: "WITHDRAWN" }, { kind: "CATEGORY", category: "PSYCHIATRIC" }, { kind: "SCOPE" }],
    });
    // the desk confirms exactly that, and the trail says so
    await recordConsentByIdentity(clerkC, { ...CARD, ...FULL, withheld: [], confirmWidening: "RESUMED:WITHDRAWN CATEGORY:PSYCHIATRIC SCOPE" });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "CONSENT_RECORDED", actorId: clerkC.userId }, orderBy: { seq: "desc" } });
    expect(event.detail).toMatchObject({ wideningConfirmed: true, widened: [{ kind: "RESUMED", ended: "WITHDRAWN" }, { kind: "CATEGORY", category: "PSYCHIATRIC" }, { kind: "SCOPE" }] });
  });

  it("a consent a doctor recorded is flagged on its first use by a colleague, not only by the doctor; the desk's is not (twin)", async () => {
    const queued = async () => (await listSelfConsentUses(admin)).filter((q) => q.facilityName === "施設fN").map((q) => q.recordedBy);
    await getPatientView(nurseC, "t1"); // under the desk's consent
    expect(await queued()).toEqual([]);
    await recordConsentByIdentity(doctorC, { ...CARD, ...FULL, withheld: ["PSYCHIATRIC"] }); // narrows: allowed
    expect(await queued()).toEqual([]); // recorded, not yet used
    await getPatientView(nurseC, "t1");
    expect(await queued()).toEqual([doctorC.name]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "RECORD_VIEW", actorId: nurseC.userId }, orderBy: { seq: "desc" } });
    expect(audit.detail).toMatchObject({ recordedByClinician: true });
  });
});
