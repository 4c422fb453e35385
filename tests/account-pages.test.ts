import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import { formOf } from "./helpers/form";
import type { Db } from "../lib/db/client";
import { setClockForTests } from "../lib/clock";
import { hashPassword } from "../lib/auth/password";
import { accountFacilities, getUser, listUsers, mayManageAccounts, NotAdministratorError } from "../lib/auth/user-admin";
import { accountErrorText } from "../components/account-messages";
import { messages } from "../lib/i18n/messages";

/**
 * The account pages and their server actions, as each runs once requireActor has named the user:
 * each refuses whom lib/access refuses (nothing written, the form or page says why) and its twin
 * lets the allowed administrator through.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
let forms: typeof import("../app/actions/account-forms");
const network = testActor("fA", "ADMIN", { userId: "net" });
const facAdminB = testActor("fB", "CLERK", { userId: "fadm-b", facilityAdministrator: true });
const doctorB = testActor("fB", "DOCTOR", { userId: "dr-b" });
const form = formOf;

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  forms = await import("../app/actions/account-forms");
  setClockForTests(new Date("2026-12-02T00:00:00Z"));
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL" } });
  await db.facility.create({ data: { id: "fB", code: "2210000002", name: "施設B", kind: "CLINIC" } });
  const passwordHash = await hashPassword("kumo-no-ue-7");
  for (const [id, profession, facilityId, facilityAdministrator] of [["net", "ADMIN", "fA", false], ["fadm-b", "CLERK", "fB", true], ["dr-a", "DOCTOR", "fA", false], ["dr-b", "DOCTOR", "fB", false]] as const) {
    await db.user.create({ data: { id, loginId: id, name: `氏名${id}`, profession, facilityId, facilityAdministrator, passwordHash, totpSecret: "JBSWY3DPEHPK3PXP", totpEnrolledAt: new Date("2026-11-01T00:00:00Z"), credentialVerifiedAt: new Date("2026-11-01T00:00:00Z"), licenseNumber: profession === "DOCTOR" ? "123456" : null } });
  }
});
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

describe("the pages", () => {
  it("the list, a user's page and the new-account page refuse a clinician; a facility administrator gets their own facility's (twins)", async () => {
    await expect(listUsers(doctorB, {})).rejects.toBeInstanceOf(NotAdministratorError);
    await expect(getUser(doctorB, "dr-b")).rejects.toBeInstanceOf(NotAdministratorError);
    await expect(accountFacilities(doctorB)).rejects.toBeInstanceOf(NotAdministratorError);
    expect((await listUsers(facAdminB, {})).rows.map((r) => r.loginId)).toEqual(["dr-b", "fadm-b"]);
    expect((await getUser(facAdminB, "dr-b")).loginId).toBe("dr-b");
    expect(await accountFacilities(facAdminB)).toEqual({ facilities: [{ id: "fB", name: "施設B" }], ownFacilityOnly: true });
    expect((await accountFacilities(network)).ownFacilityOnly).toBe(false);
  });

  it("a user's page of another facility tells the facility administrator why not; the network administrator sees it (twin)", async () => {
    await expect(getUser(facAdminB, "dr-a")).rejects.toMatchObject({ reason: "OTHER_FACILITY" });
    expect((await getUser(network, "dr-a")).may).toMatchObject({ DEACTIVATE: true, RESET_SECOND_FACTOR: true, GRANT_FACILITY_ADMINISTRATOR: true });
  });

  it("the navigation offers 利用者管理 to administrators of either kind only", () => {
    expect(mayManageAccounts(doctorB)).toBe(false);
    expect(mayManageAccounts(facAdminB)).toBe(true);
    expect(mayManageAccounts(network)).toBe(true);
  });
});

describe("the actions", () => {
  it("creating: another facility is refused with its reason and nothing written; the own facility's form creates (twin)", async () => {
    const fields = { loginId: "new-doc", name: "新 医師", nameKana: "シン イシ", profession: "DOCTOR", facilityId: "fA", licenseNumber: "990001" };
    expect(await forms.createUserForm(facAdminB, form(fields))).toEqual({ errors: { user: "OTHER_FACILITY" } });
    expect(await forms.createUserForm(doctorB, form({ ...fields, facilityId: "fB" }))).toEqual({ errors: { user: "NOT_ADMINISTRATOR" } });
    expect(await db.user.count({ where: { loginId: "new-doc" } })).toBe(0);
    expect(await forms.createUserForm(facAdminB, form({ ...fields, nameKana: "しんいし", facilityId: "fB" }))).toEqual({ errors: { nameKana: "INVALID" } });
    const made = await forms.createUserForm(facAdminB, form({ ...fields, facilityId: "fB" }));
    expect(made.created?.loginId).toBe("new-doc");
    expect(await db.user.findUniqueOrThrow({ where: { loginId: "new-doc" } })).toMatchObject({ facilityId: "fB", nameKana: "シン イシ" });
  });

  it("deactivating needs the confirmation box: without it nothing changes; with it the user is deactivated (twin); another facility's is refused", async () => {
    expect(await forms.userOperation(facAdminB, form({ userId: "dr-b", op: "deactivate", from: "user" }))).toBe("/admin/users/dr-b?error=CONFIRM_REQUIRED");
    expect((await db.user.findUniqueOrThrow({ where: { id: "dr-b" } })).active).toBe(true);
    expect(await forms.userOperation(facAdminB, form({ userId: "dr-a", op: "deactivate", confirm: "yes" }))).toBe("/admin/users?error=OTHER_FACILITY");
    expect((await db.user.findUniqueOrThrow({ where: { id: "dr-a" } })).active).toBe(true);
    expect(await forms.userOperation(facAdminB, form({ userId: "dr-b", op: "deactivate", confirm: "yes", from: "user" }))).toBe("/admin/users/dr-b?done=deactivated");
    expect((await db.user.findUniqueOrThrow({ where: { id: "dr-b" } })).active).toBe(false);
    expect(await forms.userOperation(facAdminB, form({ userId: "dr-b", op: "reactivate", from: "user" }))).toBe("/admin/users/dr-b?done=reactivated");
  });

  it("a forged button for a user who does not exist goes back to the list, which says so in both languages; a real user's goes back to their page (twin)", async () => {
    // the user's own page cannot say it: there is no such user, and it would answer 404 with the message lost
    expect(await forms.userOperation(network, form({ userId: "usr-gone", op: "end-sessions", from: "user" }))).toBe("/admin/users?error=NOT_FOUND");
    expect(accountErrorText(messages.ja, "NOT_FOUND")).toBe("利用者が見つかりません。");
    expect(accountErrorText(messages.en, "NOT_FOUND")).toBe("No such user.");
    expect(await forms.userOperation(network, form({ userId: "dr-a", op: "end-sessions", from: "user" }))).toBe("/admin/users/dr-a?done=ended");
  });

  it("granting facility-administrator rights: refused to a facility administrator, done by the network administrator (twin)", async () => {
    expect(await forms.userOperation(facAdminB, form({ userId: "dr-b", op: "grant-facility-admin" }))).toBe("/admin/users?error=NETWORK_ADMINISTRATOR_ONLY");
    expect(await forms.userOperation(network, form({ userId: "dr-b", op: "grant-facility-admin", from: "user" }))).toBe("/admin/users/dr-b?done=granted");
    expect((await db.user.findUniqueOrThrow({ where: { id: "dr-b" } })).facilityAdministrator).toBe(true);
    expect(await forms.userOperation(network, form({ userId: "dr-b", op: "explode" }))).toBe("/admin/users?error=INVALID");
  });

  it("a second-factor reset needs the box and the identity check; then clears it (twin); a password reset needs the method", async () => {
    const reset = { userId: "dr-b", kind: "second-factor", method: "SUPERVISOR", note: "院長が本人と確認" };
    expect(await forms.identityResetForm(facAdminB, form(reset))).toEqual({ errors: { confirm: "CONFIRM_REQUIRED" } });
    expect(await forms.identityResetForm(facAdminB, form({ ...reset, note: "", confirm: "yes" }))).toEqual({ errors: { note: "NOTE_REQUIRED" } });
    expect(await forms.identityResetForm(facAdminB, form({ ...reset, userId: "dr-a", confirm: "yes" }))).toEqual({ errors: { user: "OTHER_FACILITY" } });
    expect((await db.user.findUniqueOrThrow({ where: { id: "dr-b" }, select: { totpSecret: true } })).totpSecret).not.toBeNull();
    expect(await forms.identityResetForm(facAdminB, form({ ...reset, confirm: "yes" }))).toEqual({ secondFactorReset: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: "dr-b" }, select: { totpSecret: true } })).totpSecret).toBeNull();

    expect(await forms.identityResetForm(network, form({ userId: "dr-b", kind: "password", method: "", note: "" }))).toEqual({ errors: { method: "IDENTITY_METHOD_REQUIRED" } });
    // the same administrator may not reset the password too while the new authenticator is not enrolled: another one does
    expect(await forms.identityResetForm(facAdminB, form({ userId: "dr-b", kind: "password", method: "IN_PERSON_ID", note: "" }))).toEqual({ errors: { user: "BOTH_FACTORS" } });
    const pw = await forms.identityResetForm(network, form({ userId: "dr-b", kind: "password", method: "IN_PERSON_ID", note: "" }));
    expect(pw.reset?.loginId).toBe("dr-b");
    const e = await db.auditEvent.findFirstOrThrow({ where: { action: "PASSWORD_RESET", actorId: "net" } });
    expect(e.detail).toMatchObject({ userId: "dr-b", identityCheck: { method: "IN_PERSON_ID", note: null } });
    expect(JSON.stringify(e.detail)).not.toContain(pw.reset!.initialPassword);
  });
});
