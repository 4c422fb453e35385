import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import { hashPassword } from "../lib/auth/password";
import { totpCode } from "../lib/auth/totp";
import { checkLogin } from "../lib/auth/login";
import { checkSession } from "../lib/auth/sessions";
import { secondFactorEnrolment } from "../lib/auth/account";
import {
  createUser,
  endUserSessions,
  getUser,
  listUsers,
  NotAdministratorError,
  resetPassword,
  resetSecondFactor,
  setFacilityAdministrator,
  setUserActive,
  unlockUser,
  USER_PAGE_SIZE,
  verifyCredential,
} from "../lib/auth/user-admin";

/** Delegated administration on the real database: a facility administrator runs their own facility's accounts, and no other's. */
const PW = "kumo-no-ue-7";
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const T0 = new Date("2026-12-01T00:00:10Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const network = testActor("fA", "ADMIN", { userId: "net" });
const network2 = testActor("fA", "ADMIN", { userId: "net2" });
const facAdminB = testActor("fB", "CLERK", { userId: "fadm-b", facilityAdministrator: true });
const facAdminB2 = testActor("fB", "NURSE", { userId: "fadm-b2", facilityAdministrator: true });
const inPerson = { method: "IN_PERSON_ID", note: "運転免許証を確認" };

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL" } });
  await db.facility.create({ data: { id: "fB", code: "2210000002", name: "施設B", kind: "CLINIC" } });
  await db.facility.create({ data: { id: "fS", code: "2210000003", name: "停止施設", kind: "CLINIC", status: "SUSPENDED" } });
  const passwordHash = await hashPassword(PW);
  const rows: [string, "ADMIN" | "CLERK" | "DOCTOR" | "NURSE", string, boolean][] = [
    ["net", "ADMIN", "fA", false],
    ["net2", "ADMIN", "fA", false],
    ["fadm-b", "CLERK", "fB", true],
    ["fadm-b2", "NURSE", "fB", true],
    ["dr-a", "DOCTOR", "fA", false],
    ["dr-b", "DOCTOR", "fB", false],
    ["dr-s", "DOCTOR", "fS", false],
  ];
  for (const [id, profession, facilityId, facilityAdministrator] of rows) {
    await db.user.create({ data: { id, loginId: id, name: `氏名${id}`, nameKana: id === "dr-b" ? "ビーノ イシ" : null, profession, facilityId, facilityAdministrator, passwordHash, totpSecret: SECRET, totpEnrolledAt: T0, credentialVerifiedAt: T0, licenseNumber: profession === "DOCTOR" ? `LIC-${id}` : null } });
  }
  // 60 clerks at fA, to page through
  await db.user.createMany({ data: Array.from({ length: 60 }, (_, i) => ({ id: `clerk-${String(i).padStart(2, "0")}`, loginId: `clerk-${String(i).padStart(2, "0")}`, name: `事務${i}`, profession: "CLERK" as const, facilityId: "fA", passwordHash, credentialVerifiedAt: T0 })) });
});
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

const login = (loginId: string, code: string, t: Date) => {
  setClockForTests(t);
  return checkLogin({ loginId, password: PW, code }, "10.1.0.1");
};
const deniedEvents = (actorId: string) => db.auditEvent.findMany({ where: { actorId, action: "ACCOUNT_ADMIN_DENIED" }, orderBy: { seq: "asc" } });

