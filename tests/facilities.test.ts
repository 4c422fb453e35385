import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { hashPassword } from "../lib/auth/password";
import { checkLogin } from "../lib/auth/login";
import { checkSession } from "../lib/auth/sessions";
import { handleFhirPush } from "../lib/ingest/fhir-push";
import { PREFECTURES } from "../lib/network/prefectures";
import {
  createFacility,
  FacilityAdminRefusedError,
  FacilityFieldsError,
  getFacility,
  issueKeyFor,
  listFacilities,
  reinstateFacility,
  revokeKeyOf,
  suspendFacility,
  updateFacility,
} from "../lib/network";

/**
 * Facility administration on the real database: what the network administrator's pages and actions
 * call (lib/network). Each operation refused to a non-administrator (and audited) beside its twin
 * that the administrator may do; suspension stopping users and keys at once.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const PW = "kumo-no-ue-7";
const admin = testActor("fA", "ADMIN", { userId: "adm", loginId: "adm" });
const doctor = testActor("fA", "DOCTOR", { userId: "doc" });
const clerkB = testActor("fB", "CLERK", { userId: "clerkB" });
const KINDS = ["HOSPITAL", "CLINIC", "DENTAL_CLINIC", "PHARMACY", "CARE_FACILITY"] as const;
const TABLE = { HOSPITAL: "1", CLINIC: "1", DENTAL_CLINIC: "3", PHARMACY: "4", CARE_FACILITY: "6" } as const;
const valid = { code: "2210100117", name: "つなぐ新病院", nameKana: "ツナグシンビョウイン", kind: "HOSPITAL", prefecture: "静岡県", discloses: true, views: true, canBreakGlass: false, address: "静岡県静岡市葵区1-1", phone: "054-000-1111", contactName: "地域連携室", contactEmail: "renkei@example.jp", joinedOn: "2026-12-01" };
const audits = (action: string) => db.auditEvent.findMany({ where: { action }, orderBy: { seq: "asc" } });
const stream = (text: string) => new Blob([text]).stream();
const push = (key: string) => handleFhirPush(db, { authorization: `Bearer ${key}`, contentType: "application/fhir+json", contentLength: null, body: stream('{"resourceType":"Patient"}') });

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL", prefecture: "静岡県" } });
  await db.facility.create({ data: { id: "fB", code: "2210000002", name: "施設B", kind: "CLINIC", prefecture: "静岡県" } });
  // 400 more across every prefecture and kind: the size of a large regional network
  await db.facility.createMany({
    data: Array.from({ length: 400 }, (_, i) => {
      const kind = KINDS[i % KINDS.length]!;
      const pref = String(1 + (i % 47)).padStart(2, "0");
      return { id: `g-${i}`, code: `${pref}${TABLE[kind]}${String(5_000_000 + i).padStart(7, "0")}`, name: `${kind === "PHARMACY" ? "薬局" : "医院"}${i}`, kind, prefecture: PREFECTURES[Number(pref) - 1]!, discloses: i % 2 === 0, views: true, canBreakGlass: i % 10 === 0, status: i % 40 === 0 ? "SUSPENDED" : "ACTIVE" };
    }),
  });
  const passwordHash = await hashPassword(PW);
  for (const [id, facilityId, profession] of [["adm", "fA", "ADMIN"], ["doc", "fA", "DOCTOR"], ["clerkB", "fB", "CLERK"]] as const) {
    await db.user.create({ data: { id, loginId: id, name: `氏名${id}`, profession, facilityId, passwordHash, licenseNumber: "123456", credentialVerifiedAt: new Date() } });
  }
});
afterAll(async () => {
  await ctx?.close();
});

describe("the facility list", () => {
  it("is refused to anyone but the network administrator, and the refusal is audited (twin: the administrator below)", async () => {
    await expect(listFacilities(doctor, {})).rejects.toMatchObject({ reason: "NOT_NETWORK_ADMINISTRATOR" });
    await expect(listFacilities({ ...admin, mfa: false }, {})).rejects.toMatchObject({ reason: "LOGIN_INCOMPLETE" });
    expect((await audits("FACILITY_ADMIN_DENIED")).at(-1)).toMatchObject({ actorId: "adm", outcome: "DENY", detail: { attempted: "VIEW", reason: "LOGIN_INCOMPLETE" } });
  });

  it("pages 402 facilities 50 at a time, by code; the read is audited", async () => {
    const first = await listFacilities(admin, {});
    expect(first).toMatchObject({ total: 402, pageCount: 9 });
    expect(first.rows).toHaveLength(50);
    expect(first.rows[0]!.code).toBe("0115000000");
    const last = await listFacilities(admin, { page: "9" });
    expect(last.rows).toHaveLength(2);
    // a page past the end shows the last page, not an empty list
    expect((await listFacilities(admin, { page: "99" })).query.page).toBe(9);
    expect((await audits("FACILITY_LIST_VIEW")).at(-1)).toMatchObject({ actorId: "adm", detail: { total: 402 } });
  });

  it("searches name and 医療機関コード, and filters by kind, prefecture, role and status together", async () => {
    expect((await listFacilities(admin, { q: "施設B" })).rows.map((r) => r.id)).toEqual(["fB"]);
    expect((await listFacilities(admin, { q: "221000000" })).rows.map((r) => r.id)).toEqual(["fA", "fB"]);
    const pharmacies = await listFacilities(admin, { kind: "PHARMACY", prefecture: "北海道" });
    expect(pharmacies.rows.length).toBeGreaterThan(0);
    expect(pharmacies.rows.every((r) => r.kind === "PHARMACY" && r.prefecture === "北海道")).toBe(true);
    const bg = await listFacilities(admin, { role: "BREAK_GLASS" });
    expect(bg.total).toBe(40);
    expect((await listFacilities(admin, { role: "DISCLOSES", status: "SUSPENDED" })).total).toBe(10);
    // an unknown filter value is dropped, not an error: the URL is the user's to edit
    expect((await listFacilities(admin, { kind: "SPA", status: "GONE" })).total).toBe(402);
  });

  it("finds a name whatever the kana script or spacing typed: きた / キタ, 「きた 整形」 with a half- or full-width space", async () => {
    await db.facility.create({ data: { id: "fK", code: "2210000051", name: "きた整形外科クリニック", nameKana: "キタセイケイゲカクリニック", kind: "CLINIC", prefecture: "静岡県" } });
    await db.facility.create({ data: { id: "fM", code: "2210000052", name: "ミナミ薬局", kind: "PHARMACY", prefecture: "静岡県" } });
    const found = async (q: string) => (await listFacilities(admin, { q })).rows.map((r) => r.id);
    for (const q of ["きた", "キタ", "ｷﾀ", "きた 整形", "きた　整形", " 整形  きた ", "キタセイケイ"]) expect(await found(q)).toEqual(["fK"]);
    for (const q of ["みなみ", "ミナミ 薬局"]) expect(await found(q)).toEqual(["fM"]);
    // twins: every word must match somewhere; % and _ are characters, not wildcards
    expect(await found("きた 薬局")).toEqual([]);
    expect(await found("%")).toEqual([]);
    expect(await found("き_整形")).toEqual([]);
    expect(await found("ひがし")).toEqual([]);
    await db.facility.deleteMany({ where: { id: { in: ["fK", "fM"] } } });
  });
});

describe("adding and editing a facility", () => {
  it("is refused to a non-administrator, audited, and nothing is written (twin: the administrator adds it)", async () => {
    await expect(createFacility(clerkB, valid)).rejects.toBeInstanceOf(FacilityAdminRefusedError);
    expect(await db.facility.count({ where: { code: valid.code } })).toBe(0);
    const { id } = await createFacility(admin, valid);
    expect(await db.facility.findUniqueOrThrow({ where: { id } })).toMatchObject({ code: valid.code, status: "ACTIVE", contactEmail: "renkei@example.jp", joinedOn: new Date("2026-12-01T00:00:00Z") });
    expect((await audits("FACILITY_CREATED")).at(-1)).toMatchObject({ actorId: "adm", detail: { facilityId: id, before: null, after: { code: valid.code, name: valid.name, joinedOn: "2026-12-01" } } });
  });

  it("refuses a duplicate or malformed code with its own error, and writes nothing", async () => {
    const before = await db.facility.count();
    await expect(createFacility(admin, { ...valid, name: "別の病院" })).rejects.toMatchObject({ fields: { code: "CODE_TAKEN" } });
    await expect(createFacility(admin, { ...valid, code: "9910100114" })).rejects.toMatchObject({ fields: { code: "CODE_PREFECTURE" } });
    await expect(createFacility(admin, { ...valid, code: "2210100115", kind: "PHARMACY" })).rejects.toMatchObject({ fields: { code: "CODE_TABLE_KIND" } });
    expect(await db.facility.count()).toBe(before);
  });

  it("refuses a code already held as in use before asking about its check digit (twin: a new code that fails it is asked below)", async () => {
    // 施設A's 2210000001 does not verify; a duplicate can never be added, so its check digit is not the question
    await expect(createFacility(admin, { ...valid, code: "2210000001", name: "別の病院" })).rejects.toMatchObject({ fields: { code: "CODE_TAKEN" } });
    const f = await db.facility.findUniqueOrThrow({ where: { code: valid.code } });
    await expect(updateFacility(admin, f.id, { ...valid, code: "2210000001" })).rejects.toMatchObject({ fields: { code: "CODE_TAKEN" } });
  });

  it("refuses a code whose check digit does not hold — one mistyped digit — unless the administrator confirms it, which the audit keeps (twin)", async () => {
    const before = await db.facility.count();
    // 2210100117 with its last digit mistyped: the same hospital would be registered twice under two codes
    const slip = { ...valid, code: "2210100114", name: "つなぐ新病院（二重）" };
    await expect(createFacility(admin, slip)).rejects.toMatchObject({ fields: { code: "CODE_CHECK_DIGIT" } });
    await expect(createFacility(admin, { ...slip, acceptCheckDigit: false })).rejects.toMatchObject({ fields: { code: "CODE_CHECK_DIGIT" } });
    expect(await db.facility.count()).toBe(before);
    // the published JP-CLINS sample's code fails the rule, and a network may need it: confirmed, it is kept, and so is the confirmation
    const { id } = await createFacility(admin, { ...valid, code: "1318814790", name: "JP-CLINS 見本病院", prefecture: "東京都", acceptCheckDigit: true });
    expect((await audits("FACILITY_CREATED")).at(-1)).toMatchObject({ detail: { facilityId: id, checkDigitAccepted: true, after: { code: "1318814790" } } });
    // an edit that keeps such a code is not asked again
    expect((await updateFacility(admin, id, { ...valid, code: "1318814790", name: "JP-CLINS 見本病院（改）", prefecture: "東京都" })).changed).toEqual(["name"]);
    await db.facility.delete({ where: { id } });
  });

  it("an edit records each changed field before and after; saving unchanged writes no event", async () => {
    const f = await db.facility.findUniqueOrThrow({ where: { code: valid.code } });
    await expect(updateFacility(doctor, f.id, { ...valid, name: "改名" })).rejects.toMatchObject({ reason: "NOT_NETWORK_ADMINISTRATOR" });
    expect(await updateFacility(admin, f.id, { ...valid, name: "つなぐ新病院 本院", canBreakGlass: true })).toEqual({ changed: ["name", "canBreakGlass"] });
    expect((await audits("FACILITY_UPDATED")).at(-1)).toMatchObject({ detail: { facilityId: f.id, before: { name: "つなぐ新病院", canBreakGlass: false }, after: { name: "つなぐ新病院 本院", canBreakGlass: true } } });
    const events = (await audits("FACILITY_UPDATED")).length;
    expect(await updateFacility(admin, f.id, { ...valid, name: "つなぐ新病院 本院", canBreakGlass: true })).toEqual({ changed: [] });
    expect(await audits("FACILITY_UPDATED")).toHaveLength(events);
  });

  it("keeps the code once a patient is linked under it (twin: a facility without links may change it)", async () => {
    await db.patient.create({ data: { id: "p1", familyName: "山田", givenName: "花", familyNameKana: "ヤマダ", givenNameKana: "ハナ", sex: "FEMALE", birthDate: new Date("1970-01-01") } });
    await db.patientLink.create({ data: { patientId: "p1", id: "l1", facilityId: "fB", localPatientId: "B-1" } });
    const b = { ...valid, code: "2210000002", name: "施設B", kind: "CLINIC", nameKana: null, address: null, phone: null, contactName: null, contactEmail: null };
    await expect(updateFacility(admin, "fB", { ...b, code: "2210000093" })).rejects.toMatchObject({ fields: { code: "CODE_IN_USE" } });
    expect((await db.facility.findUniqueOrThrow({ where: { id: "fB" } })).code).toBe("2210000002");
    const f = await db.facility.findUniqueOrThrow({ where: { code: valid.code } });
    expect((await updateFacility(admin, f.id, { ...valid, code: "2210100125", name: "つなぐ新病院 本院", canBreakGlass: true })).changed).toEqual(["code"]);
  });
});

describe("suspension acts at once", () => {
  it("ends the facility's sessions, refuses its users' next request and login and its API keys; reinstating lets them back (twins)", async () => {
    const session = await checkLogin({ loginId: "clerkB", password: PW, code: "" }, "10.0.0.9");
    expect(session).not.toBeNull();
    expect(await checkSession(db, session!.sid, new Date())).not.toBeNull();
    const { key } = await issueKeyFor(admin, "fB");
    expect((await push(key)).status).toBe(400); // past the key and the facility's right: the body is wrong

    await expect(suspendFacility(doctor, "fB")).rejects.toMatchObject({ reason: "NOT_NETWORK_ADMINISTRATOR" });
    await expect(suspendFacility(admin, "fA")).rejects.toMatchObject({ reason: "OWN_FACILITY" });
    expect(await suspendFacility(admin, "fB")).toEqual({ sessionsEnded: 1 });

    expect(await checkSession(db, session!.sid, new Date())).toBeNull();
    // told why, once both factors are right (clerkB has no second factor yet: the password is all it has);
    // a wrong password learns nothing about the account
    await expect(checkLogin({ loginId: "clerkB", password: PW, code: "" }, "10.0.0.9")).rejects.toMatchObject({ reason: "FACILITY_SUSPENDED" });
    expect(await checkLogin({ loginId: "clerkB", password: "wrong-password-1", code: "" }, "10.0.0.9")).toBeNull();
    expect((await push(key)).status).toBe(403);
    expect((await audits("FACILITY_SUSPENDED")).at(-1)).toMatchObject({ actorId: "adm", detail: { facilityId: "fB", before: { status: "ACTIVE" }, after: { status: "SUSPENDED" }, sessionsEnded: 1, keysRefused: 1, recordsWithheld: false } });
    await expect(issueKeyFor(admin, "fB")).rejects.toMatchObject({ reason: "FACILITY_SUSPENDED" });

    await expect(reinstateFacility(clerkB, "fB")).rejects.toBeInstanceOf(FacilityAdminRefusedError);
    await reinstateFacility(admin, "fB");
    expect((await push(key)).status).toBe(400);
    expect(await checkLogin({ loginId: "clerkB", password: PW, code: "" }, "10.0.0.9")).not.toBeNull();
    // the session ended by the suspension stays ended
    expect(await checkSession(db, session!.sid, new Date())).toBeNull();
    expect((await audits("FACILITY_REINSTATED")).at(-1)).toMatchObject({ detail: { facilityId: "fB", after: { status: "ACTIVE" } } });
  });
});

describe("push keys on the facility page", () => {
  it("issues a key that works once shown, shows its last use, and revoking stops it; a non-administrator may do neither (twins)", async () => {
    await expect(issueKeyFor(doctor, "fA")).rejects.toMatchObject({ reason: "NOT_NETWORK_ADMINISTRATOR" });
    const { id, key } = await issueKeyFor(admin, "fA");
    expect(key).toMatch(/^tsk_/);
    expect((await getFacility(admin, "fA")).keys.find((k) => k.id === id)).toMatchObject({ createdBy: "admin:adm", revokedAt: null, lastUsedAt: null });
    expect((await push(key)).status).toBe(400);
    const page = await getFacility(admin, "fA");
    expect(page.keys.find((k) => k.id === id)?.lastUsedAt).not.toBeNull();
    expect(page.effect.liveKeys).toBe(1);
    expect(JSON.stringify(page)).not.toContain(key);
    expect((await audits("FACILITY_KEY_ISSUED")).at(-1)).toMatchObject({ actorId: "adm", detail: { keyId: id } });

    await expect(revokeKeyOf(doctor, "fA", id)).rejects.toBeInstanceOf(FacilityAdminRefusedError);
    await revokeKeyOf(admin, "fA", id);
    expect((await push(key)).status).toBe(401);
    await expect(revokeKeyOf(admin, "fA", id)).rejects.toMatchObject({ fields: { key: "ALREADY_REVOKED" } });
    expect((await audits("FACILITY_KEY_REVOKED")).at(-1)).toMatchObject({ actorId: "adm", detail: { keyIds: [id] } });
  });

  it("a facility that does not disclose gets no key (twin: the 開示施設 above)", async () => {
    await db.facility.update({ where: { id: "fB" }, data: { discloses: false } });
    await expect(issueKeyFor(admin, "fB")).rejects.toMatchObject({ reason: "FACILITY_NOT_DISCLOSING" });
  });

  it("the facility page is the administrator's only, and a missing facility is its own error", async () => {
    await expect(getFacility(clerkB, "fA")).rejects.toBeInstanceOf(FacilityAdminRefusedError);
    expect((await getFacility(admin, "fA")).facility).toMatchObject({ code: "2210000001", status: "ACTIVE" });
    await expect(getFacility(admin, "nope")).rejects.toThrow("no such facility");
    await expect(updateFacility(admin, "fA", { ...valid, code: "x" })).rejects.toBeInstanceOf(FacilityFieldsError);
  });
});
