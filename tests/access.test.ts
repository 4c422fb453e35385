import { describe, expect, it } from "vitest";
import { decide, decideConsentManagement, type AccessFacts, type ActorFacts, type ConsentFact, type Decision, type GrantFact, type Profession, type Purpose, type Sensitivity } from "../lib/access/decide";
import { visibleKinds } from "../lib/access/data-kinds";

const NOW = new Date("2026-11-25T10:00:00Z");
const H = 3600_000;
const P = "pat-1";

function actor(over: Partial<ActorFacts> = {}): ActorFacts {
  return {
    userId: "u-1",
    profession: "DOCTOR",
    active: true,
    credentialVerified: true,
    facilityId: "fac-A",
    facilityActive: true,
    facilityViews: true,
    facilityCanBreakGlass: true,
    ...over,
  };
}

type ConsentState = "none" | "active" | "emergency-only" | "withdrawn" | "expired";
function consents(state: ConsentState, facilityId = "fac-A"): ConsentFact[] {
  const base: ConsentFact = { facilityId, scope: "FULL", status: "ACTIVE", expiresAt: null, withheldCategories: [], capturedAt: new Date(NOW.getTime() - 100 * H) };
  switch (state) {
    case "none":
      return [];
    case "active":
      return [base];
    case "emergency-only":
      return [{ ...base, scope: "EMERGENCY" }];
    case "withdrawn":
      return [{ ...base, status: "WITHDRAWN" }];
    case "expired":
      return [{ ...base, expiresAt: new Date(NOW.getTime() - H) }];
  }
}

type GrantState = "none" | "active" | "expired" | "ended";
function grants(state: GrantState, over: Partial<GrantFact> = {}): GrantFact[] {
  const base: GrantFact = { userId: "u-1", patientId: P, startedAt: new Date(NOW.getTime() - H), expiresAt: new Date(NOW.getTime() + 3 * H), endedAt: null, ...over };
  switch (state) {
    case "none":
      return [];
    case "active":
      return [base];
    case "expired":
      return [{ ...base, expiresAt: new Date(NOW.getTime() - 1) }];
    case "ended":
      return [{ ...base, endedAt: new Date(NOW.getTime() - 60_000) }];
  }
}

function facts(over: Partial<AccessFacts> = {}): AccessFacts {
  return { actor: actor(), patientId: P, purpose: "TREATMENT", consents: consents("active"), grants: [], now: NOW, ...over };
}

describe("decide: treatment reads by consent state", () => {
  const expected: Record<ConsentState, ReturnType<typeof decide>> = {
    none: { allow: false, reason: "NO_CONSENT" },
    active: { allow: true, scope: "FULL", withheld: [], basis: "CONSENT" },
    "emergency-only": { allow: true, scope: "EMERGENCY", withheld: [], basis: "CONSENT" },
    withdrawn: { allow: false, reason: "CONSENT_WITHDRAWN" },
    expired: { allow: false, reason: "CONSENT_EXPIRED" },
  };
  for (const [state, decision] of Object.entries(expected)) {
    it(`consent ${state} → ${decision.allow ? "allow" : "deny"}`, () => {
      expect(decide(facts({ consents: consents(state as ConsentState) }))).toEqual(decision);
    });
  }

  it("denies on another facility's consent, allows on its own (twin)", () => {
    expect(decide(facts({ consents: consents("active", "fac-B") }))).toEqual({ allow: false, reason: "NO_CONSENT" });
    expect(decide(facts({ consents: [...consents("active", "fac-B"), ...consents("active", "fac-A")] })).allow).toBe(true);
  });

  it("the newest consent row is in force: re-consent after withdrawal allows, withdrawal after consent denies", () => {
    const old = new Date(NOW.getTime() - 200 * H);
    const recent = new Date(NOW.getTime() - 2 * H);
    const withdrawnOld: ConsentFact = { ...consents("withdrawn")[0]!, capturedAt: old };
    const activeNew: ConsentFact = { ...consents("active")[0]!, capturedAt: recent };
    expect(decide(facts({ consents: [withdrawnOld, activeNew] })).allow).toBe(true);
    expect(decide(facts({ consents: [{ ...activeNew, capturedAt: old }, { ...withdrawnOld, capturedAt: recent }] }))).toEqual({ allow: false, reason: "CONSENT_WITHDRAWN" });
  });

  it("an expiry in the future allows; the instant it passes denies", () => {
    const c = consents("active")[0]!;
    expect(decide(facts({ consents: [{ ...c, expiresAt: new Date(NOW.getTime() + 1) }] })).allow).toBe(true);
    expect(decide(facts({ consents: [{ ...c, expiresAt: NOW }] }))).toEqual({ allow: false, reason: "CONSENT_EXPIRED" });
  });

  it("passes the patient's withheld categories on with the allow", () => {
    const c = { ...consents("active")[0]!, withheldCategories: ["PSYCHIATRIC" as const, "NORMAL" as const] };
    expect(decide(facts({ consents: [c] }))).toEqual({ allow: true, scope: "FULL", withheld: ["PSYCHIATRIC"], basis: "CONSENT" });
  });
});

