import { describe, expect, it } from "vitest";
import { accountScope, ACCOUNT_ACTIONS, decideAccountAdministration, type AccountAction, type AccountAdminFacts, type AccountFacts } from "../lib/access/account-admin";
import type { Profession } from "../lib/access/decide";
import { actorFactsFor } from "./helpers/facts";

/**
 * Who manages which accounts: (network administrator × facility administrator × clinician) × (own
 * facility × other facility) × every action, each deny beside its allow twin one fact away.
 */
const network: AccountAdminFacts = { ...actorFactsFor("ADMIN", { userId: "net", facilityId: "fA" }), facilityAdministrator: false };
const facilityAdmin: AccountAdminFacts = { ...actorFactsFor("CLERK", { userId: "fadm", facilityId: "fA" }), facilityAdministrator: true };
const clinician: AccountAdminFacts = { ...actorFactsFor("DOCTOR", { userId: "dr", facilityId: "fA" }), facilityAdministrator: false };

/** a doctor at fA created by someone else, who is a facility administrator only where the action needs one */
const account = (action: AccountAction, over: Partial<AccountFacts> = {}): AccountFacts => ({
  userId: action === "CREATE" ? null : "target",
  facilityId: "fA",
  profession: "DOCTOR",
  facilityAdministrator: action === "REVOKE_FACILITY_ADMINISTRATOR",
  createdById: "someone-else",
  ...over,
});
const FACILITY_ACTIONS = ACCOUNT_ACTIONS.filter((a) => a !== "GRANT_FACILITY_ADMINISTRATOR" && a !== "REVOKE_FACILITY_ADMINISTRATOR");
const allow = { allow: true };
const deny = (reason: string) => ({ allow: false, reason });