describe("a facility administrator manages their own facility's accounts only", () => {
  it("cannot unlock, deactivate, reset or end the sessions of another facility's user; each refusal is audited and changes nothing", async () => {
    setClockForTests(at(1));
    await db.user.update({ where: { id: "dr-a" }, data: { lockedUntil: at(30), failedLoginCount: 5 } });
    for (const attempt of [() => unlockUser(facAdminB, "dr-a"), () => setUserActive(facAdminB, "dr-a", false), () => resetPassword(facAdminB, "dr-a", inPerson), () => resetSecondFactor(facAdminB, "dr-a", inPerson), () => endUserSessions(facAdminB, "dr-a"), () => getUser(facAdminB, "dr-a")]) {
      await expect(attempt()).rejects.toMatchObject({ reason: "OTHER_FACILITY", fields: { user: "OTHER_FACILITY" } });
    }
    expect(await db.user.findUniqueOrThrow({ where: { id: "dr-a" } })).toMatchObject({ active: true, lockedUntil: at(30), mustChangePassword: false, totpEnrolledAt: T0 });
    const denied = await deniedEvents("fadm-b");
    expect(denied.map((e) => (e.detail as { attempted: string }).attempted)).toEqual(["UNLOCK", "DEACTIVATE", "RESET_PASSWORD", "RESET_SECOND_FACTOR", "END_SESSIONS", "VIEW"]);
    expect(denied.every((e) => e.outcome === "DENY" && (e.detail as { facilityId: string }).facilityId === "fA")).toBe(true);
  });

  it("twin: can do each of them for their own facility's user", async () => {
    setClockForTests(at(2));
    await db.user.update({ where: { id: "dr-b" }, data: { lockedUntil: at(30), failedLoginCount: 5 } });
    await unlockUser(facAdminB, "dr-b");
    expect(await db.user.findUniqueOrThrow({ where: { id: "dr-b" } })).toMatchObject({ lockedUntil: null, failedLoginCount: 0 });
    const s = (await login("dr-b", totpCode(SECRET, at(3)), at(3)))!;
    setClockForTests(at(4));
    expect(await endUserSessions(facAdminB, "dr-b")).toBe(1);
    await setUserActive(facAdminB, "dr-b", false);
    expect((await db.user.findUniqueOrThrow({ where: { id: "dr-b" } })).active).toBe(false);
    const off = await db.auditEvent.findFirstOrThrow({ where: { actorId: "fadm-b", action: "USER_DEACTIVATED" } });
    expect(off.detail).toMatchObject({ userId: "dr-b", before: { active: true }, after: { active: false } });
    await setUserActive(facAdminB, "dr-b", true);
    const { initialPassword } = await resetPassword(facAdminB, "dr-b", { method: "SUPERVISOR", note: "" });
    expect(initialPassword).toMatch(/.{8,}/);
    expect((await getUser(facAdminB, "dr-b")).loginId).toBe("dr-b");
    expect((await db.session.findUniqueOrThrow({ where: { id: s.sid } })).endedReason).toBe("ENDED_BY_ADMIN");
  });

  it("creates accounts at their own facility only, never an administrator's; another facility's is refused and nothing is created", async () => {
    setClockForTests(at(5));
    const doc = { loginId: "new-b", name: "新 医師", profession: "DOCTOR", facilityId: "fB", licenseNumber: "770001" };
    await expect(createUser(facAdminB, { ...doc, facilityId: "fA" })).rejects.toMatchObject({ reason: "OTHER_FACILITY" });
    await expect(createUser(facAdminB, { ...doc, profession: "ADMIN" })).rejects.toMatchObject({ reason: "NETWORK_ADMINISTRATOR_ACCOUNT" });
    expect(await db.user.count({ where: { loginId: "new-b" } })).toBe(0);
    const { id } = await createUser(facAdminB, doc);
    expect(await db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ facilityId: "fB", facilityAdministrator: false, createdById: "fadm-b" });
  });

  it("records a licence check, but not for an account they created (separation of duties); another administrator of the facility may", async () => {
    setClockForTests(at(6));
    const created = await db.user.findUniqueOrThrow({ where: { loginId: "new-b" } });
    await expect(verifyCredential(facAdminB, created.id, "LICENCE_ORIGINAL")).rejects.toMatchObject({ reason: "SEPARATION_OF_DUTIES" });
    await expect(verifyCredential(facAdminB2, "dr-a", "LICENCE_ORIGINAL")).rejects.toMatchObject({ reason: "OTHER_FACILITY" });
    await verifyCredential(facAdminB2, created.id, "LICENCE_ORIGINAL");
    expect(await db.user.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ credentialVerifiedById: "fadm-b2", credentialVerificationMethod: "LICENCE_ORIGINAL" });
  });

  it("cannot grant or revoke facility-administrator rights; the network administrator can, audited with before and after", async () => {
    setClockForTests(at(7));
    await expect(setFacilityAdministrator(facAdminB, "dr-b", true)).rejects.toMatchObject({ reason: "NETWORK_ADMINISTRATOR_ONLY" });
    expect((await db.user.findUniqueOrThrow({ where: { id: "dr-b" } })).facilityAdministrator).toBe(false);
    await setFacilityAdministrator(network, "dr-b", true);
    expect((await db.user.findUniqueOrThrow({ where: { id: "dr-b" } })).facilityAdministrator).toBe(true);
    await setFacilityAdministrator(network, "dr-b", false);
    const events = await db.auditEvent.findMany({ where: { actorId: "net", action: { in: ["FACILITY_ADMINISTRATOR_GRANTED", "FACILITY_ADMINISTRATOR_REVOKED"] } }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.action, e.detail])).toEqual([
      ["FACILITY_ADMINISTRATOR_GRANTED", { userId: "dr-b", facilityId: "fB", before: { facilityAdministrator: false }, after: { facilityAdministrator: true } }],
      ["FACILITY_ADMINISTRATOR_REVOKED", { userId: "dr-b", facilityId: "fB", before: { facilityAdministrator: true }, after: { facilityAdministrator: false } }],
    ]);
  });

  it("a clinician manages no accounts at all", async () => {
    await expect(listUsers(testActor("fB", "DOCTOR", { userId: "dr-b" }))).rejects.toBeInstanceOf(NotAdministratorError);
    await expect(unlockUser(testActor("fB", "DOCTOR", { userId: "dr-b" }), "fadm-b")).rejects.toBeInstanceOf(NotAdministratorError);
    await expect(createUser(testActor("fB", "DOCTOR", { userId: "dr-b" }), { loginId: "x-b", name: "x", profession: "CLERK", facilityId: "fB" })).rejects.toBeInstanceOf(NotAdministratorError);
    // the attempts to change an account are audited, like an administrator's refusals
    expect((await deniedEvents("dr-b")).map((e) => [(e.detail as { attempted: string }).attempted, (e.detail as { reason: string }).reason])).toEqual([
      ["UNLOCK", "NOT_ADMINISTRATOR"],
      ["CREATE", "NOT_ADMINISTRATOR"],
    ]);
  });
});