describe("decide: who the actor is", () => {
  const cases: [string, Partial<ActorFacts>, string][] = [
    ["deactivated user", { active: false }, "USER_INACTIVE"],
    ["suspended facility", { facilityActive: false }, "FACILITY_SUSPENDED"],
    ["unverified licence", { credentialVerified: false }, "CREDENTIAL_UNVERIFIED"],
    ["facility that does not view", { facilityViews: false }, "FACILITY_NOT_VIEWER"],
    ["clerk", { profession: "CLERK" }, "PROFESSION_NOT_CLINICAL"],
    ["administrator", { profession: "ADMIN" }, "PROFESSION_NOT_CLINICAL"],
  ];
  for (const [name, over, reason] of cases) {
    it(`denies a ${name} even with consent; allows the same actor without that flaw (twin)`, () => {
      expect(decide(facts({ actor: actor(over) }))).toEqual({ allow: false, reason });
      expect(decide(facts({ actor: actor() })).allow).toBe(true);
    });
  }
  for (const profession of ["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY"] as Profession[]) {
    it(`allows a verified ${profession} with consent`, () => {
      expect(decide(facts({ actor: actor({ profession }) })).allow).toBe(true);
    });
  }
});

describe("decide: break-glass (emergency purpose)", () => {
  const er = actor({ profession: "EMERGENCY" });
  const states: [GrantState, boolean][] = [
    ["none", false],
    ["active", true],
    ["expired", false],
    ["ended", false],
  ];
  for (const [state, allowed] of states) {
    it(`grant ${state} → ${allowed ? "allow emergency scope" : "deny"}`, () => {
      const d = decide(facts({ actor: er, purpose: "EMERGENCY", consents: [], grants: grants(state) }));
      expect(d).toEqual(allowed ? { allow: true, scope: "EMERGENCY", withheld: [], basis: "BREAK_GLASS" } : { allow: false, reason: "NO_ACTIVE_GRANT" });
    });
  }
  it("another user's grant or a grant for another patient does not count", () => {
    expect(decide(facts({ actor: er, purpose: "EMERGENCY", grants: grants("active", { userId: "u-2" }) })).allow).toBe(false);
    expect(decide(facts({ actor: er, purpose: "EMERGENCY", grants: grants("active", { patientId: "pat-2" }) })).allow).toBe(false);
  });
  it("a facility without break-glass rights is refused; the same user at one with rights is allowed", () => {
    expect(decide(facts({ actor: actor({ profession: "EMERGENCY", facilityCanBreakGlass: false }), purpose: "EMERGENCY", grants: grants("active") }))).toEqual({ allow: false, reason: "BREAK_GLASS_NOT_PERMITTED" });
    expect(decide(facts({ actor: er, purpose: "EMERGENCY", grants: grants("active") })).allow).toBe(true);
  });
  it("a pharmacist cannot break glass; a doctor at an allowed facility can", () => {
    expect(decide(facts({ actor: actor({ profession: "PHARMACIST" }), purpose: "EMERGENCY", grants: grants("active") }))).toEqual({ allow: false, reason: "BREAK_GLASS_NOT_PERMITTED" });
    expect(decide(facts({ actor: actor({ profession: "DOCTOR" }), purpose: "EMERGENCY", grants: grants("active") })).allow).toBe(true);
  });
  it("a suspended facility cannot break glass either", () => {
    expect(decide(facts({ actor: actor({ profession: "EMERGENCY", facilityActive: false }), purpose: "EMERGENCY", grants: grants("active") }))).toEqual({ allow: false, reason: "FACILITY_SUSPENDED" });
  });
});

