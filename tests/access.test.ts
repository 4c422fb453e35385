import { describe, expect, it } from "vitest";
import { decide, decideConsentManagement, decideUnstatedPurpose, type AccessFacts, type ActorFacts, type ConsentFact, type Decision, type GrantFact, type Profession, type Purpose, type Sensitivity } from "../lib/access/decide";
import { kindRefusal, latestOnlyKinds, readsEmergencyDataset, scopeHiddenKinds, scopeRefusal, contactKinds, visibleKinds } from "../lib/access/data-kinds";
import { consentInForce, withheldAnywhere } from "../lib/access/consent-in-force";
import { decideAdministration, decideBreakGlassRight, decideSearch, isAdministrator } from "../lib/access/duties";
import { consentWidening, decideConsentChange, wideningKey, type ConsentWidening } from "../lib/access/consent-change";

const NOW = new Date("2026-11-25T10:00:00Z");
const H = 3600_000;
const P = "pat-1";

function actor(over: Partial<ActorFacts> = {}): ActorFacts {
  return {
    userId: "u-1",
    loginComplete: true,
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
    active: { allow: true, scope: "FULL", withheld: { categories: [], facilities: [] }, basis: "CONSENT", recordedBySelf: false, recordedByClinician: false },
    "emergency-only": { allow: true, scope: "EMERGENCY", withheld: { categories: [], facilities: [] }, basis: "CONSENT", recordedBySelf: false, recordedByClinician: false },
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
    expect(decide(facts({ consents: [c] }))).toEqual({ allow: true, scope: "FULL", withheld: { categories: ["PSYCHIATRIC"], facilities: [] }, basis: "CONSENT", recordedBySelf: false, recordedByClinician: false });
  });
});

