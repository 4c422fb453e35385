import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import { checkPasswordPolicy } from "../lib/auth/password-policy";
import { stepAt, totpCode, verifyTotp } from "../lib/auth/totp";
import { afterFailure, ipAfterFailure, ipBlocked, isLocked, IP_MAX_FAILURES } from "../lib/auth/lockout";
import { hashPassword } from "../lib/auth/password";
import { checkLogin } from "../lib/auth/login";
import { checkSession } from "../lib/auth/sessions";
import { changePassword, confirmSecondFactor, logoutEverywhere, secondFactorEnrolment } from "../lib/auth/account";
import { createUser, listUsers, NotAdministratorError, setUserActive, verifyCredential } from "../lib/auth/user-admin";

const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const T0 = new Date("2026-11-26T00:00:10Z");
const sec = (n: number) => new Date(T0.getTime() + n * 1000);
const MIN = 60;

describe("password policy (guideline: ≥ 8 characters with a second factor; no common passwords)", () => {
  it.each([
    ["short1!", "TOO_SHORT"],
    ["password1", "COMMON"],
    ["Password123!", "COMMON"],
    ["2026tsunagu!!", "COMMON"],
    ["my-doctor1-key", "CONTAINS_LOGIN_ID"],
  ])("refuses %s (%s)", (pw, problem) => {
    expect(checkPasswordPolicy(pw, { loginId: "doctor1" })).toBe(problem);
  });
  it("refuses the current password; accepts a long uncommon one (twin)", () => {
    expect(checkPasswordPolicy("kumo-no-ue-7", { loginId: "doctor1", current: "kumo-no-ue-7" })).toBe("SAME_AS_CURRENT");
    expect(checkPasswordPolicy("kumo-no-ue-7", { loginId: "doctor1", current: "other" })).toBeNull();
    expect(checkPasswordPolicy("8chars!x", { loginId: "doctor1" })).toBeNull();
  });
});

describe("TOTP", () => {
  it("accepts the current code and one step either side; refuses two steps away", () => {
    expect(verifyTotp(SECRET, totpCode(SECRET, T0), T0, null)).toEqual({ ok: true, step: stepAt(T0) });
    expect(verifyTotp(SECRET, totpCode(SECRET, sec(-30)), T0, null)).toMatchObject({ ok: true });
    expect(verifyTotp(SECRET, totpCode(SECRET, sec(30)), T0, null)).toMatchObject({ ok: true });
    expect(verifyTotp(SECRET, totpCode(SECRET, sec(-60)), T0, null)).toEqual({ ok: false, reason: "INVALID" });
    expect(verifyTotp(SECRET, "12345", T0, null)).toEqual({ ok: false, reason: "INVALID" });
  });
  it("refuses a replay of an accepted step, even inside the window; accepts the next step (twin)", () => {
    const first = verifyTotp(SECRET, totpCode(SECRET, T0), T0, null);
    if (!first.ok) throw new Error("first code refused");
    expect(verifyTotp(SECRET, totpCode(SECRET, T0), sec(5), first.step)).toEqual({ ok: false, reason: "REPLAY" });
    expect(verifyTotp(SECRET, totpCode(SECRET, sec(-30)), sec(5), first.step)).toEqual({ ok: false, reason: "REPLAY" });
    expect(verifyTotp(SECRET, totpCode(SECRET, sec(30)), sec(30), first.step)).toMatchObject({ ok: true });
  });
});

describe("lockout timing", () => {
  it("locks on the fifth consecutive failure for exactly 15 minutes", () => {
    let s = { failedLoginCount: 0, lockedUntil: null as Date | null };
    for (let i = 0; i < 4; i++) s = afterFailure(s, T0);
    expect(isLocked(s, T0)).toBe(false);
    const fifth = afterFailure(s, T0);
    expect(fifth.lockedNow).toBe(true);
    expect(isLocked(fifth, sec(15 * MIN - 1))).toBe(true);
    expect(isLocked(fifth, sec(15 * MIN))).toBe(false);
  });
  it("limits failures per address in a 15-minute window, then starts afresh", () => {
    let w = null as ReturnType<typeof ipAfterFailure> | null;
    for (let i = 0; i < IP_MAX_FAILURES - 1; i++) w = ipAfterFailure(w, T0);
    expect(ipBlocked(w, T0)).toBe(false);
    w = ipAfterFailure(w, T0);
    expect(ipBlocked(w, sec(60))).toBe(true);
    expect(ipBlocked(w, sec(15 * MIN))).toBe(false);
    expect(ipAfterFailure(w, sec(15 * MIN))).toEqual({ windowStart: sec(15 * MIN), failures: 1 });
  });
});

