import { auditActorOf, recordAudit } from "../lib/audit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import { hashPassword } from "../lib/auth/password";
import { totpCode } from "../lib/auth/totp";
import { checkLogin } from "../lib/auth/login";
import { changePassword } from "../lib/auth/account";
import { reauthenticate } from "../lib/auth/reauthenticate";
import { IP_MAX_FAILURES } from "../lib/auth/lockout";
import { startBreakGlass } from "../lib/record";

/**
 * The lockout and the address limit under concurrency, and re-authentication counting towards the
 * same lockout — on the real database (PGlite, or PostgreSQL when DATABASE_URL is set).
 */
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const PW = "kumo-no-ue-7";
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
let clock = new Date("2026-11-26T03:00:10Z").getTime();
/** moves the frozen clock on (default: one TOTP step, so each code is fresh) */
const tick = (seconds = 30) => {
  clock += seconds * 1000;
  setClockForTests(new Date(clock));
  return new Date(clock);
};
const code = () => totpCode(SECRET, new Date(clock));
const failuresOf = async (userId: string) => (await db.auditEvent.findMany({ where: { actorId: userId, action: "LOGIN_FAILED" }, orderBy: { seq: "asc" } })).map((e) => (e.detail as { reason: string }).reason);
const lockState = (id: string) => db.user.findUniqueOrThrow({ where: { id }, select: { failedLoginCount: true, lockedUntil: true } });
const countBy = (xs: string[]) => Object.fromEntries([...new Set(xs)].map((x) => [x, xs.filter((y) => y === x).length]));

const USERS = ["par", "seq", "few", "reauth", "mixed", "twin", "replay", "er"] as const;
const actorOf = (id: (typeof USERS)[number]) => testActor("fA", id === "er" ? "EMERGENCY" : "DOCTOR", { userId: id, loginId: id, facilityCanBreakGlass: id === "er" });

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  tick(0);
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL", canBreakGlass: true } });
  const passwordHash = await hashPassword(PW);
  for (const id of USERS) {
    const a = actorOf(id);
    await db.user.create({ data: { id, loginId: id, name: a.name, profession: a.profession, facilityId: "fA", passwordHash, totpSecret: SECRET, credentialVerifiedAt: new Date(clock), licenseNumber: "123456" } });
  }
  await db.patient.create({ data: { id: "p1", familyName: "鈴木", givenName: "一郎", familyNameKana: "スズキ", givenNameKana: "イチロウ", sex: "MALE", birthDate: new Date("1972-01-20") } });
});
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

describe("lockout under concurrency", () => {
  it("20 wrong guesses at once lock the account exactly as 5 in a row do: one lock, the rest refused as LOCKED", async () => {
    tick();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => checkLogin({ loginId: "par", password: `wrong-${i}`, code: "" }, `10.1.0.${i}`)));
    expect(results.every((r) => r === null)).toBe(true);
    const reasons = await failuresOf("par");
    expect(countBy(reasons)).toEqual({ BAD_PASSWORD: 5, LOCKED: 15 });
    expect(await db.auditEvent.count({ where: { actorId: "par", action: "ACCOUNT_LOCKED" } })).toBe(1);

    for (let i = 0; i < 5; i++) await checkLogin({ loginId: "seq", password: `wrong-${i}`, code: "" }, `10.2.0.${i}`);
    const [par, seq] = [await lockState("par"), await lockState("seq")];
    expect(par).toEqual(seq);
    expect(par.lockedUntil?.getTime()).toBe(clock + 15 * 60_000);
    // locked: even the right password and code are refused
    tick();
    expect(await checkLogin({ loginId: "par", password: PW, code: code() }, "10.1.1.1")).toBeNull();
  });

  it("4 wrong guesses at once do not lock; the right credentials then get in (twin)", async () => {
    tick();
    await Promise.all(Array.from({ length: 4 }, (_, i) => checkLogin({ loginId: "few", password: `wrong-${i}`, code: "" }, `10.3.0.${i}`)));
    expect(await lockState("few")).toEqual({ failedLoginCount: 4, lockedUntil: null });
    tick();
    expect(await checkLogin({ loginId: "few", password: PW, code: code() }, "10.3.1.1")).not.toBeNull();
    expect(await lockState("few")).toEqual({ failedLoginCount: 0, lockedUntil: null });
  });

  it(`the address limit counts every one of many failures at once: ${IP_MAX_FAILURES} counted, the rest refused as RATE_LIMITED; another address is not blocked (twin)`, async () => {
    tick();
    const ip = "198.51.100.20";
    await Promise.all(Array.from({ length: IP_MAX_FAILURES + 5 }, (_, i) => checkLogin({ loginId: `nobody-${i}`, password: "x", code: "" }, ip)));
    expect((await db.loginThrottle.findUniqueOrThrow({ where: { key: `ip:${ip}` } })).failures).toBe(IP_MAX_FAILURES);
    const reasons = (await db.auditEvent.findMany({ where: { action: "LOGIN_FAILED", detail: { path: ["ip"], equals: ip } } })).map((e) => (e.detail as { reason: string }).reason);
    expect(countBy(reasons)).toEqual({ UNKNOWN_ACCOUNT: IP_MAX_FAILURES, RATE_LIMITED: 5 });
    tick();
    expect(await checkLogin({ loginId: "twin", password: PW, code: code() }, ip)).toBeNull();
    expect(await checkLogin({ loginId: "twin", password: PW, code: code() }, "198.51.100.21")).not.toBeNull();
  });

  it("one code used by two logins at once lets exactly one in", async () => {
    tick();
    const c = code();
    const results = await Promise.all([checkLogin({ loginId: "twin", password: PW, code: c }, "10.4.0.1"), checkLogin({ loginId: "twin", password: PW, code: c }, "10.4.0.2")]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });
});

