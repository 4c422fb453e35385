import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Actor } from "../lib/auth/actor";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import { labTest } from "../lib/terminology/lab-tests";
import { messages } from "../lib/i18n/messages";
import { canBreakGlass, workStart } from "../lib/auth/to-actor";
import { AccessDeniedError, getDocument, getEmergencySummary, getLabFlowsheet, getLabTrend, getPatientView, requireBreakGlassRight } from "../lib/record";
import { ScopeLimits, LabsNoneOrScope } from "../components/ScopeLimits";
import { AccessDenied } from "../components/AccessDenied";
import { AppHeader } from "../components/AppHeader";

/**
 * One 救急時医療情報 for both paths (review 4, F12): under an emergency-only consent the 統合ビュー and
 * the lab pages show the latest emergency lab values that break-glass shows, and say that the scope —
 * not the record — leaves the lab history and checkups out. And the refusals of F7: who is offered
 * emergency access, what a refusal of a function says, and a pharmacist opening a document.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const TODAY = new Date("2026-06-15T03:00:00Z");
const daysAgo = (n: number) => new Date(TODAY.getTime() - n * 86_400_000);
const HB = labTest("hb").code;
const PLT = labTest("plt").code;
const ALB = labTest("alb").code;

const doctorE = testActor("fE", "DOCTOR"); // the emergency-only consent
const pharmacistE = testActor("fE", "PHARMACIST");
const doctorF = testActor("fF", "DOCTOR"); // a full consent
const pharmacistF = testActor("fF", "PHARMACIST");
const clerkF = testActor("fF", "CLERK");
const er = testActor("fR", "EMERGENCY", { facilityCanBreakGlass: true });

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  setClockForTests(TODAY);
  for (const [id, code, canBreakGlass] of [["fE", "2210000001", false], ["fF", "2210000002", false], ["fR", "2210000003", true], ["fS", "2210000004", false]] as const) {
    await db.facility.create({ data: { id, code, name: `施設${id}`, kind: "HOSPITAL", canBreakGlass } });
  }
  for (const a of [doctorE, pharmacistE, doctorF, pharmacistF, clerkF, er]) {
    await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: daysAgo(900) } });
  }
  await db.patient.create({ data: { id: "m1", familyName: "高橋", givenName: "美咲", familyNameKana: "タカハシ", givenNameKana: "ミサキ", sex: "FEMALE", birthDate: new Date("1980-04-04") } });
  await db.consent.create({ data: { patientId: "m1", id: "c-e", facilityId: "fE", scope: "EMERGENCY", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: clerkF.userId } });
  await db.consent.create({ data: { patientId: "m1", id: "c-f", facilityId: "fF", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: clerkF.userId } });
  const lab = (id: string, at: Date, code: string, display: string, value: number, unit: string) =>
    db.labResult.create({ data: { patientId: "m1", id, facilityId: "fS", occurredAt: at, codeSystem: "JLAC10", code, display, valueNumeric: value, unit } });
  await lab("hb-old", daysAgo(200), HB, "Hb", 11.9, "g/dL");
  await lab("hb-new", daysAgo(20), HB, "Hb", 12.6, "g/dL");
  await lab("plt-new", daysAgo(20), PLT, "Plt", 22.5, "10^4/μL");
  await lab("alb-new", daysAgo(20), ALB, "Alb", 4.0, "g/dL"); // not an emergency test
  await db.checkup.create({ data: { patientId: "m1", id: "ck-1", facilityId: "fS", occurredAt: daysAgo(100), items: { create: [{ id: "ck-1-hb", codeSystem: "urn:oid:1.2.392.200119.6.1005", code: HB, display: "血色素量", valueNumeric: 12.0, unit: "g/dL" }] } } });
  await db.document.create({ data: { patientId: "m1", id: "doc-1", facilityId: "fS", occurredAt: daysAgo(30), kind: "REFERRAL", title: "診療情報提供書", body: "紹介目的: 精査" } });
  await db.breakGlass.create({ data: { patientId: "m1", id: "bg-1", userId: er.userId, facilityId: "fR", reason: "UNCONSCIOUS", startedAt: daysAgo(0.01), expiresAt: new Date(TODAY.getTime() + 3_600_000) } });
});
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

const html = (node: unknown) => renderToStaticMarkup(node as React.ReactElement);
const ja = messages.ja;
const HIDDEN_JA = "同意の範囲（救急時医療情報のみ）には検査結果の推移・健診結果は含まれません。";

describe("an emergency-only consent shows the emergency dataset's lab values (F12)", () => {
  it("the 統合ビュー lists the latest value of each emergency test, exactly as the break-glass page does", async () => {
    const view = await getPatientView(doctorE, "m1");
    const emergency = await getEmergencySummary(er, "m1");
    expect(view.scopeNote.emergencyLabs).toEqual(emergency.labs);
    expect(view.scopeNote.emergencyLabs?.map((l) => [l.code, l.value, l.facilityId])).toEqual([[HB, "12.6", "fS"], [PLT, "22.5", "fS"]]);
    // still no lab history in the timeline, and no checkup on the 統合ビュー
    expect(view.kinds).not.toContain("lab");
    expect(view.summary.latestCheckup).toBeNull();
    expect(view.scopeNote.hidden).toEqual(["lab", "checkup"]);
    const page = html(createElement(ScopeLimits, { note: view.scopeNote, facilities: { fS: "みなみ内科" }, t: ja }));
    expect(page).toContain(ja.scopeLimits.labsTitle);
    expect(page).toContain("12.6");
    expect(page).toContain("みなみ内科");
    expect(page).toContain(HIDDEN_JA);
    expect(page).not.toContain("4.0"); // albumin is no emergency test
  });

  it("twin: under a full consent the 統合ビュー shows no scope note and no emergency list (the labs have their own pages)", async () => {
    const view = await getPatientView(doctorF, "m1");
    expect(view.scopeNote).toEqual({ hidden: [], emergencyLabs: null });
    expect(view.kinds).toContain("lab");
    expect(html(createElement(ScopeLimits, { note: view.scopeNote, facilities: {}, t: ja }))).toBe("");
  });

  it("the lab pages say the scope leaves the history out, with the emergency values, never 「数値の検査結果はありません」", async () => {
    const trend = await getLabTrend(doctorE, "m1");
    expect(trend.tests).toEqual([]);
    const page = html(createElement(LabsNoneOrScope, { note: trend.scopeNote, none: ja.labs.none, facilities: {}, t: ja }));
    expect(page).toContain(HIDDEN_JA);
    expect(page).toContain("12.6");
    expect(page).not.toContain(ja.labs.none);
    const table = await getLabFlowsheet(doctorE, "m1");
    expect(table.days).toEqual([]);
    expect(html(createElement(LabsNoneOrScope, { note: table.scopeNote, none: ja.labs.flowsheetNone, facilities: {}, t: ja }))).toContain(HIDDEN_JA);
    // English too
    expect(html(createElement(LabsNoneOrScope, { note: trend.scopeNote, none: messages.en.labs.none, facilities: {}, t: messages.en }))).toContain("does not include lab trends or checkup results");
  });

  it("twin: a full consent's lab page has the tests; a record with none at all still says there are none", async () => {
    const trend = await getLabTrend(doctorF, "m1");
    expect(trend.tests.map((x) => x.code)).toContain(ALB);
    expect(trend.scopeNote.hidden).toEqual([]);
    const none = html(createElement(LabsNoneOrScope, { note: { hidden: [], emergencyLabs: null }, none: ja.labs.none, facilities: {}, t: ja }));
    expect(none).toContain(ja.labs.none);
    expect(none).not.toContain(HIDDEN_JA);
  });

  it("a pharmacist under the emergency-only consent: the same emergency values, and only the lab history said to be left out (no checkups: the profession never sees them)", async () => {
    const view = await getPatientView(pharmacistE, "m1");
    expect(view.scopeNote.hidden).toEqual(["lab"]);
    expect(view.scopeNote.emergencyLabs?.map((l) => l.code)).toEqual([HB, PLT]);
    expect(html(createElement(ScopeLimits, { note: view.scopeNote, facilities: {}, t: ja }))).toContain("同意の範囲（救急時医療情報のみ）には検査結果の推移は含まれません。");
  });
});

describe("emergency access is offered only to those who may start it (F7)", () => {
  const header = (actor: Actor) => html(createElement(AppHeader, { actor, locale: "ja", t: ja, managesAccounts: false, breaksGlass: canBreakGlass(actor) }));
  it("a pharmacist and a clerk, even at a facility with the right, see no 緊急時アクセス link; an ER user there does (twin)", () => {
    for (const a of [testActor("fR", "PHARMACIST", { facilityCanBreakGlass: true }), testActor("fR", "CLERK", { facilityCanBreakGlass: true })]) expect(header(a)).not.toContain('href="/emergency"');
    expect(header(er)).toContain('href="/emergency"');
  });
  it("a doctor at a facility without the right sees none; at one with it, the link (twin)", () => {
    expect(header(doctorF)).not.toContain('href="/emergency"');
    expect(header(testActor("fR", "DOCTOR", { facilityCanBreakGlass: true }))).toContain('href="/emergency"');
  });
});

describe("a refusal says what was refused and leads back to the user's own work (F7)", () => {
  const refusal = async (actor: Actor, read: () => Promise<unknown>, patient: boolean) => {
    const e = await read().then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(AccessDeniedError);
    return html(createElement(AccessDenied, { reason: (e as AccessDeniedError).reason, t: ja, canBreakGlass: false, patient, back: workStart(actor) }));
  };
  it("the emergency page refused to a clerk names no patient and leads to consent registration; a doctor's patient refusal speaks of the patient and leads to search (twin)", async () => {
    const clerk = await refusal(clerkF, () => requireBreakGlassRight(clerkF, null, "emergency-page"), false);
    expect(clerk).toContain(ja.scopeLimits.functionTitle);
    expect(clerk).not.toContain("この患者");
    expect(clerk).toContain('href="/consents/new"');
    expect(clerk).toContain(ja.denied.reasons.BREAK_GLASS_NOT_PERMITTED);
    const doctor = await refusal(testActor("fS", "DOCTOR"), () => getPatientView(testActor("fS", "DOCTOR"), "m1"), true);
    expect(doctor).toContain(ja.denied.title);
    expect(doctor).toContain('href="/patients"');
  });
  it("the ER user passes the emergency page's check (twin of the clerk)", async () => {
    await expect(requireBreakGlassRight(er, null, "emergency-page")).resolves.toBeUndefined();
  });
});

describe("a pharmacist opening a document is refused for the profession, not told it does not exist (F7)", () => {
  it("refused KIND_NOT_FOR_PROFESSION, audited, for an existing document and an unknown one alike; the doctor reads it (twin)", async () => {
    for (const id of ["doc-1", "doc-none"]) {
      await expect(getDocument(pharmacistF, "m1", id)).rejects.toMatchObject({ reason: "KIND_NOT_FOR_PROFESSION" });
    }
    const denial = await db.auditEvent.findFirstOrThrow({ where: { actorId: pharmacistF.userId, action: "RECORD_VIEW_DENIED" }, orderBy: { seq: "desc" } });
    expect(denial).toMatchObject({ outcome: "DENY", detail: { what: "document", reason: "KIND_NOT_FOR_PROFESSION" } });
    const screen = html(createElement(AccessDenied, { reason: "KIND_NOT_FOR_PROFESSION", t: ja, canBreakGlass: false, patient: true, back: workStart(pharmacistF) }));
    expect(screen).toContain(ja.denied.reasons.KIND_NOT_FOR_PROFESSION);
    expect((await getDocument(doctorF, "m1", "doc-1")).document.title).toBe("診療情報提供書");
  });
});