describe("resetting a second factor after a recorded identity check", () => {
  it("refuses without the method or the note, naming each, and changes nothing", async () => {
    setClockForTests(at(10));
    await expect(resetSecondFactor(network, "dr-a", {})).rejects.toMatchObject({ fields: { method: "IDENTITY_METHOD_REQUIRED", note: "NOTE_REQUIRED" } });
    await expect(resetSecondFactor(network, "dr-a", { method: "TELEPATHY", note: "x" })).rejects.toMatchObject({ fields: { method: "INVALID" } });
    await expect(resetSecondFactor(network, "dr-a", { method: "PHONE_CALLBACK", note: "x".repeat(201) })).rejects.toMatchObject({ fields: { note: "NOTE_TOO_LONG" } });
    await expect(resetPassword(network, "dr-a", { note: "" })).rejects.toMatchObject({ fields: { method: "IDENTITY_METHOD_REQUIRED" } });
    expect((await db.user.findUniqueOrThrow({ where: { id: "dr-a" }, select: { totpSecret: true } })).totpSecret).toBe(SECRET);
  });

  it("clears the authenticator and recovery codes, ends every session, is audited with the method (no secret); the next login enrols again", async () => {
    setClockForTests(at(11));
    await db.user.update({ where: { id: "dr-a" }, data: { lockedUntil: null } });
    await db.recoveryCode.createMany({ data: [{ id: "rc-1", userId: "dr-a", codeHash: "h1", createdAt: T0 }, { id: "rc-2", userId: "dr-a", codeHash: "h2", createdAt: T0 }] });
    const s = (await login("dr-a", totpCode(SECRET, at(12)), at(12)))!;
    setClockForTests(at(13));
    await resetSecondFactor(network, "dr-a", { method: "PHONE_CALLBACK", note: "登録番号へ折り返し電話で本人確認" });
    expect(await db.user.findUniqueOrThrow({ where: { id: "dr-a" }, select: { totpSecret: true, totpPendingSecret: true, totpEnrolledAt: true, totpLastStep: true } })).toEqual({ totpSecret: null, totpPendingSecret: null, totpEnrolledAt: null, totpLastStep: null });
    expect(await db.recoveryCode.count({ where: { userId: "dr-a" } })).toBe(0);
    expect(await checkSession(db, s.sid, at(14))).toBeNull();
    expect((await db.session.findUniqueOrThrow({ where: { id: s.sid } })).endedReason).toBe("SECOND_FACTOR_RESET");
    const e = await db.auditEvent.findFirstOrThrow({ where: { action: "SECOND_FACTOR_RESET" } });
    expect(e).toMatchObject({ actorId: "net", outcome: "SUCCESS" });
    expect(e.detail).toEqual({ userId: "dr-a", loginId: "dr-a", identityCheck: { method: "PHONE_CALLBACK", note: "登録番号へ折り返し電話で本人確認" }, recoveryCodesCleared: 2, before: { totpEnrolledAt: T0.toISOString(), recoveryCodes: 2 }, after: { totpEnrolledAt: null, recoveryCodes: 0 } });
    expect(JSON.stringify(e.detail)).not.toContain(SECRET);
    // the password alone now opens only the enrolment step: a session without the second factor
    const again = (await login("dr-a", "", at(15)))!;
    expect((await db.session.findUniqueOrThrow({ where: { id: again.sid } })).mfa).toBe(false);
    const me = testActor("fA", "DOCTOR", { userId: "dr-a", sessionId: again.sid, mfa: false });
    const enrolment = await secondFactorEnrolment(me);
    expect(enrolment.enrolled).toBe(false);
    expect(enrolment.secret).not.toBe(SECRET);
  });

  it("twin: a facility administrator resets their own facility's user, not another's, nor a network administrator's", async () => {
    setClockForTests(at(20));
    await expect(resetSecondFactor(facAdminB, "net", inPerson)).rejects.toMatchObject({ reason: "OTHER_FACILITY" });
    await expect(resetSecondFactor(network, "net", inPerson)).rejects.toMatchObject({ reason: "SELF" });
    await resetSecondFactor(facAdminB, "fadm-b2", inPerson);
    expect((await db.user.findUniqueOrThrow({ where: { id: "fadm-b2" }, select: { totpSecret: true } })).totpSecret).toBeNull();
    await resetSecondFactor(network2, "net", inPerson);
    expect((await db.user.findUniqueOrThrow({ where: { id: "net" }, select: { totpSecret: true } })).totpSecret).toBeNull();
  });
});

