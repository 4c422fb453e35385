/**
 * The access decision every read of patient data goes through. Pure: facts in, decision out, so it
 * can be tested as a full matrix. Deny by default: every allow below names the fact that grants it.
 */

export type Profession = "DOCTOR" | "DENTIST" | "PHARMACIST" | "NURSE" | "EMERGENCY" | "CLERK" | "ADMIN";
export type Sensitivity = "NORMAL" | "PSYCHIATRIC" | "INFECTIOUS" | "GENETIC" | "REPRODUCTIVE";
export type Purpose = "TREATMENT" | "EMERGENCY";
export type Scope = "FULL" | "EMERGENCY";

export interface ActorFacts {
  userId: string;
  profession: Profession;
  active: boolean;
  credentialVerified: boolean;
  facilityId: string;
  facilityActive: boolean;
  facilityViews: boolean;
  facilityCanBreakGlass: boolean;
}

export interface ConsentFact {
  facilityId: string;
  scope: Scope;
  status: "ACTIVE" | "WITHDRAWN";
  expiresAt: Date | null;
  withheldCategories: Sensitivity[];
  capturedAt: Date;
}

export interface GrantFact {
  userId: string;
  patientId: string;
  startedAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
}

export interface AccessFacts {
  actor: ActorFacts;
  patientId: string;
  purpose: Purpose;
  /** consents of this patient (any facility; only the actor's facility's count) */
  consents: ConsentFact[];
  /** break-glass grants of this patient (any user; only the actor's own count) */
  grants: GrantFact[];
  now: Date;
}

export type DenyReason =
  | "USER_INACTIVE"
  | "CREDENTIAL_UNVERIFIED"
  | "FACILITY_SUSPENDED"
  | "FACILITY_NOT_VIEWER"
  | "PROFESSION_NOT_CLINICAL"
  | "NO_CONSENT"
  | "CONSENT_WITHDRAWN"
  | "CONSENT_EXPIRED"
  | "BREAK_GLASS_NOT_PERMITTED"
  | "NO_ACTIVE_GRANT";

export type Decision =
  | { allow: true; scope: Scope; withheld: Sensitivity[]; basis: "CONSENT" | "BREAK_GLASS" }
  | { allow: false; reason: DenyReason };

/** Professions that look at clinical data at all. Clerks capture consent; administrators run the network. */
export const CLINICAL_PROFESSIONS: readonly Profession[] = ["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY"];
/** Professions that may start a break-glass grant, at a facility allowed to. */
export const BREAK_GLASS_PROFESSIONS: readonly Profession[] = ["EMERGENCY", "DOCTOR"];

/** The right to break glass at all: a break-glass profession at a facility allowed to. */
export const mayBreakGlass = (actor: Pick<ActorFacts, "profession" | "facilityCanBreakGlass">) => actor.facilityCanBreakGlass && BREAK_GLASS_PROFESSIONS.includes(actor.profession);

export function isGrantActive(g: GrantFact, now: Date): boolean {
  return g.endedAt === null && g.startedAt.getTime() <= now.getTime() && now.getTime() < g.expiresAt.getTime();
}

export function decide(f: AccessFacts): Decision {
  const { actor, now } = f;
  if (!actor.active) return { allow: false, reason: "USER_INACTIVE" };
  if (!actor.facilityActive) return { allow: false, reason: "FACILITY_SUSPENDED" };
  if (!CLINICAL_PROFESSIONS.includes(actor.profession)) return { allow: false, reason: "PROFESSION_NOT_CLINICAL" };
  if (!actor.credentialVerified) return { allow: false, reason: "CREDENTIAL_UNVERIFIED" };
  if (!actor.facilityViews) return { allow: false, reason: "FACILITY_NOT_VIEWER" };

  if (f.purpose === "EMERGENCY") {
    if (!mayBreakGlass(actor)) {
      return { allow: false, reason: "BREAK_GLASS_NOT_PERMITTED" };
    }
    const grant = f.grants.some((g) => g.userId === actor.userId && g.patientId === f.patientId && isGrantActive(g, now));
    return grant ? { allow: true, scope: "EMERGENCY", withheld: [], basis: "BREAK_GLASS" } : { allow: false, reason: "NO_ACTIVE_GRANT" };
  }

  // The newest consent of this patient for the actor's facility is the one in force: a change is a new row.
  const mine = f.consents
    .filter((c) => c.facilityId === actor.facilityId)
    .sort((a, b) => b.capturedAt.getTime() - a.capturedAt.getTime())[0];
  if (!mine) return { allow: false, reason: "NO_CONSENT" };
  if (mine.status === "WITHDRAWN") return { allow: false, reason: "CONSENT_WITHDRAWN" };
  if (mine.expiresAt && mine.expiresAt.getTime() <= now.getTime()) return { allow: false, reason: "CONSENT_EXPIRED" };
  return { allow: true, scope: mine.scope, withheld: mine.withheldCategories.filter((c) => c !== "NORMAL"), basis: "CONSENT" };
}

/** Why staff may not manage consent or see a patient's consent page; NO_RELATIONSHIP: their facility does not know the patient. */
export type StaffDenyReason = "USER_INACTIVE" | "FACILITY_SUSPENDED" | "CREDENTIAL_UNVERIFIED" | "FACILITY_NOT_VIEWER" | "NOT_FACILITY_STAFF" | "NO_RELATIONSHIP";

/**
 * May this user record or withdraw consents for their own facility (and hand a patient their access
 * report)? Any verified member of a participating viewing facility — clerks included, since capturing
 * consent at reception is their job; network administrators are not facility staff.
 */
export function decideConsentManagement(actor: ActorFacts): { allow: true } | { allow: false; reason: Exclude<StaffDenyReason, "NO_RELATIONSHIP"> } {
  if (!actor.active) return { allow: false, reason: "USER_INACTIVE" };
  if (!actor.facilityActive) return { allow: false, reason: "FACILITY_SUSPENDED" };
  if (actor.profession === "ADMIN") return { allow: false, reason: "NOT_FACILITY_STAFF" };
  if (!actor.credentialVerified) return { allow: false, reason: "CREDENTIAL_UNVERIFIED" };
  if (!actor.facilityViews) return { allow: false, reason: "FACILITY_NOT_VIEWER" };
  return { allow: true };
}
