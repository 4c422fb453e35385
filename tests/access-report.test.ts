import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { CARD_IDENTIFICATION_MINUTES, decideAccessReport } from "../lib/access/disclosure";
import { setClockForTests } from "../lib/clock";
import { auditActorOf, recordAudit } from "../lib/audit";
import { AccessDeniedError, accessReportNeedsCard, getAccessReport, getPatientView, getTimelinePage, identifyForAccessReport } from "../lib/record";
import { actorFactsFor } from "./helpers/facts";
import { groupScrolls, SCROLL_WINDOW_MS } from "../lib/record/access-report";

const facts = actorFactsFor;
const T0 = new Date("2026-06-01T01:00:00Z");
const min = (n: number) => new Date(T0.getTime() + n * 60_000);

describe("who may print the access report (pure)", () => {
  it("consent staff after a card identification in the last 15 minutes; twins: none, or an older one, is refused", () => {
    expect(decideAccessReport(facts("CLERK"), { administrator: false, identifiedAt: T0, now: min(CARD_IDENTIFICATION_MINUTES - 1) })).toEqual({ allow: true, copy: "PATIENT" });
    expect(decideAccessReport(facts("CLERK"), { administrator: false, identifiedAt: null, now: T0 })).toEqual({ allow: false, reason: "CARD_NOT_IDENTIFIED" });
    expect(decideAccessReport(facts("CLERK"), { administrator: false, identifiedAt: T0, now: min(CARD_IDENTIFICATION_MINUTES) })).toEqual({ allow: false, reason: "CARD_NOT_IDENTIFIED" });
    expect(decideAccessReport(facts("CLERK"), { administrator: false, identifiedAt: min(5), now: T0 })).toEqual({ allow: false, reason: "CARD_NOT_IDENTIFIED" }); // from the future
  });
  it("staff who may not manage consent are refused even with a card; an administrator gets the administrator's copy", () => {
    expect(decideAccessReport(facts("CLERK", { facilityActive: false }), { administrator: false, identifiedAt: T0, now: T0 })).toEqual({ allow: false, reason: "FACILITY_SUSPENDED" });
    expect(decideAccessReport(facts("ADMIN"), { administrator: false, identifiedAt: T0, now: T0 })).toEqual({ allow: false, reason: "NOT_FACILITY_STAFF" });
    expect(decideAccessReport(facts("ADMIN"), { administrator: true, identifiedAt: null, now: T0 })).toEqual({ allow: true, copy: "ADMINISTRATOR" });
  });
});

describe("a scroll through the timeline is one line (pure)", () => {
  const ev = (at: Date, what: string, actorId = "d1", over: Record<string, unknown> = {}) => ({
    at: at.toISOString(), actorId, facilityId: "fA", facilityName: "A", profession: "DOCTOR", actorName: null, action: "RECORD_VIEW", purpose: "TREATMENT", outcome: "ALLOW", what, reason: null, reasonText: null, ...over,
  });
  it("the first screen and 24 pages a few seconds apart are one line with the count; twin: pages after a pause are a new line", () => {
    const events = [ev(T0, "patient-record"), ...Array.from({ length: 24 }, (_, i) => ev(new Date(T0.getTime() + (i + 1) * 5000), "timeline-page"))];
    const lines = groupScrolls([...events].reverse());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ what: "patient-record", pages: 24, until: events.at(-1)!.at });
    const later = ev(new Date(T0.getTime() + 24 * 5000 + SCROLL_WINDOW_MS + 1000), "timeline-page");
    const split = groupScrolls([later, ...[...events].reverse()]);
    expect(split.map((l) => [l.what, l.pages])).toEqual([["timeline-page", 0], ["patient-record", 24]]);
  });
  it("another user's pages are their own line; the same user's other view ends the scroll; refusals are never folded", () => {
    const lines = groupScrolls([
      ev(min(4), "timeline-page"),
      ev(min(3), "lab-trend"),
      ev(min(2), "timeline-page", "d2"),
      ev(min(1), "timeline-page"),
      ev(min(0), "patient-record"),
    ]);
    expect(lines.map((l) => [l.what, l.pages])).toEqual([["timeline-page", 0], ["lab-trend", 0], ["timeline-page", 0], ["patient-record", 1]]);
    const denied = groupScrolls([ev(min(1), "timeline-page", "d1", { action: "RECORD_VIEW_DENIED", outcome: "DENY" }), ev(min(0), "patient-record")]);
    expect(denied).toHaveLength(2);
  });
});

