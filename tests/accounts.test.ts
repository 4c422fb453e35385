import { createHmac } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import { authSecret } from "../lib/env";
import { ARGON2ID_PARAMS, hashPassword, needsRehash } from "../lib/auth/password";
import { checkLogin, InitialPasswordExpiredError } from "../lib/auth/login";
import { createUser, NotAdministratorError, resetPassword } from "../lib/auth/user-admin";
import { changePassword } from "../lib/auth/account";
import { checkPasswordPolicy } from "../lib/auth/password-policy";
import { COMMON_PASSWORDS } from "../lib/auth/common-passwords";

/** Item 10: initial-password expiry, pinned argon2id with rehash, the common-password list, unknown login ids in the audit trail. */
const PW = "kumo-no-ue-7";
const T0 = new Date("2026-11-26T00:00:10Z");
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const admin = testActor("fA", "ADMIN", { userId: "adm" });
const inPerson = { method: "IN_PERSON_ID", note: "" };
const storedHash = async (id: string) => (await db.user.findUniqueOrThrow({ where: { id }, select: { passwordHash: true } })).passwordHash;

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL" } });
  const current = await hashPassword(PW);
  // the library's old defaults (m=4 MiB, t=3): what accounts created before the parameters were pinned have
  const weak = await hash(PW, { algorithm: 2, memoryCost: 4096, timeCost: 3, parallelism: 1 });
  for (const [id, passwordHash] of [["adm", current], ["weak", weak], ["strong", current]] as const) {
    await db.user.create({ data: { id, loginId: id, name: `氏名${id}`, profession: id === "adm" ? "ADMIN" : "DOCTOR", facilityId: "fA", passwordHash, licenseNumber: "123456", credentialVerifiedAt: T0 } });
  }
});
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

const login = (loginId: string, password: string, at: Date) => {
  setClockForTests(at);
  return checkLogin({ loginId, password, code: "" }, "10.9.0.1");
};

describe("initial passwords expire after 72 hours", () => {
  it("refuses the initial password at 72 hours with its own error, audited; the right password is not counted as a guess", async () => {
    setClockForTests(T0);
    const { id, initialPassword } = await createUser(admin, { loginId: "late", name: "遅 医師", profession: "DOCTOR", facilityId: "fA", licenseNumber: "654321" });
    expect((await db.user.findUniqueOrThrow({ where: { id } })).initialPasswordExpiresAt).toEqual(hours(72));
    await expect(login("late", initialPassword, hours(72))).rejects.toBeInstanceOf(InitialPasswordExpiredError);
    const e = await db.auditEvent.findFirstOrThrow({ where: { actorId: id, action: "LOGIN_FAILED" } });
    expect(e.detail).toMatchObject({ reason: "INITIAL_PASSWORD_EXPIRED" });
    expect(await db.user.findUniqueOrThrow({ where: { id }, select: { failedLoginCount: true } })).toEqual({ failedLoginCount: 0 });
    // a wrong password still gets the one generic "no", never the expiry (that would confirm the account)
    expect(await login("late", "not-it", hours(73))).toBeNull();
  });

  it("accepts it just before 72 hours; once changed, the new password has no expiry (twin)", async () => {
    setClockForTests(T0);
    const { id, initialPassword } = await createUser(admin, { loginId: "prompt", name: "早 医師", profession: "DOCTOR", facilityId: "fA", licenseNumber: "654322" });
    const s = await login("prompt", initialPassword, new Date(hours(72).getTime() - 1000));
    expect(s).not.toBeNull();
    const me = testActor("fA", "DOCTOR", { userId: id, loginId: "prompt", sessionId: s!.sid, mfa: false, mustChangePassword: true });
    await changePassword(me, { current: initialPassword, next: "hoshi-no-umi-9", confirm: "hoshi-no-umi-9" });
    expect(await db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ mustChangePassword: false, initialPasswordExpiresAt: null });
    expect(await login("prompt", "hoshi-no-umi-9", hours(24 * 30))).not.toBeNull();
  });
});