describe("role × data kind", () => {
  it("pharmacists see medication context but not documents or procedures; doctors see all", () => {
    expect(visibleKinds("PHARMACIST", "FULL")).toEqual(["encounter", "condition", "prescription", "lab", "allergy"]);
    expect(visibleKinds("DOCTOR", "FULL")).toHaveLength(8);
  });
  it("the emergency scope narrows to the emergency dataset", () => {
    expect(visibleKinds("DOCTOR", "EMERGENCY")).not.toContain("checkup");
    expect(visibleKinds("DOCTOR", "EMERGENCY")).toContain("allergy");
  });
  it("clerks and administrators see no clinical kinds", () => {
    expect(visibleKinds("CLERK", "FULL")).toEqual([]);
    expect(visibleKinds("ADMIN", "FULL")).toEqual([]);
  });
});

describe("decide: the full matrix", () => {
  // roles × consent state × break-glass grant × facility status × withheld categories × purpose: every
  // cell's decision, from the rules as the issue states them (not from the implementation's code path).
  const PROFESSIONS: Profession[] = ["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY", "CLERK", "ADMIN"];
  const CONSENTS: ConsentState[] = ["none", "active", "emergency-only", "withdrawn", "expired"];
  const GRANTS: GrantState[] = ["none", "active", "expired"];
  const FACILITY = ["active", "suspended"] as const;
  const WITHHELD: Sensitivity[][] = [[], ["PSYCHIATRIC", "INFECTIOUS"]];
  const PURPOSES: Purpose[] = ["TREATMENT", "EMERGENCY"];
  type Cell = { profession: Profession; consent: ConsentState; grant: GrantState; facility: (typeof FACILITY)[number]; withheld: Sensitivity[]; purpose: Purpose };

  function expected(c: Cell): Decision {
    if (c.facility === "suspended") return { allow: false, reason: "FACILITY_SUSPENDED" };
    if (c.profession === "CLERK" || c.profession === "ADMIN") return { allow: false, reason: "PROFESSION_NOT_CLINICAL" };
    if (c.purpose === "EMERGENCY") {
      // Break-glass is for ER staff and doctors; consent plays no part, and nothing is withheld in an emergency.
      if (c.profession !== "EMERGENCY" && c.profession !== "DOCTOR") return { allow: false, reason: "BREAK_GLASS_NOT_PERMITTED" };
      return c.grant === "active" ? { allow: true, scope: "EMERGENCY", withheld: [], basis: "BREAK_GLASS" } : { allow: false, reason: "NO_ACTIVE_GRANT" };
    }
    // Treatment: consent alone; a break-glass grant never widens it.
    const byConsent: Record<ConsentState, Decision> = {
      none: { allow: false, reason: "NO_CONSENT" },
      withdrawn: { allow: false, reason: "CONSENT_WITHDRAWN" },
      expired: { allow: false, reason: "CONSENT_EXPIRED" },
      active: { allow: true, scope: "FULL", withheld: c.withheld, basis: "CONSENT" },
      "emergency-only": { allow: true, scope: "EMERGENCY", withheld: c.withheld, basis: "CONSENT" },
    };
    return byConsent[c.consent];
  }

  const cells: Cell[] = PROFESSIONS.flatMap((profession) =>
    CONSENTS.flatMap((consent) => GRANTS.flatMap((grant) => FACILITY.flatMap((facility) => WITHHELD.flatMap((withheld) => PURPOSES.map((purpose) => ({ profession, consent, grant, facility, withheld, purpose })))))),
  );
  const decideCell = (c: Cell) =>
    decide(
      facts({
        actor: actor({ profession: c.profession, facilityActive: c.facility === "active" }),
        purpose: c.purpose,
        consents: consents(c.consent).map((x) => ({ ...x, withheldCategories: c.withheld })),
        grants: grants(c.grant),
      }),
    );

  it(`decides all ${PROFESSIONS.length * CONSENTS.length * GRANTS.length * FACILITY.length * WITHHELD.length * PURPOSES.length} cells as the rules say`, () => {
    const wrong = cells.filter((c) => JSON.stringify(decideCell(c)) !== JSON.stringify(expected(c))).map((c) => JSON.stringify(c));
    expect(wrong).toEqual([]);
  });

  it("every deny reason in the matrix has an allow twin one fact away", () => {
    const key = (c: Cell) => JSON.stringify(c);
    const allowed = new Set(cells.filter((c) => decideCell(c).allow).map(key));
    const neighbours = (c: Cell): Cell[] => [
      ...PROFESSIONS.map((profession) => ({ ...c, profession })),
      ...CONSENTS.map((consent) => ({ ...c, consent })),
      ...GRANTS.map((grant) => ({ ...c, grant })),
      ...FACILITY.map((facility) => ({ ...c, facility })),
      ...PURPOSES.map((purpose) => ({ ...c, purpose })),
    ];
    const reasonsWithTwin = new Set<string>();
    const reasons = new Set<string>();
    for (const c of cells) {
      const d = decideCell(c);
      if (d.allow) continue;
      reasons.add(d.reason);
      if (neighbours(c).some((n) => allowed.has(key(n)))) reasonsWithTwin.add(d.reason);
    }
    expect([...reasons].sort()).toEqual(["BREAK_GLASS_NOT_PERMITTED", "CONSENT_EXPIRED", "CONSENT_WITHDRAWN", "FACILITY_SUSPENDED", "NO_ACTIVE_GRANT", "NO_CONSENT", "PROFESSION_NOT_CLINICAL"]);
    expect([...reasonsWithTwin].sort()).toEqual([...reasons].sort());
  });
});