describe("nobody alone takes over an account", () => {
  it("the administrator who reset a password may not also reset the second factor while the new password is unset, nor the reverse; another administrator may (twin)", async () => {
    setClockForTests(at(21));
    // dr-b's password was reset by fadm-b above and not yet changed
    expect((await db.user.findUniqueOrThrow({ where: { id: "dr-b" } })).mustChangePassword).toBe(true);
    await expect(resetSecondFactor(facAdminB, "dr-b", inPerson)).rejects.toMatchObject({ reason: "BOTH_FACTORS" });
    expect((await db.user.findUniqueOrThrow({ where: { id: "dr-b" }, select: { totpSecret: true } })).totpSecret).not.toBeNull();
    expect((await db.auditEvent.findFirstOrThrow({ where: { action: "ACCOUNT_ADMIN_DENIED", actorId: "fadm-b" }, orderBy: { seq: "desc" } })).detail).toMatchObject({ attempted: "RESET_SECOND_FACTOR", reason: "BOTH_FACTORS" });
    await resetSecondFactor(network, "dr-b", inPerson);
    // the reverse: network reset dr-b's second factor (not yet enrolled again), so network may not reset the password now
    await expect(resetPassword(network, "dr-b", inPerson)).rejects.toMatchObject({ reason: "BOTH_FACTORS" });
    await resetPassword(network2, "dr-b", inPerson);
  });
});

describe("API tokens end with the account's sessions", () => {
  it("deactivating, ending sessions or a reset revokes the user's FHIR API tokens, so reactivation does not revive them; another user's token stays (twin)", async () => {
    setClockForTests(at(22));
    const { issueApiToken } = await import("../lib/auth/api-token");
    const live = async (id: string) => (await db.apiToken.findUniqueOrThrow({ where: { id } })).revokedAt === null;
    const drA = testActor("fA", "DOCTOR", { userId: "dr-a" });
    const drC = testActor("fB", "NURSE", { userId: "fadm-b2" });
    await db.user.update({ where: { id: "dr-a" }, data: { totpSecret: SECRET, totpEnrolledAt: T0, mustChangePassword: false } });
    const mine = await issueApiToken(drA);
    const theirs = await issueApiToken(drC).catch(() => null);
    await setUserActive(network, "dr-a", false);
    await setUserActive(network, "dr-a", true);
    expect(await live(mine.id)).toBe(false);
    if (theirs) expect(await live(theirs.id)).toBe(true);
    const again = await issueApiToken(drA);
    expect(await endUserSessions(network, "dr-a")).toBe(0);
    expect(await live(again.id)).toBe(false);
    expect((await db.auditEvent.findFirstOrThrow({ where: { action: "SESSIONS_ENDED", actorId: "net" }, orderBy: { seq: "desc" } })).detail).toMatchObject({ userId: "dr-a", apiTokensRevoked: 1 });
  });
});

