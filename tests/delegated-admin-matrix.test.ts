import { describe, expect, it } from "vitest";
import { decideFacilityAdministration, type FacilityAdminAction, type FacilityFacts } from "../lib/access/facility-admin";
import { decideAuditSearch } from "../lib/access/audit-search";
import { decideAccountAdministration, type AccountAdminFacts } from "../lib/access/account-admin";
import { actorFactsFor } from "./helpers/facts";

/**
 * The administration decisions as one matrix (issue 16): network administrator vs facility
 * administrator (施設管理者) × their own facility vs another × every facility and audit action. A
 * facility administrator runs their own facility's accounts (tests/account-admin-access.test.ts),
 * but manages no facility — not even their own: editing its roles, suspending or reinstating it, or
 * issuing its push key would let one facility change what it sends or who it lets in — and does not
 * read the network's audit trail. Each deny beside its allow twin: the network administrator on the
 * same facility.
 */
const network: AccountAdminFacts = { ...actorFactsFor("ADMIN", { userId: "net", facilityId: "fA" }), facilityAdministrator: false };
const facilityAdmin: AccountAdminFacts = { ...actorFactsFor("CLERK", { userId: "fadm", facilityId: "fB" }), facilityAdministrator: true };
const fB: FacilityFacts = { id: "fB", active: true, discloses: true };
const fC: FacilityFacts = { id: "fC", active: true, discloses: true };
const on = (f: FacilityFacts): FacilityAdminAction[] => [
  { kind: "VIEW_ONE", facility: f },
  { kind: "EDIT", facility: f },
  { kind: "SUSPEND", facility: f },
  { kind: "REINSTATE", facility: { ...f, active: false } },
  { kind: "ISSUE_KEY", facility: f },
  { kind: "REVOKE_KEY", facility: f },
];
const networkWide: FacilityAdminAction[] = [{ kind: "VIEW" }, { kind: "CREATE" }, { kind: "REVIEW_IDENTITY" }, { kind: "DECIDE_IDENTITY" }, { kind: "VIEW_DASHBOARD" }];
const deny = (reason: string) => ({ allow: false, reason });

describe("facility actions: a facility administrator manages no facility, own or other; the network administrator does (twins)", () => {
  it.each([
    ["their own facility", fB],
    ["another facility", fC],
  ] as const)("on %s", (_which, f) => {
    for (const action of on(f)) {
      expect(decideFacilityAdministration(facilityAdmin, action), action.kind).toEqual(deny("NOT_NETWORK_ADMINISTRATOR"));
      expect(decideFacilityAdministration(network, action), action.kind).toEqual({ allow: true });
    }
  });

  it("the network-wide ones (the list, a new facility, identity review, the dashboard) likewise", () => {
    for (const action of networkWide) {
      expect(decideFacilityAdministration(facilityAdmin, action), action.kind).toEqual(deny("NOT_NETWORK_ADMINISTRATOR"));
      expect(decideFacilityAdministration(network, action), action.kind).toEqual({ allow: true });
    }
  });

  it("the one facility the network administrator may not suspend is their own (twin: another's above)", () => {
    expect(decideFacilityAdministration(network, { kind: "SUSPEND", facility: { ...fB, id: "fA" } })).toEqual(deny("OWN_FACILITY"));
  });
});

describe("the audit trail: the network's, not one facility's administrator's", () => {
  it("a facility administrator may not search, open or export it; the network administrator may (twin)", () => {
    expect(decideAuditSearch(facilityAdmin)).toEqual(deny("NOT_ADMINISTRATOR"));
    expect(decideAuditSearch(network)).toEqual({ allow: true });
  });
});

describe("accounts: own facility vs another, the same facility administrator", () => {
  it.each(["VIEW", "CREATE", "RECORD_LICENCE_CHECK", "UNLOCK", "DEACTIVATE", "REACTIVATE", "END_SESSIONS", "RESET_PASSWORD", "RESET_SECOND_FACTOR"] as const)("%s: allowed at fB (their own), refused at fC; the network administrator at fC (twin)", (action) => {
    const account = (facilityId: string) => ({ userId: action === "CREATE" ? null : "dr", facilityId, profession: "DOCTOR" as const, facilityAdministrator: false, createdById: "someone-else" });
    expect(decideAccountAdministration(facilityAdmin, action, account("fB"))).toEqual({ allow: true });
    expect(decideAccountAdministration(facilityAdmin, action, account("fC"))).toEqual(deny("OTHER_FACILITY"));
    expect(decideAccountAdministration(network, action, account("fC"))).toEqual({ allow: true });
  });
});
