import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import { hashPassword } from "../lib/auth/password";
import { totpCode } from "../lib/auth/totp";
import {
  AccessDeniedError,
  InvalidFieldsError,
  endBreakGlass,
  getAccessReport,
  getEmergencySummary,
  identifyForEmergency,
  listBreakGlassEvents,
  listSelfConsentUses,
  reviewSelfConsentUse,
  reviewBreakGlass,
  setDisasterMode,
  startBreakGlass,
} from "../lib/record";

/** Break-glass end to end in lib/record against the real database, on a frozen clock. */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const PW = "kumo-no-ue-7";
let clock = new Date("2026-11-26T03:00:00Z").getTime();
const tick = (seconds = 30) => {
  clock += seconds * 1000;
  setClockForTests(new Date(clock));
  return new Date(clock);
};
const er = testActor("fER", "EMERGENCY", { facilityCanBreakGlass: true });
const er2 = testActor("fER", "DOCTOR", { facilityCanBreakGlass: true });
const viewingDoctor = testActor("fV", "DOCTOR"); // facility without break-glass rights
const pharmacist = testActor("fER", "PHARMACIST", { facilityCanBreakGlass: true });
const admin = testActor("fER", "ADMIN", { facilityCanBreakGlass: true });
const reauth = () => ({ password: PW, code: totpCode(SECRET, tick()) });

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  tick(0);
  await db.facility.create({ data: { id: "fER", code: "2210000001", name: "救命センター", kind: "HOSPITAL", canBreakGlass: true, prefecture: "静岡県", phone: "054-000-0001" } });
  await db.facility.create({ data: { id: "fV", code: "2210000002", name: "眼科医院", kind: "CLINIC", prefecture: "静岡県", phone: "054-000-0002" } });
  const passwordHash = await hashPassword(PW);
  for (const a of [er, er2, viewingDoctor, pharmacist, admin]) {
    await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash, totpSecret: SECRET, credentialVerifiedAt: new Date(clock) } });
  }
  await db.patient.create({ data: { id: "e1", familyName: "鈴木", givenName: "一郎", familyNameKana: "スズキ", givenNameKana: "イチロウ", sex: "MALE", birthDate: new Date("1972-01-20"), insurerNumber: "01220013", insuredNumber: "37", address: "静岡県静岡市清水区草薙1-22-5" } });
  await db.patient.create({ data: { id: "e2", familyName: "鈴木", givenName: "一朗", familyNameKana: "スズキ", givenNameKana: "イチロウ", sex: "MALE", birthDate: new Date("1972-01-20"), address: "静岡県浜松市中区1-1" } });
  const at = (days: number) => new Date(clock - days * 86_400_000);
  await db.allergy.create({ data: { patientId: "e1", id: "a1", facilityId: "fV", occurredAt: at(900), kind: "DRUG", display: "セフェム系抗菌薬", severity: "SEVERE" } });
  await db.condition.create({ data: { patientId: "e1", id: "c1", facilityId: "fV", occurredAt: at(2000), codeSystem: "MEDIS", code: "X", display: "慢性腎不全", major: true } });
  await db.procedure.create({ data: { patientId: "e1", id: "p1", facilityId: "fV", occurredAt: at(30), kind: "DIALYSIS", display: "人工腎臓" } });
  await db.labResult.create({ data: { patientId: "e1", id: "l1", facilityId: "fV", occurredAt: at(5), codeSystem: "JLAC10", code: "x", display: "クレアチニン", valueNumeric: 8 } });
  await db.encounter.create({ data: { patientId: "e1", id: "v1", facilityId: "fV", occurredAt: at(10), class: "OUTPATIENT" } });
});
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

