import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import { messages } from "../lib/i18n/messages";

/**
 * The JSON routes under /api/patients/[id] (timeline pages, the monthly map, the FHIR download) answer
 * every error with its code and the message in Japanese and English, as the audit export does: a
 * browser whose session ended mid-scroll, or a program, can show the user why.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let lib: typeof import("../lib/record");
let recordAnswer: typeof import("../app/api/patients/record-answer").recordAnswer;

const { ja, en } = messages;
const doctor = testActor("fA", "DOCTOR", { userId: "doc" });

beforeAll(async () => {
  ctx = await freshDatabase();
  lib = await import("../lib/record");
  ({ recordAnswer } = await import("../app/api/patients/record-answer"));
  const db = ctx.db;
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "中央病院", kind: "HOSPITAL" } });
  await db.user.create({ data: { id: doctor.userId, loginId: doctor.loginId, name: doctor.name, profession: "DOCTOR", facilityId: "fA", passwordHash: "x", credentialVerifiedAt: new Date("2024-01-01") } });
  for (const id of ["p1", "p2"]) {
    await db.patient.create({ data: { id, familyName: "山田", givenName: id, familyNameKana: "ヤマダ", givenNameKana: "ハナ", sex: "FEMALE", birthDate: new Date("1950-02-03") } });
  }
  await db.consent.create({ data: { patientId: "p1", id: "c1", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctor.userId } });
}, 240_000);
afterAll(async () => ctx?.close());

const timeline = (patientId: string, query: Record<string, string> = {}) => (a: typeof doctor) => lib.getTimelinePage(a, patientId, query);

describe("JSON errors of the patient routes", () => {
  it("no session: 401 with the message to log in again, in both languages", async () => {
    const r = await recordAnswer(null, timeline("p1"));
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({ error: "UNAUTHENTICATED", message: { ja: ja.explorer.sessionEnded, en: en.explorer.sessionEnded } });
  });
  it("a patient without consent: 403 with the reason and its message; the consented patient is the twin", async () => {
    const r = await recordAnswer(doctor, timeline("p2"));
    expect(r.status).toBe(403);
    expect(await r.json()).toEqual({ error: "ACCESS_DENIED", reason: "NO_CONSENT", message: { ja: ja.denied.reasons.NO_CONSENT, en: en.denied.reasons.NO_CONSENT } });
    const ok = await recordAnswer(doctor, timeline("p1"));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toHaveProperty("entries");
  });
  it("a half-finished login: 401 LOGIN_INCOMPLETE, saying what is owed", async () => {
    const r = await recordAnswer({ ...doctor, mfa: false }, timeline("p1"));
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({ error: "LOGIN_INCOMPLETE", message: { ja: ja.denied.reasons.LOGIN_INCOMPLETE, en: en.denied.reasons.LOGIN_INCOMPLETE } });
  });
  it("bad input: 400 naming the field, a filter in the filter form's words", async () => {
    const cursor = await recordAnswer(doctor, timeline("p1", { cursor: "abc" }));
    expect(cursor.status).toBe(400);
    expect(await cursor.json()).toEqual({ error: "INVALID_INPUT", field: "cursor", message: { ja: `cursor: ${ja.error.invalidInput}`, en: `cursor: ${en.error.invalidInput}` } });
    const from = await recordAnswer(doctor, timeline("p1", { from: "2026-02-30" }));
    expect(await from.json()).toMatchObject({ error: "INVALID_INPUT", field: "from", message: { ja: ja.filters.invalidField.from, en: en.filters.invalidField.from } });
  });
  it("an unknown patient: 404 with the not-found message", async () => {
    const r = await recordAnswer(doctor, timeline("p9"));
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: "NOT_FOUND", message: { ja: ja.notFound.patient, en: en.notFound.patient } });
  });
});
