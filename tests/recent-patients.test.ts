import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Actor } from "../lib/auth/actor";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import { getPatientView, recentPatients } from "../lib/record";

/** "My recent patients" on the search page: read from the audit trail, only those still open to me. */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const TODAY = new Date("2026-06-15T03:00:00Z");
const actorAt = (facilityId: string, profession: Actor["profession"], name: string) => testActor(facilityId, profession, { name, userId: name });
const doctorA = actorAt("fA", "DOCTOR", "u-a");
const colleagueA = actorAt("fA", "DOCTOR", "u-a2");
const clerkA = actorAt("fA", "CLERK", "u-clerk");

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  setClockForTests(TODAY);
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL" } });
  for (const a of [doctorA, colleagueA, clerkA]) {
    await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: new Date("2024-01-01") } });
  }
  for (const [id, kana] of [["r1", "イチ"], ["r2", "ニ"], ["r3", "サン"]] as const) {
    await db.patient.create({ data: { id, familyName: "試験", givenName: id, familyNameKana: "シケン", givenNameKana: kana, sex: "FEMALE", birthDate: new Date("1970-01-01") } });
    await db.consent.create({ data: { patientId: id, id: `c-${id}`, facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorA.userId } });
  }
});
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

describe("recentPatients", () => {
  it("lists the patients this user opened, newest first, and not those a colleague opened", async () => {
    expect(await recentPatients(doctorA)).toEqual([]);
    setClockForTests(new Date(TODAY.getTime() - 40 * 86_400_000)); // outside the 30 days
    await getPatientView(doctorA, "r3");
    setClockForTests(new Date(TODAY.getTime() - 2 * 86_400_000));
    await getPatientView(doctorA, "r1");
    setClockForTests(new Date(TODAY.getTime() - 86_400_000));
    await getPatientView(doctorA, "r2");
    await getPatientView(colleagueA, "r3");
    setClockForTests(TODAY);
    const list = await recentPatients(doctorA);
    expect(list.map((p) => p.id)).toEqual(["r2", "r1"]);
    expect(list[0]).toMatchObject({ familyName: "試験", scope: "FULL", lastOpenedAt: new Date(TODAY.getTime() - 86_400_000).toISOString() });
    expect((await recentPatients(colleagueA)).map((p) => p.id)).toEqual(["r3"]);
    const audit = await db.auditEvent.findFirst({ where: { actorId: doctorA.userId, action: "PATIENT_SEARCH" }, orderBy: { seq: "desc" } });
    expect(audit?.detail).toMatchObject({ what: "recent-patients", hits: 2 });
  });

  it("drops a patient whose consent to this facility was withdrawn; the twin stays", async () => {
    await db.consent.update({ where: { patientId_id: { patientId: "r1", id: "c-r1" } }, data: { status: "WITHDRAWN", withdrawnAt: TODAY } });
    expect((await recentPatients(doctorA)).map((p) => p.id)).toEqual(["r2"]);
  });

  it("is refused, and audited, for a clerk, as search is", async () => {
    await expect(recentPatients(clerkA)).rejects.toMatchObject({ reason: "PROFESSION_NOT_CLINICAL" });
    expect(await db.auditEvent.count({ where: { actorId: clerkA.userId, action: "PATIENT_SEARCH", outcome: "DENY" } })).toBe(1);
  });
});
