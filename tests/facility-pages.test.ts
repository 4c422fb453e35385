import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { getFacility, listFacilities, mayManageFacilities } from "../lib/network";
import { facilityErrorText } from "../components/facility-messages";
import { messages } from "../lib/i18n/messages";

/**
 * The facility pages and their server actions, as each runs once requireActor has named the user:
 * every one refuses a non-administrator (nothing written, the page says why) and its twin lets the
 * network administrator through.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
let forms: typeof import("../app/actions/facility-forms");
let orRefusal: typeof import("../app/(app)/admin/facilities/or-refusal").orRefusal;
const admin = testActor("fA", "ADMIN", { userId: "adm", loginId: "adm" });
const doctor = testActor("fA", "DOCTOR", { userId: "doc" });
const form = (fields: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  return fd;
};
const NEW = { code: "2230100113", name: "はなみずき歯科", nameKana: "", kind: "DENTAL_CLINIC", prefecture: "静岡県", discloses: "on", views: "on", address: "", phone: "", contactName: "院長", contactEmail: "", joinedOn: "2026-12-01" };

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  forms = await import("../app/actions/facility-forms");
  ({ orRefusal } = await import("../app/(app)/admin/facilities/or-refusal"));
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL", prefecture: "静岡県" } });
  await db.facility.create({ data: { id: "fB", code: "2210000002", name: "施設B", kind: "CLINIC", prefecture: "静岡県" } });
});
afterAll(async () => {
  await ctx?.close();
});

describe("the pages", () => {
  it("the list and a facility's page tell a non-administrator why not; the administrator sees them (twins)", async () => {
    expect(await orRefusal(() => listFacilities(doctor, {}))).toEqual({ refused: "NOT_NETWORK_ADMINISTRATOR" });
    expect(await orRefusal(() => getFacility(doctor, "fB"))).toEqual({ refused: "NOT_NETWORK_ADMINISTRATOR" });
    const list = await orRefusal(() => listFacilities(admin, {}));
    expect("value" in list && list.value.rows.map((r) => r.id)).toEqual(["fA", "fB"]);
    const page = await orRefusal(() => getFacility(admin, "fB"));
    expect("value" in page && page.value.facility.name).toBe("施設B");
  });
  it("the add page is offered to the administrator only", () => {
    expect(mayManageFacilities(doctor)).toBe(false);
    expect(mayManageFacilities(admin)).toBe(true);
  });
});

describe("the actions", () => {
  it("adding: refused to a non-administrator with nothing written; the administrator's form goes to the new facility", async () => {
    expect(await forms.saveFacility(doctor, form(NEW))).toMatchObject({ errors: { form: "NOT_NETWORK_ADMINISTRATOR" } });
    expect(await db.facility.count({ where: { code: NEW.code } })).toBe(0);
    const saved = await forms.saveFacility(admin, form(NEW));
    const f = await db.facility.findUniqueOrThrow({ where: { code: NEW.code } });
    expect(saved).toEqual({ next: `/admin/facilities/${f.id}?done=created` });
    // an unticked checkbox is "no": the dental clinic may not break glass
    expect(f).toMatchObject({ kind: "DENTAL_CLINIC", discloses: true, views: true, canBreakGlass: false, contactName: "院長", nameKana: null });
  });
  it("a wrong form comes back with each field's problem, filled in as it was sent", async () => {
    const wrong = await forms.saveFacility(admin, form({ ...NEW, code: "2210100114", discloses: "", views: "" }));
    expect(wrong).toEqual({ errors: { code: "CODE_TABLE_KIND", roles: "ROLE_REQUIRED" }, values: expect.objectContaining({ code: "2210100114", name: NEW.name, discloses: false, views: false }) });
  });
  it("a code with a mistyped check digit comes back asking for confirmation; ticking the box registers it", async () => {
    const slip = { ...NEW, code: "2230100114", name: "はなみずき歯科 分院" };
    expect(await forms.saveFacility(admin, form(slip))).toEqual({ errors: { code: "CODE_CHECK_DIGIT" }, values: expect.objectContaining({ code: "2230100114", acceptCheckDigit: false }) });
    expect(await db.facility.count({ where: { code: "2230100114" } })).toBe(0);
    expect(await forms.saveFacility(admin, form({ ...slip, acceptCheckDigit: "on" }))).toMatchObject({ next: expect.stringMatching(/done=created$/) });
    expect(await db.facility.count({ where: { code: "2230100114" } })).toBe(1);
  });
  it("a 医療機関コード typed in full-width digits is the same code to the form and to the search; a code that is not digits is refused by both (twin)", async () => {
    const wide = { ...NEW, code: "２２１０１００１２５", name: "ひかり内科", kind: "CLINIC" };
    // the search finds nobody by a code not yet registered, in either width
    const found = async (q: string) => {
      const l = await orRefusal(() => listFacilities(admin, { q }));
      return "value" in l ? l.value.rows.map((r) => r.code) : l;
    };
    expect(await found("２２１０１００１２５")).toEqual([]);
    expect(await forms.saveFacility(admin, form(wide))).toMatchObject({ next: expect.stringMatching(/done=created$/) });
    const f = await db.facility.findUniqueOrThrow({ where: { code: "2210100125" } });
    expect(f.name).toBe("ひかり内科");
    expect(await found("２２１０１００１２５")).toEqual(["2210100125"]);
    expect(await found("２２１０１")).toEqual(["2210100125"]);
    expect(await found("2210100125")).toEqual(["2210100125"]);
    // not digits in any width: refused with the message that says full-width digits would do
    expect(await forms.saveFacility(admin, form({ ...wide, code: "２２１０１ＡＢ１２５", name: "ひかり内科 別館" }))).toMatchObject({ errors: { code: "CODE_FORMAT" } });
    expect(facilityErrorText(messages.ja, "CODE_FORMAT")).toContain("全角の数字も使えます");
    expect(facilityErrorText(messages.en, "CODE_FORMAT")).toContain("full-width digits are accepted");
  });

  it("a facility of the same name as another (another code) is not added until the administrator confirms, told which one and its code; a new name is added at once (twin)", async () => {
    const again = { ...NEW, code: "2210100133", name: " 施設Ａ ", kind: "CLINIC" }; // 施設A, typed with a full-width Ａ and spaces
    const asked = await forms.saveFacility(admin, form(again));
    expect(asked).toMatchObject({ errors: { name: "NAME_IN_USE" }, sameName: { name: "施設A", code: "2210000001" }, values: expect.objectContaining({ code: "2210100133" }) });
    expect(await db.facility.count({ where: { code: "2210100133" } })).toBe(0);
    expect(messages.ja.adminChecks.sameName("施設A", "2210000001")).toContain("「施設A」（医療機関コード 2210000001）が既に登録されています");
    expect(await forms.saveFacility(admin, form({ ...again, acceptSameName: "on" }))).toMatchObject({ next: expect.stringMatching(/done=created$/) });
    const created = await db.facility.findUniqueOrThrow({ where: { code: "2210100133" } });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "FACILITY_CREATED", detail: { path: ["facilityId"], equals: created.id } } });
    expect(event.detail).toMatchObject({ sameNameAs: "2210000001" });
    // the twin: a name nobody has is added without a question
    expect(await forms.saveFacility(admin, form({ ...again, code: "2210100141", name: "みどり内科" }))).toMatchObject({ next: expect.stringMatching(/done=created$/) });
  });

  it("a button for a facility that does not exist goes back to the list, which says so in both languages; an existing one's goes back to its page (twin)", async () => {
    expect(await forms.facilityOperation(admin, form({ facilityId: "fac-gone", op: "reinstate" }))).toBe("/admin/facilities?error=NOT_FOUND");
    expect(facilityErrorText(messages.ja, "NOT_FOUND")).toBe("施設が見つかりません。");
    expect(facilityErrorText(messages.en, "NOT_FOUND")).toBe("No such facility.");
    expect(await forms.facilityOperation(admin, form({ facilityId: "fB", op: "reinstate" }))).toBe("/admin/facilities/fB?error=NOT_SUSPENDED");
  });

  it("editing: refused to a non-administrator; the administrator's save says whether anything changed", async () => {
    const edit = { ...NEW, facilityId: "fB", code: "2210000002", name: "施設B 分院", kind: "CLINIC" };
    expect(await forms.saveFacility(doctor, form(edit))).toMatchObject({ errors: { form: "NOT_NETWORK_ADMINISTRATOR" } });
    expect(await forms.saveFacility(admin, form(edit))).toEqual({ next: "/admin/facilities/fB?done=updated" });
    expect(await forms.saveFacility(admin, form(edit))).toEqual({ next: "/admin/facilities/fB?done=unchanged" });
  });
  it("suspending and reinstating: refused to a non-administrator; done by the administrator (twins)", async () => {
    expect(await forms.facilityOperation(doctor, form({ facilityId: "fB", op: "suspend" }))).toBe("/admin/facilities/fB?error=NOT_NETWORK_ADMINISTRATOR");
    expect((await db.facility.findUniqueOrThrow({ where: { id: "fB" } })).status).toBe("ACTIVE");
    expect(await forms.facilityOperation(admin, form({ facilityId: "fB", op: "suspend" }))).toBe("/admin/facilities/fB?done=suspended");
    expect((await db.facility.findUniqueOrThrow({ where: { id: "fB" } })).status).toBe("SUSPENDED");
    expect(await forms.facilityOperation(doctor, form({ facilityId: "fB", op: "reinstate" }))).toBe("/admin/facilities/fB?error=NOT_NETWORK_ADMINISTRATOR");
    expect(await forms.facilityOperation(admin, form({ facilityId: "fB", op: "reinstate" }))).toBe("/admin/facilities/fB?done=reinstated");
    expect(await forms.facilityOperation(admin, form({ facilityId: "fB", op: "explode" }))).toBe("/admin/facilities/fB?error=INVALID");
  });
  it("issuing and revoking a key: refused to a non-administrator; the administrator gets the key once (twins)", async () => {
    expect(await forms.issueKey(doctor, form({ facilityId: "fB" }))).toEqual({ error: "NOT_NETWORK_ADMINISTRATOR" });
    const issued = await forms.issueKey(admin, form({ facilityId: "fB" }));
    expect(issued.issued?.key).toMatch(/^tsk_/);
    const keyId = issued.issued!.id;
    expect(await forms.facilityOperation(doctor, form({ facilityId: "fB", op: "revoke", keyId }))).toBe("/admin/facilities/fB?error=NOT_NETWORK_ADMINISTRATOR");
    expect(await forms.facilityOperation(admin, form({ facilityId: "fB", op: "revoke", keyId }))).toBe("/admin/facilities/fB?done=revoked");
    expect(await forms.facilityOperation(admin, form({ facilityId: "fB", op: "revoke", keyId }))).toBe("/admin/facilities/fB?error=ALREADY_REVOKED");
  });

  it("the suspension's confirmation says the users' FHIR API tokens are revoked and stay revoked after reinstatement, and the reinstatement says so too (ja/en)", async () => {
    const { renderToStaticMarkup } = await import("react-dom/server");
    const { createElement } = await import("react");
    const { SuspensionEffects, ReinstateNote } = await import("../components/SuspensionEffects");
    await db.user.create({ data: { id: "nurseB", loginId: "nurseB", name: "看護B", profession: "NURSE", facilityId: "fB", passwordHash: "x" } });
    await db.apiToken.create({ data: { id: "tok-b", userId: "nurseB", hash: "h-tok-b", expiresAt: new Date(Date.now() + 3_600_000) } });
    const page = await orRefusal(() => getFacility(admin, "fB"));
    if (!("value" in page)) throw new Error("refused");
    expect(page.value.effect.liveTokens).toBe(1);
    const ja = renderToStaticMarkup(createElement(SuspensionEffects, { effect: page.value.effect, t: messages.ja }));
    expect(ja).toContain("この施設の利用者の FHIR API トークン（有効なもの 1 件）は直ちに失効し、参加を再開しても元に戻りません。");
    const en = renderToStaticMarkup(createElement(SuspensionEffects, { effect: page.value.effect, t: messages.en }));
    expect(en).toContain("FHIR API tokens (1 in force) are revoked at once and stay revoked after reinstatement: its users must issue new ones.");
    // what the page says is what happens: suspended and reinstated, the token stays revoked
    expect(await forms.facilityOperation(admin, form({ facilityId: "fB", op: "suspend" }))).toBe("/admin/facilities/fB?done=suspended");
    expect(await forms.facilityOperation(admin, form({ facilityId: "fB", op: "reinstate" }))).toBe("/admin/facilities/fB?done=reinstated");
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: "tok-b" } })).revokedAt).not.toBeNull();
    expect(renderToStaticMarkup(createElement(ReinstateNote, { t: messages.ja }))).toContain("停止時に失効した利用者の FHIR API トークンは戻りません。");
    expect(renderToStaticMarkup(createElement(ReinstateNote, { t: messages.en }))).toContain("FHIR API tokens revoked at suspension stay revoked: a user whose system reads the FHIR API must issue a new token.");
  });
});