/** Against the database: patient r1 with a long record, known to fA by consent. */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const clerkA = testActor("fA", "CLERK");
const doctorA = testActor("fA", "DOCTOR");
const clerkS = testActor("fA", "CLERK", { userId: "u-fA-CLERK-S", facilityStatus: "SUSPENDED" });
const admin = testActor("fA", "ADMIN");
const CARD = { kana: "ｻｲﾄｳ ﾏｲ", birthDate: "1966-02-02", insuredNumber: "00660202", insurerNumber: "３９２２１０１０" }; // half-width kana, full-width digits
const REASON_TEXT = "自宅で倒れているところを家族が発見";

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL" } });
  for (const a of [clerkA, doctorA, clerkS, admin]) await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: new Date("2024-01-01") } });
  await db.patient.create({ data: { id: "r1", familyName: "斎藤", givenName: "舞", familyNameKana: "サイトウ", givenNameKana: "マイ", sex: "FEMALE", birthDate: new Date("1966-02-02"), insurerNumber: "39221010", insuredNumber: "00660202" } });
  await db.consent.create({ data: { patientId: "r1", id: "c1", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: clerkA.userId, capturedAt: new Date("2025-01-01") } });
  await db.labResult.createMany({ data: Array.from({ length: 60 }, (_, i) => ({ patientId: "r1", id: `lab-${i}`, facilityId: "fA", occurredAt: new Date(Date.UTC(2020, 0, 1 + i)), codeSystem: "JLAC10", code: "L", display: "検査", valueNumeric: i })) });
  await db.$transaction((tx) => recordAudit(tx, { actor: auditActorOf(doctorA), action: "BREAK_GLASS_START", outcome: "SUCCESS", patientId: "r1", purpose: "EMERGENCY", detail: { what: "break-glass", reason: "UNCONSCIOUS", reasonText: REASON_TEXT } }));
});
afterEach(() => setClockForTests(null));
afterAll(async () => ctx?.close());