describe("the user list: search, filters, 50 a page", () => {
  it("pages by 50, in login-id order, and the page number survives in the query", async () => {
    setClockForTests(at(30));
    const first = await listUsers(network, { facility: "fA", profession: "CLERK" });
    expect(first.total).toBe(60);
    expect(first.pageCount).toBe(2);
    expect(first.rows).toHaveLength(USER_PAGE_SIZE);
    expect(first.rows[0]!.loginId).toBe("clerk-00");
    const second = await listUsers(network, { facility: "fA", profession: "CLERK", page: "2" });
    expect(second.rows.map((r) => r.loginId)).toEqual(Array.from({ length: 10 }, (_, i) => `clerk-${50 + i}`));
    expect((await listUsers(network, { facility: "fA", profession: "CLERK", page: "99" })).query.page).toBe(2);
  });

  it("searches by name, kana, login id and licence number (full-width digits too)", async () => {
    expect((await listUsers(network, { q: "氏名dr-b" })).rows.map((r) => r.loginId)).toEqual(["dr-b"]);
    expect((await listUsers(network, { q: "ビーノ" })).rows.map((r) => r.loginId)).toEqual(["dr-b"]);
    expect((await listUsers(network, { q: "FADM-B2" })).rows.map((r) => r.loginId)).toEqual(["fadm-b2"]);
    expect((await listUsers(network, { q: "LIC-dr-s" })).rows.map((r) => r.loginId)).toEqual(["dr-s"]);
    expect((await listUsers(network, { q: "ＬＩＣ-dr-s" })).rows.map((r) => r.loginId)).toEqual(["dr-s"]);
    expect((await listUsers(network, { q: "no-such-person" })).total).toBe(0);
    // kana in either script; % and _ are characters, not wildcards (twins of the finds above)
    expect((await listUsers(network, { q: "びーの" })).rows.map((r) => r.loginId)).toEqual(["dr-b"]);
    expect((await listUsers(network, { q: "%" })).total).toBe(0);
    expect((await listUsers(network, { q: "_" })).total).toBe(0);
  });

  it("filters by status: a suspended facility's users show as suspended, not active; deactivated, locked and unchecked each", async () => {
    setClockForTests(at(31));
    await db.user.update({ where: { id: "clerk-01" }, data: { active: false } });
    await db.user.update({ where: { id: "clerk-02" }, data: { lockedUntil: at(60) } });
    const created = await db.user.findUniqueOrThrow({ where: { loginId: "new-b" } });
    await db.user.update({ where: { id: created.id }, data: { credentialVerifiedAt: null } });
    const ids = async (status: string) => (await listUsers(network, { status })).rows.map((r) => r.loginId);
    expect(await ids("FACILITY_SUSPENDED")).toEqual(["dr-s"]);
    expect((await listUsers(network, { q: "dr-s" })).rows[0]).toMatchObject({ status: "FACILITY_SUSPENDED" });
    expect(await ids("ACTIVE")).not.toContain("dr-s");
    expect(await ids("DEACTIVATED")).toEqual(["clerk-01"]);
    expect(await ids("LOCKED")).toEqual(["clerk-02"]);
    expect(await ids("LICENCE_UNCHECKED")).toEqual(["new-b"]);
    // an unknown filter value is dropped, not an error
    expect((await listUsers(network, { status: "BOGUS", profession: "WIZARD" })).query).toMatchObject({ status: undefined, profession: undefined });
  });

  it("a facility administrator sees only their facility's users, whatever facility the URL asks for; the read is audited", async () => {
    const mine = await listUsers(facAdminB, { facility: "fA" });
    expect(mine.query.facility).toBe("fB");
    expect(new Set(mine.rows.map((r) => r.facilityId))).toEqual(new Set(["fB"]));
    expect(mine.facilities).toEqual([{ id: "fB", name: "施設B" }]);
    expect(mine.ownFacilityOnly).toBe(true);
    // each row says what this administrator may do to it (their own row: not deactivate themselves)
    const self = mine.rows.find((r) => r.loginId === "fadm-b")!;
    expect(self.may).toMatchObject({ VIEW: true, DEACTIVATE: false, GRANT_FACILITY_ADMINISTRATOR: false });
    const all = await listUsers(network, { q: "dr-b" });
    expect(all.facilities.map((f) => f.id)).toEqual(["fA", "fB", "fS"]);
    expect(all.rows.find((r) => r.loginId === "dr-b")!.may).toMatchObject({ DEACTIVATE: true, GRANT_FACILITY_ADMINISTRATOR: true });
    const e = await db.auditEvent.findFirstOrThrow({ where: { actorId: "fadm-b", action: "USER_LIST_VIEW" }, orderBy: { seq: "desc" } });
    expect(e.detail).toMatchObject({ what: "user-list", query: { facility: "fB" } });
  });
});