describe("login, sessions and accounts against the database", () => {
  let ctx: Awaited<ReturnType<typeof freshDatabase>>;
  let db: Db;
  const PW = "kumo-no-ue-7";
  const login = (loginId: string, code: string, at: Date, password = PW, ip = "10.0.0.1") => {
    setClockForTests(at);
    return checkLogin({ loginId, password, code }, ip);
  };

  beforeAll(async () => {
    ctx = await freshDatabase();
    db = ctx.db;
    await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL" } });
    const passwordHash = await hashPassword(PW);
    for (const [id, profession, secret] of [["dr", "DOCTOR", SECRET], ["nr", "NURSE", SECRET], ["adm", "ADMIN", SECRET], ["fresh", "DOCTOR", null]] as const) {
      await db.user.create({ data: { id, loginId: id, name: `氏名${id}`, profession, facilityId: "fA", passwordHash, totpSecret: secret, credentialVerifiedAt: T0, licenseNumber: "123456" } });
    }
  });
  afterAll(async () => {
    setClockForTests(null);
    await ctx?.close();
  });

  it("needs both factors; a wrong or missing code is refused and audited with its reason", async () => {
    expect(await login("dr", "", T0)).toBeNull();
    expect(await login("dr", "000000", T0)).toBeNull();
    const ok = await login("dr", totpCode(SECRET, T0), T0);
    expect(ok?.id).toBe("dr");
    const reasons = (await db.auditEvent.findMany({ where: { actorId: "dr", action: "LOGIN_FAILED" } })).map((e) => (e.detail as { reason: string }).reason);
    expect(reasons).toEqual(["CODE_REQUIRED", "BAD_CODE"]);
    expect((await db.session.findUniqueOrThrow({ where: { id: ok!.sid } })).mfa).toBe(true);
  });

  it("refuses a replayed code", async () => {
    expect(await login("dr", totpCode(SECRET, T0), sec(10))).toBeNull();
    expect(await login("dr", totpCode(SECRET, sec(30)), sec(30))).not.toBeNull();
  });

  it("locks after five failures, refuses even the right credentials for 15 minutes, then lets them in", async () => {
    for (let i = 0; i < 5; i++) expect(await login("nr", "", sec(60 + i), "wrong-password")).toBeNull();
    expect(await db.auditEvent.count({ where: { actorId: "nr", action: "ACCOUNT_LOCKED" } })).toBe(1);
    expect(await login("nr", totpCode(SECRET, sec(90)), sec(90))).toBeNull();
    // locked at the fifth failure (sec 64) until exactly 15 minutes later
    expect(await login("nr", totpCode(SECRET, sec(63 + 15 * MIN)), sec(63 + 15 * MIN))).toBeNull();
    expect(await login("nr", totpCode(SECRET, sec(94 + 15 * MIN)), sec(94 + 15 * MIN))).not.toBeNull();
  });

  it("a session ends after 30 idle minutes, not before; activity keeps it alive; 12 hours is the limit regardless", async () => {
    const t = 2 * 3600;
    const s = (await login("dr", totpCode(SECRET, sec(t)), sec(t)))!;
    expect(await checkSession(db, s.sid, sec(t + 29 * MIN))).not.toBeNull(); // touched: idle restarts
    expect(await checkSession(db, s.sid, sec(t + 58 * MIN))).not.toBeNull();
    expect(await checkSession(db, s.sid, sec(t + 89 * MIN))).toBeNull();
    expect((await db.session.findUniqueOrThrow({ where: { id: s.sid } })).endedReason).toBe("IDLE");

    const busy = (await login("dr", totpCode(SECRET, sec(t + 100 * MIN)), sec(t + 100 * MIN)))!;
    for (let m = 120; m < 12 * 60 + 100; m += 20) expect(await checkSession(db, busy.sid, sec(t + m * MIN))).not.toBeNull();
    expect(await checkSession(db, busy.sid, sec(t + (12 * 60 + 101) * MIN))).toBeNull();
  });

  it("deactivating a user ends their sessions at once; logging out everywhere ends all of them", async () => {
    const t = 20 * 3600;
    const mine = (await login("dr", totpCode(SECRET, sec(t)), sec(t)))!;
    const other = (await login("dr", totpCode(SECRET, sec(t + 30)), sec(t + 30)))!;
    await logoutEverywhere(testActor("fA", "DOCTOR", { userId: "dr", sessionId: mine.sid }));
    expect(await checkSession(db, mine.sid, sec(t + 60))).toBeNull();
    expect(await checkSession(db, other.sid, sec(t + 60))).toBeNull();

    const nurse = (await login("nr", totpCode(SECRET, sec(t + 90)), sec(t + 90)))!;
    const admin = testActor("fA", "ADMIN", { userId: "adm" });
    await setUserActive(admin, "nr", false);
    expect(await checkSession(db, nurse.sid, sec(t + 91))).toBeNull();
    // refused, and told why: the password and the code were right (a wrong code still learns nothing)
    await expect(login("nr", totpCode(SECRET, sec(t + 120)), sec(t + 120))).rejects.toMatchObject({ reason: "USER_INACTIVE" });
    expect(await login("nr", "000000", sec(t + 120))).toBeNull();
    await setUserActive(admin, "nr", true);
    expect(await login("nr", totpCode(SECRET, sec(t + 150)), sec(t + 150))).not.toBeNull();
  });

  it("a first login: password only, then change the password and enrol a second factor; recovery codes work once", async () => {
    const t = 30 * 3600;
    const s = (await login("fresh", "", sec(t)))!;
    expect((await db.session.findUniqueOrThrow({ where: { id: s.sid } })).mfa).toBe(false);
    const me = testActor("fA", "DOCTOR", { userId: "fresh", loginId: "fresh", sessionId: s.sid, mfa: false, mustChangePassword: true });
    await expect(changePassword(me, { current: PW, next: "password123", confirm: "password123" })).rejects.toMatchObject({ fields: { next: "COMMON" } });
    await changePassword(me, { current: PW, next: "hoshi-no-umi-9", confirm: "hoshi-no-umi-9" });
    const e = await secondFactorEnrolment(me);
    expect(e.enrolled).toBe(false);
    await expect(confirmSecondFactor(me, "000000")).rejects.toMatchObject({ fields: { code: "WRONG" } });
    const codes = await confirmSecondFactor(me, totpCode(e.secret!, sec(t)));
    expect(codes).toHaveLength(10);
    expect((await db.session.findUniqueOrThrow({ where: { id: s.sid } })).mfa).toBe(true);
    // From now on the code is required, and a recovery code stands in for it once.
    expect(await login("fresh", "", sec(t + 60), "hoshi-no-umi-9")).toBeNull();
    expect(await login("fresh", codes[0]!, sec(t + 90), "hoshi-no-umi-9")).not.toBeNull();
    expect(await login("fresh", codes[0]!, sec(t + 120), "hoshi-no-umi-9")).toBeNull();
  });

  it("only an administrator creates accounts and records licence checks", async () => {
    const admin = testActor("fA", "ADMIN", { userId: "adm" });
    await expect(createUser(testActor("fA", "DOCTOR", { userId: "dr" }), { loginId: "newdoc", name: "新 医師", profession: "DOCTOR", facilityId: "fA", licenseNumber: "654321" })).rejects.toBeInstanceOf(NotAdministratorError);
    await expect(createUser(admin, { loginId: "newdoc", name: "新 医師", profession: "DOCTOR", facilityId: "fA" })).rejects.toMatchObject({ fields: { licenseNumber: "REQUIRED" } });
    const { id, initialPassword } = await createUser(admin, { loginId: "newdoc", name: "新 医師", profession: "DOCTOR", facilityId: "fA", licenseNumber: "654321" });
    const u = await db.user.findUniqueOrThrow({ where: { id } });
    expect(u).toMatchObject({ mustChangePassword: true, credentialVerifiedAt: null });
    expect(await login("newdoc", "", sec(40 * 3600), initialPassword)).not.toBeNull();
    await expect(verifyCredential(testActor("fA", "CLERK"), id, "LICENCE_ORIGINAL")).rejects.toBeInstanceOf(NotAdministratorError);
    // separation of duties: the administrator who created the account does not vouch for its licence
    expect(u.createdById).toBe("adm");
    await expect(verifyCredential(admin, id, "MHLW_REGISTRY_SEARCH")).rejects.toMatchObject({ fields: { user: "SEPARATION_OF_DUTIES" } });
    expect((await db.user.findUniqueOrThrow({ where: { id } })).credentialVerifiedAt).toBeNull();
    await verifyCredential(testActor("fA", "ADMIN", { userId: "adm2" }), id, "MHLW_REGISTRY_SEARCH");
    expect(await db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ credentialVerifiedById: "adm2", credentialVerificationMethod: "MHLW_REGISTRY_SEARCH" });
  });

  it("an administrator's read of the user list is audited", async () => {
    const before = await db.auditEvent.count({ where: { action: "USER_LIST_VIEW" } });
    await listUsers(testActor("fA", "ADMIN", { userId: "adm" }));
    expect(await db.auditEvent.count({ where: { action: "USER_LIST_VIEW", actorId: "adm" } })).toBe(before + 1);
    await expect(listUsers(testActor("fA", "DOCTOR", { userId: "dr" }))).rejects.toBeInstanceOf(NotAdministratorError);
  });
});