describe("re-authentication (break-glass, password change) counts towards the same lockout", () => {
  it("five failed re-authentications lock the account: login and re-authentication are refused", async () => {
    tick();
    const me = actorOf("reauth");
    for (let i = 0; i < 5; i++) {
      tick();
      await expect(changePassword(me, { current: "wrong", code: code(), next: "hoshi-no-umi-9", confirm: "hoshi-no-umi-9" })).rejects.toMatchObject({ fields: { current: "REAUTH_FAILED" } });
    }
    expect((await lockState("reauth")).lockedUntil).not.toBeNull();
    expect(await db.auditEvent.count({ where: { actorId: "reauth", action: "ACCOUNT_LOCKED" } })).toBe(1);
    tick();
    expect(await checkLogin({ loginId: "reauth", password: PW, code: code() }, "10.5.0.1")).toBeNull();
    expect(await reauthenticate(me, { password: PW, code: code() }, "PASSWORD_CHANGE")).toEqual({ ok: false, reason: "LOCKED" });
    await expect(changePassword(me, { current: PW, code: code(), next: "hoshi-no-umi-9", confirm: "hoshi-no-umi-9" })).rejects.toMatchObject({ fields: { current: "LOCKED" } });
  });

  it("break-glass and password-change failures add up in one count", async () => {
    const er = actorOf("er");
    // the identification step, as identifyForEmergency records it: break-glass starts only for a patient just identified
    await db.$transaction((tx) => recordAudit(tx, { actor: auditActorOf(er), action: "PATIENT_IDENTIFY", outcome: "SUCCESS", patientId: "p1", purpose: "EMERGENCY", at: tick(), detail: { what: "emergency-identify" } }));
    for (let i = 0; i < 3; i++) {
      tick();
      await expect(startBreakGlass(er, { patientId: "p1", reason: "UNCONSCIOUS", password: "wrong", code: code() })).rejects.toMatchObject({ fields: { reauth: "failed" } });
    }
    expect(await lockState("er")).toEqual({ failedLoginCount: 3, lockedUntil: null });
    for (let i = 0; i < 2; i++) {
      tick();
      await expect(changePassword(er, { current: "wrong", code: code(), next: "hoshi-no-umi-9", confirm: "hoshi-no-umi-9" })).rejects.toMatchObject({ fields: { current: "REAUTH_FAILED" } });
    }
    expect((await lockState("er")).lockedUntil).not.toBeNull();
    tick();
    await expect(startBreakGlass(er, { patientId: "p1", reason: "UNCONSCIOUS", password: PW, code: code() })).rejects.toMatchObject({ fields: { reauth: "failed" } });
    expect(await db.breakGlass.count()).toBe(0);
    const reasons = (await db.auditEvent.findMany({ where: { actorId: "er", action: "REAUTHENTICATION_FAILED" }, orderBy: { seq: "asc" } })).map((e) => e.detail as { purpose: string; reason: string });
    expect(reasons.map((r) => `${r.purpose}:${r.reason}`)).toEqual([...Array(3).fill("BREAK_GLASS:BAD_PASSWORD"), ...Array(2).fill("PASSWORD_CHANGE:BAD_PASSWORD"), "BREAK_GLASS:LOCKED"]);
  });

  it("four failures and then the right password and code: allowed, and the run of failures ends (twin)", async () => {
    const me = actorOf("mixed");
    for (let i = 0; i < 4; i++) {
      tick();
      expect(await reauthenticate(me, { password: "wrong", code: code() }, "BREAK_GLASS")).toEqual({ ok: false, reason: "BAD_PASSWORD" });
    }
    tick();
    expect(await reauthenticate(me, { password: PW, code: code() }, "BREAK_GLASS")).toEqual({ ok: true });
    expect(await lockState("mixed")).toEqual({ failedLoginCount: 0, lockedUntil: null });
  });

  it("a code is taken once: two re-authentications with the same code at once, one succeeds; the next step's code works (twin)", async () => {
    const me = actorOf("replay");
    tick();
    const c = code();
    const results = await Promise.all([reauthenticate(me, { password: PW, code: c }, "BREAK_GLASS"), reauthenticate(me, { password: PW, code: c }, "PASSWORD_CHANGE")]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: "REPLAYED_CODE" });
    expect(await reauthenticate(me, { password: PW, code: c }, "BREAK_GLASS")).toEqual({ ok: false, reason: "REPLAYED_CODE" });
    tick();
    expect(await reauthenticate(me, { password: PW, code: code() }, "BREAK_GLASS")).toEqual({ ok: true });
  });

  it("a password change needs the code when the account has a second factor", async () => {
    const me = actorOf("replay");
    tick();
    await expect(changePassword(me, { current: PW, next: "hoshi-no-umi-9", confirm: "hoshi-no-umi-9" })).rejects.toMatchObject({ fields: { current: "REAUTH_FAILED" } });
    tick();
    await changePassword(me, { current: PW, code: code(), next: "hoshi-no-umi-9", confirm: "hoshi-no-umi-9" });
  });
});