describe("printing the patient's access report", () => {
  it("refuses consent staff who have not identified the patient by card (audited)", async () => {
    await expect(getAccessReport(clerkA, "r1")).rejects.toMatchObject({ reason: "CARD_NOT_IDENTIFIED" });
    expect(await db.auditEvent.count({ where: { action: "ACCESS_REPORT_VIEW", outcome: "DENY", patientId: "r1" } })).toBe(1);
  });

  it("refuses a card that does not match on every item: the insurer number too", async () => {
    await expect(identifyForAccessReport(clerkA, { ...CARD, insurerNumber: "39221028" })).rejects.toMatchObject({ fields: { identify: "notFound" } });
    await expect(identifyForAccessReport(clerkA, { ...CARD, insuredNumber: "00660203" })).rejects.toMatchObject({ fields: { identify: "notFound" } });
    await expect(identifyForAccessReport(clerkA, { kana: CARD.kana, birthDate: CARD.birthDate, insuredNumber: CARD.insuredNumber })).rejects.toMatchObject({ fields: { insurerNumber: "required" } });
    await expect(getAccessReport(clerkA, "r1")).rejects.toMatchObject({ reason: "CARD_NOT_IDENTIFIED" });
  });

  it("refuses staff who may not manage consent, card or not", async () => {
    await expect(identifyForAccessReport(clerkS, CARD)).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it("twin: after the card identification (normalised) the same clerk prints it, without staff names or the break-glass reason's words", async () => {
    await expect(identifyForAccessReport(clerkA, CARD)).resolves.toBe("r1");
    const r = await getAccessReport(clerkA, "r1");
    expect(r.withNames).toBe(false);
    const bg = r.entries.find((e) => e.action === "BREAK_GLASS_START")!;
    expect(bg).toMatchObject({ facilityName: "施設A", purpose: "EMERGENCY", what: "break-glass", reason: "UNCONSCIOUS", reasonText: null, actorName: null });
    expect(JSON.stringify(r)).not.toContain(REASON_TEXT);
    // another clerk of the same facility has not identified the patient
    await expect(getAccessReport(testActor("fA", "CLERK", { userId: "u-other" }), "r1")).rejects.toMatchObject({ reason: "CARD_NOT_IDENTIFIED" });
  });

  it("the identification lapses after 15 minutes", async () => {
    setClockForTests(new Date(Date.now() + CARD_IDENTIFICATION_MINUTES * 60_000 + 1000));
    await expect(getAccessReport(clerkA, "r1")).rejects.toMatchObject({ reason: "CARD_NOT_IDENTIFIED" });
  });

  it("the administrator's copy names the staff and quotes the reason", async () => {
    await expect(identifyForAccessReport(admin, CARD)).resolves.toBe("r1");
    const r = await getAccessReport(admin, "r1");
    expect(r.entries.find((e) => e.action === "BREAK_GLASS_START")).toMatchObject({ reasonText: REASON_TEXT, actorName: doctorA.name });
  });

  it("the card form before the report is no access: asking writes nothing and the patient's copy shows no refusal from it; a wrong card is still audited", async () => {
    const desk = testActor("fA", "CLERK", { userId: "u-fA-CLERK-desk" });
    await db.user.create({ data: { id: desk.userId, loginId: desk.userId, name: desk.name, profession: desk.profession, facilityId: "fA", passwordHash: "x", credentialVerifiedAt: new Date("2024-01-01") } });
    const events = () => db.auditEvent.count();
    const refusedReports = () => db.auditEvent.count({ where: { action: "ACCESS_REPORT_VIEW", outcome: "DENY", patientId: "r1" } });
    const [before, refusedBefore] = [await events(), await refusedReports()];
    // the page opens on the card form: no audit event, nothing of the patient read
    expect(await accessReportNeedsCard(desk, "r1")).toBe(true);
    expect(await events()).toBe(before);
    // a wrong card is audited (a failed identification), and the form is still what the desk gets
    await expect(identifyForAccessReport(desk, { ...CARD, insuredNumber: "00660203" })).rejects.toMatchObject({ fields: { identify: "notFound" } });
    expect(await db.auditEvent.count({ where: { action: "PATIENT_IDENTIFY", outcome: "FAILURE", actorId: desk.userId } })).toBe(1);
    expect(await accessReportNeedsCard(desk, "r1")).toBe(true);
    // twin: with the right card the report opens, and lists no refused report caused by the form
    await identifyForAccessReport(desk, CARD);
    expect(await accessReportNeedsCard(desk, "r1")).toBe(false);
    const r = await getAccessReport(desk, "r1");
    expect(await refusedReports()).toBe(refusedBefore);
    expect(r.entries.filter((e) => e.action === "ACCESS_REPORT_VIEW" && e.outcome === "DENY")).toHaveLength(refusedBefore);
    expect(r.entries.filter((e) => e.action === "PATIENT_IDENTIFY" && e.facilityId === "fA").length).toBeGreaterThan(0);
  });

  it("staff who may not print the report are not shown the card form: the report itself refuses them, audited (twin of the above)", async () => {
    expect(await accessReportNeedsCard(clerkS, "r1")).toBe(false);
    const refused = await db.auditEvent.count({ where: { action: "ACCESS_REPORT_VIEW", outcome: "DENY", actorId: clerkS.userId } });
    await expect(getAccessReport(clerkS, "r1")).rejects.toMatchObject({ reason: "FACILITY_SUSPENDED" });
    expect(await db.auditEvent.count({ where: { action: "ACCESS_REPORT_VIEW", outcome: "DENY", actorId: clerkS.userId } })).toBe(refused + 1);
    expect(await accessReportNeedsCard(admin, "r1")).toBe(false); // an administrator's copy needs no card
  });

  it("a doctor's scroll through the timeline is one line with its page count", async () => {
    const view = await getPatientView(doctorA, "r1", { limit: 5 });
    let pages = 0;
    for (let c = view.timeline.nextCursor; c; pages++) c = (await getTimelinePage(doctorA, "r1", { cursor: c, limit: 5 })).nextCursor;
    expect(pages).toBeGreaterThan(5);
    await identifyForAccessReport(clerkA, CARD);
    const r = await getAccessReport(clerkA, "r1");
    const views = r.entries.filter((e) => e.action === "RECORD_VIEW");
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ what: "patient-record", pages });
    expect(r.entries.some((e) => e.what === "timeline-page")).toBe(false);
  });
});
