import { describe, expect, it } from "vitest";
import { decideFacilityAdministration, type FacilityAdminAction, type FacilityFacts } from "../lib/access/facility-admin";
import type { Profession } from "../lib/access/decide";
import { actorFactsFor } from "./helpers/facts";
import { checkDigitHolds, institutionCodeProblem } from "../lib/network/institution-code";
import { parseFacilityInput } from "../lib/network/facility-input";

/** Who may manage facilities: the matrix, every deny beside its allow twin one fact away. */
const admin = actorFactsFor("ADMIN", { userId: "adm", facilityId: "fA" });
const other: FacilityFacts = { id: "fB", active: true, discloses: true };
const every: FacilityAdminAction[] = [
  { kind: "VIEW" },
  { kind: "VIEW_ONE", facility: other },
  { kind: "CREATE" },
  { kind: "EDIT", facility: other },
  { kind: "SUSPEND", facility: other },
  { kind: "ISSUE_KEY", facility: other },
  { kind: "REVOKE_KEY", facility: other },
  { kind: "REINSTATE", facility: { ...other, active: false } },
  { kind: "REVIEW_IDENTITY" },
  { kind: "DECIDE_IDENTITY" },
  { kind: "VIEW_DASHBOARD" },
];

describe("decideFacilityAdministration: the network administrator only", () => {
  it.each(every.map((a) => [a.kind, a] as const))("%s: the administrator may; every other profession may not (twins)", (_k, action) => {
    expect(decideFacilityAdministration(admin, action)).toEqual({ allow: true });
    for (const p of ["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY", "CLERK"] as Profession[]) {
      expect(decideFacilityAdministration({ ...admin, profession: p }, action)).toEqual({ allow: false, reason: "NOT_NETWORK_ADMINISTRATOR" });
    }
  });

  it.each(every.map((a) => [a.kind, a] as const))("%s: a half-finished login, a deactivated administrator, or one at a suspended facility may not (twins: the administrator above)", (_k, action) => {
    expect(decideFacilityAdministration({ ...admin, loginComplete: false }, action)).toEqual({ allow: false, reason: "LOGIN_INCOMPLETE" });
    expect(decideFacilityAdministration({ ...admin, active: false }, action)).toEqual({ allow: false, reason: "NOT_NETWORK_ADMINISTRATOR" });
    expect(decideFacilityAdministration({ ...admin, facilityActive: false }, action)).toEqual({ allow: false, reason: "NOT_NETWORK_ADMINISTRATOR" });
  });

  it("nobody suspends their own facility; another's they may", () => {
    expect(decideFacilityAdministration(admin, { kind: "SUSPEND", facility: { ...other, id: "fA" } })).toEqual({ allow: false, reason: "OWN_FACILITY" });
    expect(decideFacilityAdministration(admin, { kind: "SUSPEND", facility: other })).toEqual({ allow: true });
  });

  it("suspends only an active facility and reinstates only a suspended one", () => {
    expect(decideFacilityAdministration(admin, { kind: "SUSPEND", facility: { ...other, active: false } })).toEqual({ allow: false, reason: "ALREADY_SUSPENDED" });
    expect(decideFacilityAdministration(admin, { kind: "REINSTATE", facility: other })).toEqual({ allow: false, reason: "NOT_SUSPENDED" });
    expect(decideFacilityAdministration(admin, { kind: "REINSTATE", facility: { ...other, active: false } })).toEqual({ allow: true });
  });

  it("issues a push key only to an active 開示施設; revokes whatever the facility's state", () => {
    expect(decideFacilityAdministration(admin, { kind: "ISSUE_KEY", facility: { ...other, active: false } })).toEqual({ allow: false, reason: "FACILITY_SUSPENDED" });
    expect(decideFacilityAdministration(admin, { kind: "ISSUE_KEY", facility: { ...other, discloses: false } })).toEqual({ allow: false, reason: "FACILITY_NOT_DISCLOSING" });
    expect(decideFacilityAdministration(admin, { kind: "ISSUE_KEY", facility: other })).toEqual({ allow: true });
    expect(decideFacilityAdministration(admin, { kind: "REVOKE_KEY", facility: { id: "fB", active: false, discloses: false } })).toEqual({ allow: true });
  });
});