describe("identifying the patient", () => {
  const four = { mode: "four", kana: "ｽｽﾞｷ ｲﾁﾛｳ", birthDate: "1972-01-20", sex: "MALE" };
  const ids = (cs: { id: string }[]) => cs.map((c) => c.id);

  it("by insurance card, full-width digits folded; identity only, no clinical data", async () => {
    expect(ids(await identifyForEmergency(er, { mode: "insurance", insurerNumber: "01220013", insuredNumber: "37" }))).toEqual(["e1"]);
    expect(ids(await identifyForEmergency(er, { mode: "insurance", insurerNumber: "０１２２００１３", insuredNumber: "３７" }))).toEqual(["e1"]);
    expect(ids(await identifyForEmergency(er, { mode: "insurance", insurerNumber: "01220013", insuredNumber: "38" }))).toEqual([]);
    const [c] = await identifyForEmergency(er, { ...four, address: "静岡市清水区草薙1-22-5" });
    expect(Object.keys(c!).sort()).toEqual(["address", "birthDate", "familyName", "familyNameKana", "givenName", "givenNameKana", "id", "sex"]);
  });

  it("by the four items: kana, birth date and sex exactly and the address to the municipality; a near match lists nobody", async () => {
    // the namesake e2 (same kana, birth date and sex) lives in 浜松市: not listed for an address in 静岡市
    expect(ids(await identifyForEmergency(er, { ...four, address: "静岡市清水区草薙1-22-5" }))).toEqual(["e1"]);
    expect(ids(await identifyForEmergency(er, { ...four, address: "静岡県静岡市" }))).toEqual(["e1"]);
    expect(ids(await identifyForEmergency(er, { ...four, address: "静岡県静岡市清水区草薙１－２２－５" }))).toEqual(["e1"]); // full-width as typed on some desks
    expect(ids(await identifyForEmergency(er, { ...four, address: "浜松市中区" }))).toEqual(["e2"]);
    // the holes of partial matching, closed: one character of address, the wrong sex, another prefecture, one kana off
    expect(await identifyForEmergency(er, { ...four, address: "静" })).toEqual([]);
    expect(await identifyForEmergency(er, { ...four, address: "清水区" })).toEqual([]);
    expect(await identifyForEmergency(er, { ...four, sex: "FEMALE", address: "静岡市清水区草薙1-22-5" })).toEqual([]);
    expect(await identifyForEmergency(er, { ...four, address: "愛知県静岡市" })).toEqual([]);
    expect(await identifyForEmergency(er, { ...four, kana: "スズキ イチロ", address: "静岡市清水区" })).toEqual([]);
  });

  it("audits every candidate shown with its patient id, so the look-up is in that patient's access report", async () => {
    const last = (await db.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;
    await identifyForEmergency(er, { ...four, address: "静岡市清水区" });
    const written = await db.auditEvent.findMany({ where: { seq: { gt: last } }, select: { action: true, patientId: true } });
    // one event for the search, one per candidate shown; the namesake not shown is not named
    expect(written).toEqual([
      { action: "PATIENT_IDENTIFY", patientId: null },
      { action: "PATIENT_IDENTIFY", patientId: "e1" },
    ]);
    const report = await getAccessReport(admin, "e1");
    expect(report.entries.some((e) => e.action === "PATIENT_IDENTIFY" && e.purpose === "EMERGENCY")).toBe(true);
  });

  it("refuses a search missing one of the four items, and disaster mode unless an administrator switched it on", async () => {
    await expect(identifyForEmergency(er, { mode: "four", kana: "スズキ イチロウ", birthDate: "1972-01-20", sex: "MALE" })).rejects.toMatchObject({ fields: { address: "required" } });
    const disaster = { mode: "disaster", kana: "スズキ イチロウ", birthDate: "1972-01-20", sex: "MALE" };
    await expect(identifyForEmergency(er, disaster)).rejects.toMatchObject({ fields: { mode: "noDisaster" } });
    await setDisasterMode(admin, "静岡県", true);
    expect((await identifyForEmergency(er, disaster)).map((c) => c.id).sort()).toEqual(["e1", "e2"]);
    await setDisasterMode(admin, "静岡県", false);
  });

  it("is rate-limited per user, counting parallel requests exactly; another user is not limited (twin)", async () => {
    const q = { mode: "insurance", insurerNumber: "01220013", insuredNumber: "37" };
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => identifyForEmergency(er2, q)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
    await expect(identifyForEmergency(er2, q)).rejects.toMatchObject({ reason: "RATE_LIMITED" });
    expect(await db.auditEvent.count({ where: { action: "RATE_LIMITED", actorId: er2.userId } })).toBe(1);
    await expect(identifyForEmergency(er, q)).resolves.toHaveLength(1);
    tick(16 * 60); // a new window
    await expect(identifyForEmergency(er2, q)).resolves.toHaveLength(1);
  });

  it("refuses (and audits) a user without the right to break glass; allows ER staff (twin)", async () => {
    await expect(identifyForEmergency(viewingDoctor, { mode: "insurance", insurerNumber: "01220013", insuredNumber: "37" })).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(identifyForEmergency(pharmacist, { mode: "insurance", insurerNumber: "01220013", insuredNumber: "37" })).rejects.toMatchObject({ reason: "BREAK_GLASS_NOT_PERMITTED" });
    expect(await db.auditEvent.count({ where: { action: "BREAK_GLASS_DENIED" } })).toBe(2);
  });
});

describe("starting, using and ending a grant", () => {
  it("bad input, a failed re-authentication or a patient not just identified give errors and no grant", async () => {
    await identifyForEmergency(er, { mode: "insurance", insurerNumber: "01220013", insuredNumber: "37" }); // shows e1
    await expect(startBreakGlass(er, { patientId: "e1", reason: "OTHER", reasonText: "短い", ...reauth() })).rejects.toMatchObject({ fields: { reasonText: "short" } });
    // the form offers no reason by default: none chosen is refused as missing
    await expect(startBreakGlass(er, { patientId: "e1", reason: "", ...reauth() })).rejects.toMatchObject({ fields: { reason: "required" } });
    await expect(startBreakGlass(er, { patientId: "e1", reason: "UNCONSCIOUS", password: "wrong", code: totpCode(SECRET, tick()) })).rejects.toMatchObject({ fields: { reauth: "failed" } });
    await expect(startBreakGlass(er, { patientId: "e1", reason: "UNCONSCIOUS", password: PW, code: "" })).rejects.toBeInstanceOf(InvalidFieldsError);
    // another id in the form (e2 was not shown by the identification just now; "nobody" is no patient)
    await expect(startBreakGlass(er, { patientId: "e2", reason: "UNCONSCIOUS", ...reauth() })).rejects.toMatchObject({ reason: "PATIENT_NOT_IDENTIFIED" });
    await expect(startBreakGlass(er, { patientId: "nobody", reason: "UNCONSCIOUS", ...reauth() })).rejects.toMatchObject({ reason: "PATIENT_NOT_IDENTIFIED" });
    await expect(startBreakGlass(viewingDoctor, { patientId: "e1", reason: "UNCONSCIOUS", ...reauth() })).rejects.toMatchObject({ reason: "BREAK_GLASS_NOT_PERMITTED" });
    expect(await db.breakGlass.count()).toBe(0);
  });

  it("a grant opens the emergency dataset for that user only, for 4 hours; start and views are audited as break-glass", async () => {
    const g = await startBreakGlass(er, { patientId: "e1", reason: "UNCONSCIOUS", reasonText: "", ...reauth() });
    expect(g.expiresAt.getTime() - clock).toBe(4 * 3_600_000);
    const start = await db.auditEvent.findFirstOrThrow({ where: { action: "BREAK_GLASS_START" } });
    expect(start).toMatchObject({ purpose: "EMERGENCY", patientId: "e1" });
    expect(start.detail).toMatchObject({ dicom: "110127", purposeOfUse: "ETREAT", reason: "UNCONSCIOUS" });

    const v = await getEmergencySummary(er, "e1");
    expect(v.banner.allergies.map((a) => a.display)).toEqual(["セフェム系抗菌薬"]);
    expect(v.diagnoses.map((d) => d.display)).toEqual(["慢性腎不全"]);
    expect(v.dialysis.map((d) => d.display)).toEqual(["人工腎臓"]);
    expect(v.recentFacilities).toEqual([expect.objectContaining({ name: "眼科医院", phone: "054-000-0002" })]);
    expect(JSON.stringify(v)).not.toContain("クレアチニン"); // a lab whose code is not one of the emergency tests (EMERGENCY_LAB_CODES) is not shown
    expect(await db.auditEvent.count({ where: { action: "RECORD_VIEW", purpose: "EMERGENCY", actorId: er.userId } })).toBe(1);

    await expect(getEmergencySummary(er2, "e1")).rejects.toMatchObject({ reason: "NO_ACTIVE_GRANT" }); // another user's grant does not count
  });

  it("the grant ends by itself after 4 hours (test clock), with its stop event", async () => {
    tick(3 * 3600 + 59 * 60);
    await expect(getEmergencySummary(er, "e1")).resolves.toBeTruthy();
    tick(2 * 60);
    await expect(getEmergencySummary(er, "e1")).rejects.toMatchObject({ reason: "NO_ACTIVE_GRANT" });
    expect((await db.auditEvent.findFirstOrThrow({ where: { action: "BREAK_GLASS_STOP" } })).detail).toMatchObject({ dicom: "110138", ended: "EXPIRED" });
  });

  it("the user can end a grant early", async () => {
    await identifyForEmergency(er2, { mode: "insurance", insurerNumber: "01220013", insuredNumber: "37" });
    await startBreakGlass(er2, { patientId: "e1", reason: "LIFE_THREATENING", ...reauth() });
    await expect(getEmergencySummary(er2, "e1")).resolves.toBeTruthy();
    // 適切 judges what was read: while the grant runs, more may be read after any review (review 5, m1)
    const running = (await listBreakGlassEvents(admin)).find((e) => e.userName === er2.name)!;
    expect(running).toMatchObject({ state: "ACTIVE", mayReview: false });
    await expect(reviewBreakGlass(admin, { patientId: "e1", grantId: running.id, outcome: "APPROPRIATE" })).rejects.toMatchObject({ reason: "GRANT_STILL_ACTIVE" });
    expect(await db.auditEvent.count({ where: { action: "BREAK_GLASS_REVIEWED", outcome: "DENY", patientId: "e1" } })).toBe(1);
    expect((await db.breakGlass.findFirstOrThrow({ where: { id: running.id } })).reviewedAt).toBeNull();
    expect(await endBreakGlass(er2, "e1")).toBe(1);
    expect((await listBreakGlassEvents(admin)).find((e) => e.id === running.id)).toMatchObject({ state: "ENDED", mayReview: true }); // twin: ended, it may be reviewed
    await expect(getEmergencySummary(er2, "e1")).rejects.toMatchObject({ reason: "NO_ACTIVE_GRANT" });
  });
});

describe("review and the patient's access report", () => {
  it("lists every grant with what was viewed; follow-up needs a note; overdue after 7 days unreviewed", async () => {
    let events = await listBreakGlassEvents(admin);
    expect(events).toHaveLength(2);
    const first = events.find((e) => e.userName === er.name)!;
    expect(first).toMatchObject({ reason: "UNCONSCIOUS", state: "EXPIRED", overdue: false });
    expect(first.views.map((v) => v.what)).toEqual(["emergency-summary", "emergency-summary"]);
    await expect(reviewBreakGlass(admin, { patientId: "e1", grantId: first.id, outcome: "FOLLOW_UP", note: "" })).rejects.toMatchObject({ fields: { note: "required" } });
    // no outcome chosen (the form chooses none for the reviewer): refused, and the grant stays unreviewed
    await expect(reviewBreakGlass(admin, { patientId: "e1", grantId: first.id, note: "" })).rejects.toMatchObject({ fields: { outcome: expect.any(String) } });
    expect((await listBreakGlassEvents(admin)).find((e) => e.id === first.id)?.reviewedAt).toBeNull();
    // anyone else is refused, and the refusal is audited (it was a bare 500: review 5, m2)
    const denied = () => db.auditEvent.count({ where: { actorId: er.userId, outcome: "DENY", detail: { path: ["reason"], equals: "NOT_ADMINISTRATOR" } } });
    const before = await denied();
    await expect(reviewBreakGlass(er, { patientId: "e1", grantId: first.id, outcome: "APPROPRIATE" })).rejects.toMatchObject({ reason: "NOT_ADMINISTRATOR" });
    await expect(listBreakGlassEvents(er)).rejects.toMatchObject({ reason: "NOT_ADMINISTRATOR" });
    await expect(setDisasterMode(er, "静岡県", true)).rejects.toMatchObject({ reason: "NOT_ADMINISTRATOR" });
    await expect(listSelfConsentUses(er)).rejects.toMatchObject({ reason: "NOT_ADMINISTRATOR" });
    await expect(reviewSelfConsentUse(er, { patientId: "e1", consentId: "none" })).rejects.toMatchObject({ reason: "NOT_ADMINISTRATOR" });
    expect(await denied()).toBe(before + 5);
    await reviewBreakGlass(admin, { patientId: "e1", grantId: first.id, outcome: "APPROPRIATE", note: "" });
    tick(8 * 86_400);
    events = await listBreakGlassEvents(admin);
    expect(events.map((e) => [e.userName, !!e.reviewedAt, e.overdue])).toEqual([
      [er2.name, false, true],
      [er.name, true, false],
    ]);
  });

  it("nobody reviews a grant by an account they created; another administrator may (twin); reading the queue is audited", async () => {
    const admin2 = testActor("fER", "ADMIN", { userId: "adm-2" });
    await db.user.create({ data: { id: admin2.userId, loginId: admin2.userId, name: admin2.name, profession: "ADMIN", facilityId: "fER", passwordHash: "x" } });
    await db.user.update({ where: { id: er2.userId }, data: { createdById: admin.userId } });
    const reads = await db.auditEvent.count({ where: { action: "BREAK_GLASS_QUEUE_VIEW", actorId: admin.userId } });
    const pending = (await listBreakGlassEvents(admin)).find((e) => e.userName === er2.name)!;
    expect(await db.auditEvent.count({ where: { action: "BREAK_GLASS_QUEUE_VIEW", actorId: admin.userId } })).toBe(reads + 1);
    expect(pending.mayReview).toBe(false);
    await expect(reviewBreakGlass(admin, { patientId: "e1", grantId: pending.id, outcome: "APPROPRIATE" })).rejects.toMatchObject({ reason: "SEPARATION_OF_DUTIES" });
    expect((await db.breakGlass.findFirstOrThrow({ where: { id: pending.id } })).reviewedAt).toBeNull();
    expect((await listBreakGlassEvents(admin2)).find((e) => e.id === pending.id)?.mayReview).toBe(true);
    await reviewBreakGlass(admin2, { patientId: "e1", grantId: pending.id, outcome: "APPROPRIATE" });
    expect((await db.breakGlass.findFirstOrThrow({ where: { id: pending.id } })).reviewedById).toBe("adm-2");
  });

  it("the access report shows the emergency access with its reason", async () => {
    const r = await getAccessReport(admin, "e1");
    expect(r.entries.filter((e) => e.action === "BREAK_GLASS_START").map((e) => [e.purpose, e.reason])).toEqual([
      ["EMERGENCY", "LIFE_THREATENING"],
      ["EMERGENCY", "UNCONSCIOUS"],
    ]);
  });
});
