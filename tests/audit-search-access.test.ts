import { describe, expect, it } from "vitest";
import { decideAuditSearch } from "../lib/access/audit-search";
import type { Profession } from "../lib/access/decide";
import { actorFactsFor } from "./helpers/facts";

describe("decideAuditSearch: the network administrator only", () => {
  const admin = actorFactsFor("ADMIN");
  it("allows an active administrator with a complete login at an active facility", () => {
    expect(decideAuditSearch(admin)).toEqual({ allow: true });
  });
  // each deny one fact away from the allow above
  it.each<[string, Partial<typeof admin>, string]>([
    ["a half-finished login", { loginComplete: false }, "LOGIN_INCOMPLETE"],
    ["an inactive account", { active: false }, "NOT_ADMINISTRATOR"],
    ["a suspended facility", { facilityActive: false }, "NOT_ADMINISTRATOR"],
  ])("refuses %s", (_, over, reason) => {
    expect(decideAuditSearch({ ...admin, ...over })).toEqual({ allow: false, reason });
  });
  it.each<Profession>(["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY", "CLERK"])("refuses a %s, however complete the login", (p) => {
    expect(decideAuditSearch(actorFactsFor(p))).toEqual({ allow: false, reason: "NOT_ADMINISTRATOR" });
  });
  it("a half-finished login is refused as such even for a non-administrator (the login step comes first)", () => {
    expect(decideAuditSearch(actorFactsFor("DOCTOR", { loginComplete: false }))).toEqual({ allow: false, reason: "LOGIN_INCOMPLETE" });
  });
});