describe("医療機関コード: prefecture 2 (01–47) + 点数表 1 + institution 7", () => {
  it("names the first thing wrong, each beside a valid twin", () => {
    expect(institutionCodeProblem("2210100114", "HOSPITAL", "静岡県")).toBeNull();
    expect(institutionCodeProblem("221010011", "HOSPITAL", "静岡県")).toBe("CODE_FORMAT");
    expect(institutionCodeProblem("22101001１4", "HOSPITAL", "静岡県")).toBe("CODE_FORMAT");
    expect(institutionCodeProblem("4810100114", "HOSPITAL", null)).toBe("CODE_PREFECTURE");
    expect(institutionCodeProblem("0010100114", "HOSPITAL", null)).toBe("CODE_PREFECTURE");
    expect(institutionCodeProblem("4710100114", "HOSPITAL", "沖縄県")).toBeNull();
    expect(institutionCodeProblem("2220100114", null, null)).toBe("CODE_TABLE");
    expect(institutionCodeProblem("2210100114", "PHARMACY", "静岡県")).toBe("CODE_TABLE_KIND");
    expect(institutionCodeProblem("2240100114", "PHARMACY", "静岡県")).toBeNull();
    expect(institutionCodeProblem("2230100114", "DENTAL_CLINIC", "静岡県")).toBeNull();
    expect(institutionCodeProblem("2210100114", "HOSPITAL", "東京都")).toBe("CODE_PREFECTURE_MISMATCH");
    // the published JP-CLINS examples' hospital, whose 検証番号 does not follow the modulus-10 rule
    expect(institutionCodeProblem("1318814790", "HOSPITAL", "東京都")).toBeNull();
  });

  it("the 検証番号 holds for real codes and fails for each single mistyped digit and a swap of neighbours", () => {
    // a code printed on prescriptions (the Wikipedia example) and the codes this suite registers
    for (const code of ["0110113719", "2210100117", "2210100125", "2230100113", "2240100111"]) expect(checkDigitHolds(code)).toBe(true);
    for (let i = 0; i < 10; i++) {
      const d = Number("0110113719"[i]);
      const slipped = `${"0110113719".slice(0, i)}${(d + 1) % 10}${"0110113719".slice(i + 1)}`;
      expect(checkDigitHolds(slipped)).toBe(false);
    }
    expect(checkDigitHolds("0110113179")).toBe(false); // 7 and 1 swapped
    expect(checkDigitHolds("1318814790")).toBe(false); // the JP-CLINS sample: accepted only when the administrator confirms it
    expect(checkDigitHolds("011011371")).toBe(false);
  });
});

describe("the facility form's input", () => {
  const valid = { code: "2210100114", name: "テスト病院", nameKana: "テストビョウイン", kind: "HOSPITAL", prefecture: "静岡県", discloses: true, views: true, canBreakGlass: true, address: "", phone: "054-000-0000", contactName: "連携室", contactEmail: "a@example.jp", joinedOn: "2026-04-01" };
  it("accepts a complete facility, blank optional fields as null", () => {
    const p = parseFacilityInput(valid);
    expect(p).toMatchObject({ ok: true, data: { address: null, nameKana: "テストビョウイン" } });
  });
  it("reports every wrong field at once, each with its own code", () => {
    const p = parseFacilityInput({ ...valid, code: "99", name: " ", kind: "SPA", contactEmail: "nope", joinedOn: "2026-02-30", phone: "abc", nameKana: "てすと" });
    expect(p).toEqual({ ok: false, fields: { code: "CODE_FORMAT", name: "REQUIRED", kind: "REQUIRED", contactEmail: "EMAIL", joinedOn: "DATE", phone: "PHONE", nameKana: "KANA" } });
  });
  it("a facility must disclose or view; break-glass needs viewing (twins: views on)", () => {
    expect(parseFacilityInput({ ...valid, discloses: false, views: false, canBreakGlass: false })).toEqual({ ok: false, fields: { roles: "ROLE_REQUIRED" } });
    expect(parseFacilityInput({ ...valid, views: false, canBreakGlass: true })).toEqual({ ok: false, fields: { roles: "BREAK_GLASS_NEEDS_VIEWS" } });
    expect(parseFacilityInput({ ...valid, views: true, discloses: false, canBreakGlass: true }).ok).toBe(true);
  });
});