describe("decideAccountAdministration: the matrix", () => {
  it.each(ACCOUNT_ACTIONS.map((a) => [a]))("%s: the network administrator, on their own facility's account and another's", (action) => {
    expect(decideAccountAdministration(network, action, account(action))).toEqual(allow);
    expect(decideAccountAdministration(network, action, account(action, { facilityId: "fB" }))).toEqual(allow);
  });

  it.each(FACILITY_ACTIONS.map((a) => [a]))("%s: a facility administrator on their own facility's account (allow), another facility's (deny)", (action) => {
    expect(decideAccountAdministration(facilityAdmin, action, account(action))).toEqual(allow);
    expect(decideAccountAdministration(facilityAdmin, action, account(action, { facilityId: "fB" }))).toEqual(deny("OTHER_FACILITY"));
  });

  it.each(ACCOUNT_ACTIONS.map((a) => [a]))("%s: a clinician may not, at their own facility or another (twin: the same person made facility administrator)", (action) => {
    expect(decideAccountAdministration(clinician, action, account(action))).toEqual(deny("NOT_ADMINISTRATOR"));
    expect(decideAccountAdministration(clinician, action, account(action, { facilityId: "fB" }))).toEqual(deny("NOT_ADMINISTRATOR"));
    const promoted = decideAccountAdministration({ ...clinician, facilityAdministrator: true }, action, account(action));
    expect(promoted).toEqual(action.endsWith("FACILITY_ADMINISTRATOR") ? deny("NETWORK_ADMINISTRATOR_ONLY") : allow);
  });

  it.each(ACCOUNT_ACTIONS.map((a) => [a]))("%s: a half-finished login, a deactivated administrator, or one at a suspended facility may not (twins above)", (action) => {
    for (const who of [network, facilityAdmin]) {
      expect(decideAccountAdministration({ ...who, loginComplete: false }, action, account(action))).toEqual(deny("LOGIN_INCOMPLETE"));
      expect(decideAccountAdministration({ ...who, active: false }, action, account(action))).toEqual(deny("NOT_ADMINISTRATOR"));
      expect(decideAccountAdministration({ ...who, facilityActive: false }, action, account(action))).toEqual(deny("NOT_ADMINISTRATOR"));
    }
  });

  it.each(FACILITY_ACTIONS.map((a) => [a]))("%s: a facility administrator never acts on (or creates) a network administrator's account; a clerk's they may", (action) => {
    expect(decideAccountAdministration(facilityAdmin, action, account(action, { profession: "ADMIN" }))).toEqual(deny("NETWORK_ADMINISTRATOR_ACCOUNT"));
    expect(decideAccountAdministration(facilityAdmin, action, account(action, { profession: "CLERK" }))).toEqual(allow);
  });

  it("only the network administrator grants or revokes facility-administrator rights", () => {
    expect(decideAccountAdministration(facilityAdmin, "GRANT_FACILITY_ADMINISTRATOR", account("GRANT_FACILITY_ADMINISTRATOR"))).toEqual(deny("NETWORK_ADMINISTRATOR_ONLY"));
    expect(decideAccountAdministration(facilityAdmin, "REVOKE_FACILITY_ADMINISTRATOR", account("REVOKE_FACILITY_ADMINISTRATOR"))).toEqual(deny("NETWORK_ADMINISTRATOR_ONLY"));
    expect(decideAccountAdministration(network, "GRANT_FACILITY_ADMINISTRATOR", account("GRANT_FACILITY_ADMINISTRATOR"))).toEqual(allow);
  });

  it("grants only to one who is not yet one, and never to a network administrator; revokes only from one who is", () => {
    expect(decideAccountAdministration(network, "GRANT_FACILITY_ADMINISTRATOR", account("GRANT_FACILITY_ADMINISTRATOR", { facilityAdministrator: true }))).toEqual(deny("ALREADY_FACILITY_ADMINISTRATOR"));
    expect(decideAccountAdministration(network, "GRANT_FACILITY_ADMINISTRATOR", account("GRANT_FACILITY_ADMINISTRATOR", { profession: "ADMIN" }))).toEqual(deny("NETWORK_ADMINISTRATOR_ACCOUNT"));
    expect(decideAccountAdministration(network, "REVOKE_FACILITY_ADMINISTRATOR", account("REVOKE_FACILITY_ADMINISTRATOR", { facilityAdministrator: false }))).toEqual(deny("NOT_FACILITY_ADMINISTRATOR"));
  });

  it("separation of duties: whoever created the account does not record its licence check, administrator of either kind", () => {
    for (const who of [network, facilityAdmin]) {
      expect(decideAccountAdministration(who, "RECORD_LICENCE_CHECK", account("RECORD_LICENCE_CHECK", { createdById: who.userId }))).toEqual(deny("SEPARATION_OF_DUTIES"));
      expect(decideAccountAdministration(who, "RECORD_LICENCE_CHECK", account("RECORD_LICENCE_CHECK", { createdById: "another" }))).toEqual(allow);
    }
  });

  it("one administrator does not reset both factors of an account: the other's pending reset by them is a refusal; by another, or none, an allow", () => {
    for (const who of [network, facilityAdmin]) {
      for (const action of ["RESET_PASSWORD", "RESET_SECOND_FACTOR"] as const) {
        expect(decideAccountAdministration(who, action, account(action, { otherFactorResetBy: who.userId }))).toEqual(deny("BOTH_FACTORS"));
        expect(decideAccountAdministration(who, action, account(action, { otherFactorResetBy: "another" }))).toEqual(allow);
        expect(decideAccountAdministration(who, action, account(action, { otherFactorResetBy: null }))).toEqual(allow);
      }
    }
  });

  it("nobody deactivates, resets or widens their own account; unlocking and ending one's own sessions stay possible", () => {
    for (const who of [network, facilityAdmin]) {
      for (const action of ["DEACTIVATE", "RESET_PASSWORD", "RESET_SECOND_FACTOR", "RECORD_LICENCE_CHECK"] as const) {
        expect(decideAccountAdministration(who, action, account(action, { userId: who.userId, profession: who.profession }))).toEqual(deny("SELF"));
      }
      for (const action of ["UNLOCK", "END_SESSIONS"] as const) expect(decideAccountAdministration(who, action, account(action, { userId: who.userId, profession: who.profession }))).toEqual(allow);
    }
    expect(decideAccountAdministration(network, "REVOKE_FACILITY_ADMINISTRATOR", account("REVOKE_FACILITY_ADMINISTRATOR", { userId: "net" }))).toEqual(deny("SELF"));
  });
});

describe("accountScope: whose accounts a user sees", () => {
  it("the network administrator every facility's, a facility administrator their own, nobody else any", () => {
    expect(accountScope(network)).toEqual({ allow: true, facilityId: null });
    expect(accountScope(facilityAdmin)).toEqual({ allow: true, facilityId: "fA" });
    for (const p of ["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY", "CLERK"] as Profession[]) {
      expect(accountScope({ ...facilityAdmin, profession: p, facilityAdministrator: false })).toEqual(deny("NOT_ADMINISTRATOR"));
      expect(accountScope({ ...facilityAdmin, profession: p })).toEqual({ allow: true, facilityId: "fA" });
    }
    expect(accountScope({ ...facilityAdmin, facilityActive: false })).toEqual(deny("NOT_ADMINISTRATOR"));
  });
});