describe("an administrator's reset issues a new initial password, with the same 72 hours", () => {
  it("only an administrator resets; the new password works (twin of the expiry) until 72 hours after the reset, and ends the user's sessions", async () => {
    setClockForTests(hours(200));
    const late = await db.user.findUniqueOrThrow({ where: { loginId: "late" } });
    const open = await login("prompt", "hoshi-no-umi-9", hours(200));
    await expect(resetPassword(testActor("fA", "DOCTOR", { userId: "strong" }), late.id, inPerson)).rejects.toBeInstanceOf(NotAdministratorError);
    await expect(resetPassword(admin, "adm", inPerson)).rejects.toMatchObject({ fields: { user: "SELF" } });

    setClockForTests(hours(200));
    const { initialPassword } = await resetPassword(admin, late.id, inPerson);
    expect(await db.user.findUniqueOrThrow({ where: { id: late.id } })).toMatchObject({ mustChangePassword: true, initialPasswordExpiresAt: hours(272) });
    expect(await login("late", initialPassword, hours(271))).not.toBeNull();
    await expect(login("late", initialPassword, hours(272))).rejects.toBeInstanceOf(InitialPasswordExpiredError);

    const prompt = await db.user.findUniqueOrThrow({ where: { loginId: "prompt" } });
    setClockForTests(hours(200));
    await resetPassword(admin, prompt.id, inPerson);
    expect((await db.session.findUniqueOrThrow({ where: { id: open!.sid } })).endedReason).toBe("PASSWORD_RESET");
    expect(await db.auditEvent.count({ where: { action: "PASSWORD_RESET", actorId: "adm" } })).toBe(2);
  });
});

describe("argon2id parameters are pinned; weaker stored hashes are rehashed at login", () => {
  it("pins m ≥ 19 MiB, t = 2, p = 1", async () => {
    expect(ARGON2ID_PARAMS).toMatchObject({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(await hashPassword("x")).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(needsRehash("$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaA")).toBe(true);
    expect(needsRehash("$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA")).toBe(true);
    expect(needsRehash("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaA")).toBe(false);
  });

  it("a hash with the old defaults is rewritten with the pinned parameters when its owner logs in, and still verifies", async () => {
    expect(await storedHash("weak")).toMatch(/m=4096,t=3,p=1/);
    expect(await login("weak", PW, hours(100))).not.toBeNull();
    expect(await storedHash("weak")).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await login("weak", PW, hours(101))).not.toBeNull();
  });

  it("a hash with the current parameters is left exactly as it is (twin); a wrong password rewrites nothing", async () => {
    const before = await storedHash("strong");
    expect(await login("strong", PW, hours(102))).not.toBeNull();
    expect(await storedHash("strong")).toBe(before);
    expect(await login("weak", "wrong-password", hours(103))).toBeNull();
  });
});

describe("the common-password list", () => {
  it("has at least 10,000 entries from the breach list", () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(10_000);
  });
  it.each(["sunflower", "Butterfly1", "chocolate!", "superstar2024", "tsunagu2026"])("refuses %s", (pw) => {
    expect(checkPasswordPolicy(pw, { loginId: "doctor1" })).toBe("COMMON");
  });
  it.each(["kumo-no-ue-7", "Hoshi-no-umi-to-sora", "8chars!x"])("allows %s (twin)", (pw) => {
    expect(checkPasswordPolicy(pw, { loginId: "doctor1" })).toBeNull();
  });
});

describe("LOGIN_FAILED never stores a login id that matches no account", () => {
  it("an unknown id (here a password typed into the id field) is stored only as 'unknown' plus a keyed hash", async () => {
    const typed = "Secret-Pass-1234";
    expect(await login(typed, "anything", hours(110))).toBeNull();
    const e = await db.auditEvent.findFirstOrThrow({ where: { action: "LOGIN_FAILED", actorId: null }, orderBy: { seq: "desc" } });
    expect(JSON.stringify(e, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(typed);
    expect(e.detail).toMatchObject({ reason: "UNKNOWN_ACCOUNT", loginIdKnown: false, loginIdHmac: createHmac("sha256", authSecret()).update(`login-id\0${typed}`).digest("hex") });
    expect(e.detail).not.toHaveProperty("loginId");
  });
  it("a known id is stored as it is (twin)", async () => {
    expect(await login("strong", "wrong-password", hours(111))).toBeNull();
    const e = await db.auditEvent.findFirstOrThrow({ where: { action: "LOGIN_FAILED", actorId: "strong" }, orderBy: { seq: "desc" } });
    expect(e.detail).toMatchObject({ reason: "BAD_PASSWORD", loginId: "strong" });
    expect(e.detail).not.toHaveProperty("loginIdHmac");
  });
});