describe("decide: who the actor is", () => {
  const cases: [string, Partial<ActorFacts>, string][] = [
    ["half-finished login (second factor or password change owed)", { loginComplete: false }, "LOGIN_INCOMPLETE"],
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
      expect(d).toEqual(allowed ? { allow: true, scope: "EMERGENCY", withheld: { categories: [], facilities: [] }, basis: "BREAK_GLASS", recordedBySelf: false, recordedByClinician: false } : { allow: false, reason: "NO_ACTIVE_GRANT" });
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
  it("the registered contacts and insurance: under a full scope, for those who see the record; a pharmacist without the family's; none under an emergency scope", () => {
    expect(contactKinds("DOCTOR", "FULL")).toEqual(["PHONE", "NEXT_OF_KIN", "INSURANCE"]);
    expect(contactKinds("NURSE", "FULL")).toEqual(["PHONE", "NEXT_OF_KIN", "INSURANCE"]);
    expect(contactKinds("PHARMACIST", "FULL")).toEqual(["PHONE", "INSURANCE"]);
    expect(contactKinds("DOCTOR", "EMERGENCY")).toEqual([]);
    expect(contactKinds("EMERGENCY", "EMERGENCY")).toEqual([]);
    expect(contactKinds("CLERK", "FULL")).toEqual([]);
  });
});

describe("decide: the full matrix", () => {
  // roles × consent state × break-glass grant × facility status × withheld categories × purpose: every
  // cell's decision, from the rules as the issue states them (not from the implementation's code path).
  const PROFESSIONS: Profession[] = ["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY", "CLERK", "ADMIN"];
  const CONSENTS: ConsentState[] = ["none", "active", "emergency-only", "withdrawn", "expired"];
  const GRANTS: GrantState[] = ["none", "active", "expired"];
  const FACILITY = ["active", "suspended"] as const;
  const LOGIN = ["complete", "incomplete"] as const;
  const WITHHELD: Sensitivity[][] = [[], ["PSYCHIATRIC", "INFECTIOUS"]];
  const PURPOSES: Purpose[] = ["TREATMENT", "EMERGENCY"];
  type Cell = { login: (typeof LOGIN)[number]; profession: Profession; consent: ConsentState; grant: GrantState; facility: (typeof FACILITY)[number]; withheld: Sensitivity[]; purpose: Purpose };

  function expected(c: Cell): Decision {
    if (c.login === "incomplete") return { allow: false, reason: "LOGIN_INCOMPLETE" };
    if (c.facility === "suspended") return { allow: false, reason: "FACILITY_SUSPENDED" };
    if (c.profession === "CLERK" || c.profession === "ADMIN") return { allow: false, reason: "PROFESSION_NOT_CLINICAL" };
    if (c.purpose === "EMERGENCY") {
      // Break-glass is for ER staff and doctors; consent grants nothing, but what the patient withholds
      // (in any consent row, whatever its state) stays withheld in an emergency too.
      if (c.profession !== "EMERGENCY" && c.profession !== "DOCTOR") return { allow: false, reason: "BREAK_GLASS_NOT_PERMITTED" };
      return c.grant === "active" ? { allow: true, scope: "EMERGENCY", withheld: { categories: c.consent === "none" ? [] : [...c.withheld].sort(), facilities: [] }, basis: "BREAK_GLASS", recordedBySelf: false, recordedByClinician: false } : { allow: false, reason: "NO_ACTIVE_GRANT" };
    }
    // Treatment: consent alone; a break-glass grant never widens it.
    const byConsent: Record<ConsentState, Decision> = {
      none: { allow: false, reason: "NO_CONSENT" },
      withdrawn: { allow: false, reason: "CONSENT_WITHDRAWN" },
      expired: { allow: false, reason: "CONSENT_EXPIRED" },
      active: { allow: true, scope: "FULL", withheld: { categories: c.withheld, facilities: [] }, basis: "CONSENT", recordedBySelf: false, recordedByClinician: false },
      "emergency-only": { allow: true, scope: "EMERGENCY", withheld: { categories: c.withheld, facilities: [] }, basis: "CONSENT", recordedBySelf: false, recordedByClinician: false },
    };
    return byConsent[c.consent];
  }

  const cells: Cell[] = LOGIN.flatMap((login) =>
    PROFESSIONS.flatMap((profession) =>
      CONSENTS.flatMap((consent) => GRANTS.flatMap((grant) => FACILITY.flatMap((facility) => WITHHELD.flatMap((withheld) => PURPOSES.map((purpose) => ({ login, profession, consent, grant, facility, withheld, purpose })))))),
    ),
  );
  const decideCell = (c: Cell) =>
    decide(
      facts({
        actor: actor({ profession: c.profession, facilityActive: c.facility === "active", loginComplete: c.login === "complete" }),
        purpose: c.purpose,
        consents: consents(c.consent).map((x) => ({ ...x, withheldCategories: c.withheld })),
        grants: grants(c.grant),
      }),
    );

  it(`decides all ${LOGIN.length * PROFESSIONS.length * CONSENTS.length * GRANTS.length * FACILITY.length * WITHHELD.length * PURPOSES.length} cells as the rules say`, () => {
    const wrong = cells.filter((c) => JSON.stringify(decideCell(c)) !== JSON.stringify(expected(c))).map((c) => JSON.stringify(c));
    expect(wrong).toEqual([]);
  });

  it("every deny reason in the matrix has an allow twin one fact away", () => {
    const key = (c: Cell) => JSON.stringify(c);
    const allowed = new Set(cells.filter((c) => decideCell(c).allow).map(key));
    const neighbours = (c: Cell): Cell[] => [
      ...LOGIN.map((login) => ({ ...c, login })),
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
    expect([...reasons].sort()).toEqual(["BREAK_GLASS_NOT_PERMITTED", "CONSENT_EXPIRED", "CONSENT_WITHDRAWN", "FACILITY_SUSPENDED", "LOGIN_INCOMPLETE", "NO_ACTIVE_GRANT", "NO_CONSENT", "PROFESSION_NOT_CLINICAL"]);
    expect([...reasonsWithTwin].sort()).toEqual([...reasons].sort());
  });
});

describe("decideConsentManagement: who records and withdraws consent", () => {
  it("allows verified staff of an active viewing facility, clerks included", () => {
    for (const profession of ["CLERK", "DOCTOR", "NURSE", "PHARMACIST"] as Profession[]) expect(decideConsentManagement(actor({ profession }))).toEqual({ allow: true });
  });
  const cases: [string, Partial<ActorFacts>, string][] = [
    ["a clerk whose login is not finished", { profession: "CLERK", loginComplete: false }, "LOGIN_INCOMPLETE"],
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

describe("break-glass keeps what the patient withholds (from any facility)", () => {
  const er = actor({ profession: "EMERGENCY" });
  const at = (h: number) => new Date(NOW.getTime() - h * H);
  it("a facility whose records the network withholds is withheld from every allowed read, by consent or break-glass; none when none is (twin)", () => {
    const fromB: ConsentFact = { ...consents("active", "fac-B")[0]!, withheldCategories: [] };
    expect(decide(facts({ withheldFacilities: ["fac-X"] }))).toMatchObject({ allow: true, withheld: { facilities: ["fac-X"] } });
    expect(decide(facts({ actor: er, purpose: "EMERGENCY", consents: [fromB], grants: grants("active"), withheldFacilities: ["fac-X"] }))).toMatchObject({ allow: true, withheld: { facilities: ["fac-X"] } });
    expect(decide(facts({}))).toMatchObject({ allow: true, withheld: { facilities: [] } });
  });

  it("a category withheld from another facility stays withheld under a grant; with none withheld, nothing is (twin)", () => {
    const elsewhere: ConsentFact = { ...consents("active", "fac-B")[0]!, withheldCategories: ["PSYCHIATRIC"] };
    expect(decide(facts({ actor: er, purpose: "EMERGENCY", consents: [elsewhere], grants: grants("active") }))).toMatchObject({ allow: true, withheld: { categories: ["PSYCHIATRIC"] } });
    expect(decide(facts({ actor: er, purpose: "EMERGENCY", consents: [{ ...elsewhere, withheldCategories: [] }], grants: grants("active") }))).toMatchObject({ allow: true, withheld: { categories: [] } });
  });
  it("only each facility's newest row counts: a later consent that no longer withholds lifts it", () => {
    const old: ConsentFact = { ...consents("active", "fac-B")[0]!, withheldCategories: ["INFECTIOUS"], capturedAt: at(50) };
    const newer: ConsentFact = { ...old, withheldCategories: [], capturedAt: at(5) };
    expect(withheldAnywhere([old, newer])).toEqual([]);
    expect(withheldAnywhere([old])).toEqual(["INFECTIOUS"]);
  });
  it("a withdrawn consent's withholding still holds (the patient's wish outlives the access)", () => {
    const withdrawn: ConsentFact = { ...consents("withdrawn", "fac-B")[0]!, withheldCategories: ["GENETIC"] };
    expect(decide(facts({ actor: er, purpose: "EMERGENCY", consents: [withdrawn], grants: grants("active") }))).toMatchObject({ withheld: { categories: ["GENETIC"] } });
  });
});

describe("decideUnstatedPurpose: a read that states no purpose (the FHIR API)", () => {
  const unstated = (over: Partial<AccessFacts> = {}) => {
    const { purpose: _p, ...f } = facts(over);
    void _p;
    return decideUnstatedPurpose(f);
  };
  // consent state × grant state → purpose and outcome; each refusal has an allowed twin one fact away
  const cases: [ConsentState, GrantState, Purpose, Decision["allow"], string | null][] = [
    ["active", "none", "TREATMENT", true, null],
    ["active", "active", "TREATMENT", true, null], // the consent comes first: FULL, not the emergency dataset
    ["emergency-only", "active", "TREATMENT", true, null],
    ["none", "none", "TREATMENT", false, "NO_CONSENT"],
    ["none", "active", "EMERGENCY", true, null],
    ["none", "expired", "EMERGENCY", false, "NO_ACTIVE_GRANT"],
    ["none", "ended", "EMERGENCY", false, "NO_ACTIVE_GRANT"],
    ["withdrawn", "none", "TREATMENT", false, "CONSENT_WITHDRAWN"],
    ["withdrawn", "active", "EMERGENCY", true, null],
    ["expired", "none", "TREATMENT", false, "CONSENT_EXPIRED"],
    ["expired", "active", "EMERGENCY", true, null],
  ];
  for (const [consent, grant, purpose, allow, reason] of cases) {
    it(`consent ${consent}, grant ${grant} → ${purpose} ${allow ? "allow" : reason}`, () => {
      const r = unstated({ consents: consents(consent), grants: grants(grant) });
      expect(r.purpose).toBe(purpose);
      expect(r.decision.allow).toBe(allow);
      if (!r.decision.allow) expect(r.decision.reason).toBe(reason);
      else expect(r.decision).toMatchObject({ basis: purpose === "EMERGENCY" ? "BREAK_GLASS" : "CONSENT", scope: purpose === "EMERGENCY" || consent === "emergency-only" ? "EMERGENCY" : "FULL" });
    });
  }
  it("another user's grant is no grant of this clinician: the consent's refusal; their own grant opens it (twin)", () => {
    expect(unstated({ consents: [], grants: grants("active", { userId: "u-2" }) })).toMatchObject({ purpose: "TREATMENT", decision: { allow: false, reason: "NO_CONSENT" } });
    expect(unstated({ consents: [], grants: grants("active") })).toMatchObject({ purpose: "EMERGENCY", decision: { allow: true } });
  });
  it("a refusal of the actor is never turned into a grant's: a suspended facility stays FACILITY_SUSPENDED", () => {
    expect(unstated({ actor: actor({ facilityActive: false }), consents: [], grants: grants("active") })).toMatchObject({ purpose: "TREATMENT", decision: { allow: false, reason: "FACILITY_SUSPENDED" } });
  });
  it("a grant at a facility that has lost break-glass rights is refused as such; with the rights it opens (twin)", () => {
    expect(unstated({ actor: actor({ facilityCanBreakGlass: false }), consents: [], grants: grants("active") })).toMatchObject({ purpose: "EMERGENCY", decision: { allow: false, reason: "BREAK_GLASS_NOT_PERMITTED" } });
    expect(unstated({ actor: actor({ facilityCanBreakGlass: true }), consents: [], grants: grants("active") }).decision.allow).toBe(true);
  });
});

describe("scopeRefusal, latestOnlyKinds and readsEmergencyDataset: what an emergency read may take", () => {
  const consentEmergency = { scope: "EMERGENCY", basis: "CONSENT" } as const;
  const grant = { scope: "EMERGENCY", basis: "BREAK_GLASS" } as const;
  const full = { scope: "FULL", basis: "CONSENT" } as const;
  it("one 救急時医療情報: an emergency-only consent and a break-glass grant both read the latest emergency lab values; a full scope reads the history instead (twin)", () => {
    expect(latestOnlyKinds("DOCTOR", consentEmergency)).toEqual(["lab"]);
    expect(latestOnlyKinds("DOCTOR", grant)).toEqual(["lab"]);
    expect(latestOnlyKinds("PHARMACIST", consentEmergency)).toEqual(["lab"]);
    expect(latestOnlyKinds("DOCTOR", full)).toEqual([]);
    expect(visibleKinds("DOCTOR", "FULL")).toContain("lab");
  });
  it("a profession that sees no labs gets no emergency lab values under either path (twin: a doctor above)", () => {
    expect(latestOnlyKinds("CLERK", consentEmergency)).toEqual([]);
    expect(latestOnlyKinds("ADMIN", grant)).toEqual([]);
  });
  it("labs under an emergency scope are answered with their latest emergency values, not refused; a checkup alone is refused (twin)", () => {
    for (const read of [consentEmergency, grant]) {
      expect(scopeRefusal("DOCTOR", read, ["lab", "checkup"])).toBeNull();
      expect(scopeRefusal("DOCTOR", read, ["lab"])).toBeNull();
      expect(scopeRefusal("DOCTOR", read, ["checkup"])).toBe("SCOPE_EMERGENCY_ONLY");
    }
    expect(scopeRefusal("DOCTOR", full, ["checkup"])).toBeNull();
  });
  it("a request that also asks for a kind the dataset holds is answered with that part (twin: allergies alone)", () => {
    expect(scopeRefusal("DOCTOR", consentEmergency, ["checkup", "allergy"])).toBeNull();
    expect(scopeRefusal("DOCTOR", consentEmergency, ["allergy"])).toBeNull();
  });
  it("what the profession never sees is an empty answer, not a scope refusal; what it sees outside the dataset is refused (twin)", () => {
    expect(scopeRefusal("PHARMACIST", consentEmergency, ["document"])).toBeNull();
    expect(scopeRefusal("PHARMACIST", consentEmergency, ["procedure"])).toBeNull();
    expect(scopeRefusal("PHARMACIST", consentEmergency, ["checkup"])).toBeNull();
    expect(scopeRefusal("DOCTOR", consentEmergency, ["checkup"])).toBe("SCOPE_EMERGENCY_ONLY");
  });
  it("asking for no kind (the Patient alone) is never refused", () => {
    expect(scopeRefusal("DOCTOR", consentEmergency, [])).toBeNull();
  });
  it("a break-glass grant reads only the emergency dataset's windows as the emergency page does; a consent, emergency-only or full, reads its kinds' history (twins)", () => {
    expect(readsEmergencyDataset(grant)).toBe(true);
    expect(readsEmergencyDataset(consentEmergency)).toBe(false);
    expect(readsEmergencyDataset(full)).toBe(false);
  });
});

describe("scopeHiddenKinds: what a page must say its scope leaves out", () => {
  it("an emergency scope hides a doctor's checkups and lab history; a full scope hides nothing (twin)", () => {
    expect(scopeHiddenKinds("DOCTOR", "EMERGENCY")).toEqual(["lab", "checkup"]);
    expect(scopeHiddenKinds("DOCTOR", "FULL")).toEqual([]);
  });
  it("only kinds the profession sees: a pharmacist's lab history, never the documents it does not see anyway (twin: the doctor's checkups)", () => {
    expect(scopeHiddenKinds("PHARMACIST", "EMERGENCY")).toEqual(["lab"]);
    expect(scopeHiddenKinds("CLERK", "EMERGENCY")).toEqual([]);
  });
});

describe("kindRefusal: one record opened by its address", () => {
  const consentFull = { scope: "FULL", basis: "CONSENT" } as const;
  const consentEmergency = { scope: "EMERGENCY", basis: "CONSENT" } as const;
  it("a pharmacist opening a document is refused for the profession; a doctor is not (twin)", () => {
    expect(kindRefusal("PHARMACIST", consentFull, "document")).toBe("KIND_NOT_FOR_PROFESSION");
    expect(kindRefusal("DOCTOR", consentFull, "document")).toBeNull();
  });
  it("a kind the scope hides is refused for the scope; the same kind under a full scope is not (twin)", () => {
    expect(kindRefusal("DOCTOR", consentEmergency, "checkup")).toBe("SCOPE_EMERGENCY_ONLY");
    expect(kindRefusal("DOCTOR", consentFull, "checkup")).toBeNull();
    expect(kindRefusal("DOCTOR", consentEmergency, "document")).toBeNull();
  });
});

describe("consentInForce: the one definition of the consent in force", () => {
  const c = consents("active")[0]!;
  it("names the state of the newest row of that facility", () => {
    expect(consentInForce([], "fac-A", NOW).state).toBe("NONE");
    expect(consentInForce([c], "fac-A", NOW).state).toBe("IN_FORCE");
    expect(consentInForce([c], "fac-B", NOW).state).toBe("NONE");
    expect(consentInForce([{ ...c, status: "WITHDRAWN" as const }], "fac-A", NOW).state).toBe("WITHDRAWN");
    expect(consentInForce([{ ...c, expiresAt: NOW }], "fac-A", NOW).state).toBe("EXPIRED");
  });
});

describe("a consent used by the person who recorded it", () => {
  it("is allowed and flagged when the reader recorded it; not flagged when someone else did (twin)", () => {
    const c = consents("active")[0]!;
    expect(decide(facts({ consents: [{ ...c, capturedById: "u-1" }] }))).toMatchObject({ allow: true, recordedBySelf: true });
    expect(decide(facts({ consents: [{ ...c, capturedById: "u-clerk" }] }))).toMatchObject({ allow: true, recordedBySelf: false, recordedByClinician: false });
  });
});

describe("decideSearch: who may search for patients", () => {
  const cases: [string, Partial<ActorFacts>, string][] = [
    ["a half-finished login", { loginComplete: false }, "LOGIN_INCOMPLETE"],
    ["a deactivated doctor", { active: false }, "USER_INACTIVE"],
    ["a doctor of a suspended facility", { facilityActive: false }, "FACILITY_SUSPENDED"],
    ["a clerk", { profession: "CLERK" }, "PROFESSION_NOT_CLINICAL"],
    ["an administrator", { profession: "ADMIN" }, "PROFESSION_NOT_CLINICAL"],
    ["an unverified doctor", { credentialVerified: false }, "CREDENTIAL_UNVERIFIED"],
    ["a doctor of a facility that does not view", { facilityViews: false }, "FACILITY_NOT_VIEWER"],
  ];
  for (const [name, over, reason] of cases) {
    it(`refuses ${name}; the verified doctor twin may search`, () => {
      expect(decideSearch(actor(over))).toEqual({ allow: false, reason });
      expect(decideSearch(actor())).toEqual({ allow: true });
    });
  }
});

describe("decideBreakGlassRight", () => {
  it("allows a verified ER user at a facility with the right; refuses one fact away", () => {
    const er = { profession: "EMERGENCY" as const };
    expect(decideBreakGlassRight(actor(er))).toEqual({ allow: true });
    expect(decideBreakGlassRight(actor({ ...er, loginComplete: false }))).toEqual({ allow: false, reason: "LOGIN_INCOMPLETE" });
    for (const over of [{ active: false }, { facilityActive: false }, { credentialVerified: false }, { facilityCanBreakGlass: false }, { profession: "PHARMACIST" as const }]) {
      expect(decideBreakGlassRight(actor({ ...er, ...over }))).toEqual({ allow: false, reason: "BREAK_GLASS_NOT_PERMITTED" });
    }
  });
});

describe("decideAdministration: administrators, and the separation of duties", () => {
  const admin = actor({ userId: "adm-1", profession: "ADMIN" });
  it("an active administrator with a complete login may administer; anyone else may not (twins)", () => {
    expect(isAdministrator(admin)).toBe(true);
    expect(decideAdministration({ ...admin, loginComplete: false })).toEqual({ allow: false, reason: "LOGIN_INCOMPLETE" });
    expect(decideAdministration(actor({ profession: "DOCTOR" }))).toEqual({ allow: false, reason: "NOT_ADMINISTRATOR" });
    expect(decideAdministration({ ...admin, active: false })).toEqual({ allow: false, reason: "NOT_ADMINISTRATOR" });
    expect(decideAdministration({ ...admin, facilityActive: false })).toEqual({ allow: false, reason: "NOT_ADMINISTRATOR" });
  });
  it("nobody reviews their own break-glass or one by an account they created; others' they may", () => {
    expect(decideAdministration(admin, { kind: "REVIEW", subjectUserId: "adm-1", subjectCreatedById: null })).toEqual({ allow: false, reason: "SEPARATION_OF_DUTIES" });
    expect(decideAdministration(admin, { kind: "REVIEW", subjectUserId: "er-1", subjectCreatedById: "adm-1" })).toEqual({ allow: false, reason: "SEPARATION_OF_DUTIES" });
    expect(decideAdministration(admin, { kind: "REVIEW", subjectUserId: "er-1", subjectCreatedById: "adm-2" })).toEqual({ allow: true });
  });
});

describe("decideConsentChange: a clinician may only narrow a consent; the desk may widen it only when confirmed as what it opens", () => {
  const inForce = { scope: "FULL" as const, withheldCategories: ["PSYCHIATRIC" as const], expiresAt: new Date(NOW.getTime() + 100 * H) };
  const same: { scope: "FULL" | "EMERGENCY"; withheld: Sensitivity[]; expiresAt: Date | null } = { scope: "FULL", withheld: ["PSYCHIATRIC"], expiresAt: inForce.expiresAt };
  const doctor = actor({ profession: "DOCTOR" });
  const clerk = actor({ profession: "CLERK" });
  const later = new Date(NOW.getTime() + 200 * H);
  // each kind of widening, from the consent it widens, with the widening it is
  const widen: [string, typeof inForce | (Omit<typeof inForce, "scope"> & { scope: "EMERGENCY" }), Partial<typeof same>, ConsentWidening[]][] = [
    ["lifts a withheld category", inForce, { withheld: [] }, [{ kind: "CATEGORY", category: "PSYCHIATRIC" }]],
    ["widens emergency-only to the whole record", { ...inForce, scope: "EMERGENCY" }, {}, [{ kind: "SCOPE" }]],
    ["lengthens the expiry", inForce, { expiresAt: later }, [{ kind: "EXPIRY", until: later }]],
    ["removes the expiry", inForce, { expiresAt: null }, [{ kind: "EXPIRY", until: null }]],
  ];
  for (const [name, from, over, widening] of widen) {
    it(`a change that ${name}: refused to a doctor even confirmed; refused to the clerk unconfirmed, allowed confirmed (twins)`, () => {
      const requested = { ...same, ...over };
      expect(consentWidening(from, requested)).toEqual(widening);
      expect(decideConsentChange(doctor, from, requested, wideningKey(widening))).toEqual({ allow: false, reason: "WIDENING_AT_DESK_ONLY" });
      expect(decideConsentChange(clerk, from, requested)).toEqual({ allow: false, reason: "WIDENING_NOT_CONFIRMED", widening });
      expect(decideConsentChange(clerk, from, requested, wideningKey(widening))).toEqual({ allow: true, widening });
    });
  }
  it("a confirmation covers exactly the widening confirmed: another widening's key, or a part of it, is no confirmation", () => {
    const both = { ...same, withheld: [], expiresAt: null };
    const all: ConsentWidening[] = [{ kind: "CATEGORY", category: "PSYCHIATRIC" }, { kind: "EXPIRY", until: null }];
    expect(decideConsentChange(clerk, inForce, both, wideningKey([all[0]!]))).toMatchObject({ allow: false, reason: "WIDENING_NOT_CONFIRMED" });
    expect(decideConsentChange(clerk, inForce, { ...same, expiresAt: later }, wideningKey([{ kind: "EXPIRY", until: null }]))).toMatchObject({ allow: false, reason: "WIDENING_NOT_CONFIRMED" });
    expect(decideConsentChange(clerk, inForce, both, wideningKey(all))).toEqual({ allow: true, widening: all });
  });
  it("no widening needs no confirmation: the same consent, only a shorter expiry, more withheld, emergency-only (twins of the above)", () => {
    for (const u of [doctor, clerk]) {
      expect(decideConsentChange(u, inForce, same)).toEqual({ allow: true, widening: [] });
      expect(decideConsentChange(u, inForce, { ...same, expiresAt: new Date(NOW.getTime() + H) })).toEqual({ allow: true, widening: [] });
      expect(decideConsentChange(u, inForce, { ...same, withheld: ["PSYCHIATRIC", "GENETIC"] })).toEqual({ allow: true, widening: [] });
      expect(decideConsentChange(u, { ...inForce, scope: "EMERGENCY" }, { ...same, scope: "EMERGENCY" })).toEqual({ allow: true, widening: [] });
      expect(decideConsentChange(u, { ...inForce, expiresAt: null }, { ...same, expiresAt: later })).toEqual({ allow: true, widening: [] });
    }
  });
  it("a first consent has nothing to widen: the desk records it; a clinician only for a patient the facility has (twins)", () => {
    const first = { scope: "FULL" as const, withheld: [], expiresAt: null };
    expect(decideConsentChange(doctor, null, first)).toEqual({ allow: true, widening: [] }); // (the facility has the patient, by default)
    expect(decideConsentChange(doctor, null, first, null, { knowsPatient: true })).toEqual({ allow: true, widening: [] });
    expect(decideConsentChange(doctor, null, first, null, { knowsPatient: false })).toEqual({ allow: false, reason: "FIRST_CONSENT_AT_DESK_ONLY" });
    expect(decideConsentChange(clerk, null, first, null, { knowsPatient: false })).toEqual({ allow: true, widening: [] });
  });
  for (const ended of ["WITHDRAWN", "EXPIRED"] as const) {
    it(`after a consent ${ended.toLowerCase()}, recording afresh opens the record again, with what the last one kept back: the desk's, confirmed (twins)`, () => {
      const last = { ...inForce, scope: "EMERGENCY" as const, ended };
      const widening: ConsentWidening[] = [{ kind: "RESUMED", ended }, { kind: "CATEGORY", category: "PSYCHIATRIC" }, { kind: "SCOPE" }];
      const all = { scope: "FULL" as const, withheld: [], expiresAt: null };
      expect(consentWidening(last, all)).toEqual(widening);
      expect(decideConsentChange(doctor, last, all, wideningKey(widening))).toEqual({ allow: false, reason: "RESUMED_AT_DESK_ONLY" });
      // even the same consent again, or a narrower one, opens the record again: not the clinician's
      expect(decideConsentChange(doctor, last, { ...same, scope: "EMERGENCY", withheld: ["PSYCHIATRIC", "GENETIC"] }, null, { knowsPatient: true })).toEqual({ allow: false, reason: "RESUMED_AT_DESK_ONLY" });
      expect(decideConsentChange(clerk, last, all)).toEqual({ allow: false, reason: "WIDENING_NOT_CONFIRMED", widening });
      expect(decideConsentChange(clerk, last, all, wideningKey(widening))).toEqual({ allow: true, widening });
      expect(wideningKey(widening)).toBe(`RESUMED:${ended} CATEGORY:PSYCHIATRIC SCOPE`);
    });
  }
});
