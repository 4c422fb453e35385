import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import { hashPassword } from "../lib/auth/password";
import { createUser, resetPassword, resetSecondFactor, unlockUser, verifyCredential } from "../lib/auth/user-admin";
import { issueFacilityKey, revokeFacilityKeys } from "../lib/auth/facility-key";

/**
 * Every administrative change is an audit event with the values before and after (issue 16): what a
 * privacy officer reads to see what an administrator changed. Account creation, the licence check,
 * an unlock, the two resets, and a facility key's issue and revocation; on the real database.
 */
const T0 = new Date("2026-12-01T00:00:10Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const network = testActor("fA", "ADMIN", { userId: "net" });
const network2 = testActor("fA", "ADMIN", { userId: "net2" });
const event = (action: string) => db.auditEvent.findFirstOrThrow({ where: { action }, orderBy: { seq: "desc" } });

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL" } });
  await db.facility.create({ data: { id: "fB", code: "2210000002", name: "施設B", kind: "CLINIC" } });
  const passwordHash = await hashPassword("kumo-no-ue-7");
  for (const id of ["net", "net2"]) await db.user.create({ data: { id, loginId: id, name: `氏名${id}`, profession: "ADMIN", facilityId: "fA", passwordHash, credentialVerifiedAt: T0 } });
  await db.user.create({ data: { id: "dr-b", loginId: "dr-b", name: "医師B", profession: "DOCTOR", facilityId: "fB", passwordHash, licenseNumber: "623410", totpSecret: "JBSWY3DPEHPK3PXP", totpEnrolledAt: T0, credentialVerifiedAt: T0, lockedUntil: at(30), failedLoginCount: 5 } });
  await db.recoveryCode.createMany({ data: [0, 1].map((i) => ({ id: `rc-${i}`, userId: "dr-b", codeHash: `h${i}`, createdAt: T0 })) });
});
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

describe("an administrative change is audited with its before and after", () => {
  it("an account created, then its licence check: nothing before, the account after; unchecked before, the check after", async () => {
    setClockForTests(at(1));
    const { id } = await createUser(network, { loginId: "new-dr", name: "新 医師", nameKana: "シン イシ", profession: "DOCTOR", facilityId: "fB", licenseNumber: "700001" });
    expect((await event("USER_CREATED")).detail).toMatchObject({ userId: id, before: null, after: { loginId: "new-dr", profession: "DOCTOR", facilityId: "fB", licenseNumber: "700001", active: true, credentialVerifiedAt: null } });
    // the initial password is never in the trail
    expect(JSON.stringify((await event("USER_CREATED")).detail)).not.toContain("password");
    await verifyCredential(network2, id, "MHLW_REGISTRY_SEARCH");
    expect((await event("CREDENTIAL_VERIFIED")).detail).toMatchObject({
      userId: id,
      before: { credentialVerifiedAt: null, credentialVerifiedById: null, credentialVerificationMethod: null },
      after: { credentialVerifiedAt: at(1).toISOString(), credentialVerifiedById: "net2", credentialVerificationMethod: "MHLW_REGISTRY_SEARCH" },
    });
  });

  it("an unlock: the lock and failure count before, none after", async () => {
    setClockForTests(at(2));
    await unlockUser(network, "dr-b");
    expect((await event("ACCOUNT_UNLOCKED")).detail).toEqual({ userId: "dr-b", before: { lockedUntil: at(30).toISOString(), failedLoginCount: 5 }, after: { lockedUntil: null, failedLoginCount: 0 } });
  });

  it("a second-factor reset and a password reset: the authenticator and codes before, none after; a password to set after", async () => {
    setClockForTests(at(3));
    await resetSecondFactor(network, "dr-b", { method: "IN_PERSON_ID", note: "運転免許証を確認" });
    expect((await event("SECOND_FACTOR_RESET")).detail).toMatchObject({ before: { totpEnrolledAt: T0.toISOString(), recoveryCodes: 2 }, after: { totpEnrolledAt: null, recoveryCodes: 0 } });
    // another administrator resets the password (no one alone resets both)
    await resetPassword(network2, "dr-b", { method: "SUPERVISOR", note: "" });
    const reset = (await event("PASSWORD_RESET")).detail as { before: object; after: { initialPasswordExpiresAt: string } };
    expect(reset).toMatchObject({ before: { mustChangePassword: false, initialPasswordExpiresAt: null, lockedUntil: null, failedLoginCount: 0 }, after: { mustChangePassword: true, lockedUntil: null, failedLoginCount: 0 } });
    expect(reset.after.initialPasswordExpiresAt).toBe((await db.user.findUniqueOrThrow({ where: { id: "dr-b" } })).initialPasswordExpiresAt!.toISOString());
    expect(JSON.stringify(reset)).not.toMatch(/hash/i);
  });

  it("a facility key issued (nothing before, live after) and revoked (live before, revoked after); no key in the trail", async () => {
    const { id, key } = await issueFacilityKey(db, "2210000002", "net", { userId: "net", name: "氏名net", profession: "ADMIN", facilityId: "fA" });
    const issued = await event("FACILITY_KEY_ISSUED");
    expect(issued).toMatchObject({ actorId: "net", detail: { keyId: id, facility: "2210000002", before: null, after: { keyId: id, revokedAt: null } } });
    expect(JSON.stringify(issued.detail)).not.toContain(key.slice(-20));
    await revokeFacilityKeys(db, "2210000002", "net", id);
    const revokedAt = (await db.facilityApiKey.findUniqueOrThrow({ where: { id } })).revokedAt!.toISOString();
    expect((await event("FACILITY_KEY_REVOKED")).detail).toMatchObject({ keyIds: [id], before: [{ keyId: id, revokedAt: null }], after: [{ keyId: id, revokedAt }] });
  });
});