describe("decideConsentManagement: who records and withdraws consent", () => {
  it("allows verified staff of an active viewing facility, clerks included", () => {
    for (const profession of ["CLERK", "DOCTOR", "NURSE", "PHARMACIST"] as Profession[]) expect(decideConsentManagement(actor({ profession }))).toEqual({ allow: true });
  });
  const cases: [string, Partial<ActorFacts>, string][] = [
    ["an administrator (not facility staff)", { profession: "ADMIN" }, "NOT_FACILITY_STAFF"],
    ["a deactivated clerk", { profession: "CLERK", active: false }, "USER_INACTIVE"],
    ["a clerk of a suspended facility", { profession: "CLERK", facilityActive: false }, "FACILITY_SUSPENDED"],
    ["an unverified clerk", { profession: "CLERK", credentialVerified: false }, "CREDENTIAL_UNVERIFIED"],
    ["a clerk of a facility that does not view", { profession: "CLERK", facilityViews: false }, "FACILITY_NOT_VIEWER"],
  ];
  for (const [name, over, reason] of cases) {
    it(`refuses ${name}; the same clerk without that flaw is allowed (twin)`, () => {
      expect(decideConsentManagement(actor(over))).toEqual({ allow: false, reason });
      expect(decideConsentManagement(actor({ profession: "CLERK" }))).toEqual({ allow: true });
    });
  }
});
