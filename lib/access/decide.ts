import { consentInForce, withheldAnywhere } from "./consent-in-force";

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
  /**
   * Both factors checked at this login and no password change owed. A fact like any other, so that
   * every decision below refuses a half-finished login whatever route asked (a page, an action, the API).
   */
  loginComplete: boolean;
  profession: Profession;
  active: boolean;
  credentialVerified: boolean;
  facilityId: string;
  facilityActive: boolean;
  facilityViews: boolean;
  facilityCanBreakGlass: boolean;
}

export interface ConsentFact {
  /** the row's id: orders rows recorded in the same instant as the consent page lists them */
  id?: string;
  facilityId: string;
  scope: Scope;
  status: "ACTIVE" | "WITHDRAWN";
  expiresAt: Date | null;
  withheldCategories: Sensitivity[];
  capturedAt: Date;
  /** who recorded it: a consent recorded by the very user who then reads the record is flagged for review */
  capturedById?: string;
  /** the recorder's profession: a consent a clinician recorded is flagged on its first use, by anyone */
  capturedByProfession?: Profession;
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
  /**
   * consents of this patient, of every facility: the actor's facility's grants access; every
   * facility's withheld categories hold under break-glass
   */
  consents: ConsentFact[];
  /** break-glass grants of this patient (any user; only the actor's own count) */
  grants: GrantFact[];
  /** facilities whose disclosed records the network withholds from everyone (a suspended facility, by its administrator's choice) */
  withheldFacilities?: readonly string[];
  now: Date;
}

/**
 * What an allowed read must leave out: the categories the patient withholds (from the actor's
 * facility; from any facility under break-glass), and the records of the facilities the network
 * withholds. One value, so that no reader can filter the one and forget the other.
 */
export interface Withheld {
  categories: readonly Sensitivity[];
  facilities: readonly string[];
}

export type DenyReason =
  | "LOGIN_INCOMPLETE"
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
  | {
      allow: true;
      scope: Scope;
      withheld: Withheld;
      basis: "CONSENT" | "BREAK_GLASS";
      /** the consent in force was recorded by this same user: allowed, and flagged for the administrator */
      recordedBySelf: boolean;
      /**
       * the consent in force was recorded by a clinician (of this facility, as every consent is), not at
       * the desk: a colleague of the recorder gains from it as much as the recorder, so its use by anyone
       * is flagged for the administrator too
       */
      recordedByClinician: boolean;
    }
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

/**
 * Who the actor is, before any patient: a complete login of an active user, at a participating
 * viewing facility, in a clinical profession, with a verified licence. Shared by every clinical
 * decision (reading a record, searching for a patient), so that they cannot drift apart.
 */
export function clinicalActorRefusal(actor: ActorFacts): DenyReason | null {
  if (!actor.loginComplete) return "LOGIN_INCOMPLETE";
  if (!actor.active) return "USER_INACTIVE";
  if (!actor.facilityActive) return "FACILITY_SUSPENDED";
  if (!CLINICAL_PROFESSIONS.includes(actor.profession)) return "PROFESSION_NOT_CLINICAL";
  if (!actor.credentialVerified) return "CREDENTIAL_UNVERIFIED";
  if (!actor.facilityViews) return "FACILITY_NOT_VIEWER";
  return null;
}

export function decide(f: AccessFacts): Decision {
  const { actor, now } = f;
  const refused = clinicalActorRefusal(actor);
  if (refused) return { allow: false, reason: refused };

  if (f.purpose === "EMERGENCY") {
    if (!mayBreakGlass(actor)) {
      return { allow: false, reason: "BREAK_GLASS_NOT_PERMITTED" };
    }
    const grant = f.grants.some((g) => g.userId === actor.userId && g.patientId === f.patientId && isGrantActive(g, now));
    // What the patient withholds from any facility stays withheld in an emergency too (owner's decision).
    const withheld = { categories: withheldAnywhere(f.consents), facilities: f.withheldFacilities ?? [] };
    return grant ? { allow: true, scope: "EMERGENCY", withheld, basis: "BREAK_GLASS", recordedBySelf: false, recordedByClinician: false } : { allow: false, reason: "NO_ACTIVE_GRANT" };
  }

  const { state, consent } = consentInForce(f.consents, actor.facilityId, now);
  if (state === "NONE") return { allow: false, reason: "NO_CONSENT" };
  if (state === "WITHDRAWN") return { allow: false, reason: "CONSENT_WITHDRAWN" };
  if (state === "EXPIRED") return { allow: false, reason: "CONSENT_EXPIRED" };
  return {
    allow: true,
    scope: consent!.scope,
    withheld: { categories: consent!.withheldCategories.filter((c) => c !== "NORMAL"), facilities: f.withheldFacilities ?? [] },
    basis: "CONSENT",
    recordedBySelf: consent!.capturedById === actor.userId,
    recordedByClinician: consent!.capturedByProfession !== undefined && CLINICAL_PROFESSIONS.includes(consent!.capturedByProfession),
  };
}

/** The refusals that say only that no consent of the actor's facility is in force. */
const CONSENT_REFUSALS: readonly DenyReason[] = ["NO_CONSENT", "CONSENT_WITHDRAWN", "CONSENT_EXPIRED"];

/**
 * A read whose caller states no purpose (a facility system on the FHIR API, which has no emergency page
 * to open): under the consent in force for the actor's facility when there is one; otherwise under the
 * actor's own break-glass grant for this patient, as the emergency page reads (EMERGENCY: the emergency
 * dataset, until the grant's expiry, audited as emergency treatment). The consent comes first: a grant is
 * the way to a patient without one. A clinician who never held a grant for the patient is told the
 * consent's refusal; one who did, the grant's (NO_ACTIVE_GRANT once it has lapsed or been ended).
 */
export function decideUnstatedPurpose(f: Omit<AccessFacts, "purpose">): { purpose: Purpose; decision: Decision } {
  const treatment = decide({ ...f, purpose: "TREATMENT" });
  if (treatment.allow || !CONSENT_REFUSALS.includes(treatment.reason)) return { purpose: "TREATMENT", decision: treatment };
  const held = f.grants.some((g) => g.userId === f.actor.userId && g.patientId === f.patientId);
  return held ? { purpose: "EMERGENCY", decision: decide({ ...f, purpose: "EMERGENCY" }) } : { purpose: "TREATMENT", decision: treatment };
}

/** Why staff may not manage consent or see a patient's consent page; NO_RELATIONSHIP: their facility does not know the patient. */
export type StaffDenyReason = "LOGIN_INCOMPLETE" | "USER_INACTIVE" | "FACILITY_SUSPENDED" | "CREDENTIAL_UNVERIFIED" | "FACILITY_NOT_VIEWER" | "NOT_FACILITY_STAFF" | "NO_RELATIONSHIP";

/**
 * May this user record or withdraw consents for their own facility (and hand a patient their access
 * report)? Any verified member of a participating viewing facility — clerks included, since capturing
 * consent at reception is their job; network administrators are not facility staff.
 */
export function decideConsentManagement(actor: ActorFacts): { allow: true } | { allow: false; reason: Exclude<StaffDenyReason, "NO_RELATIONSHIP"> } {
  if (!actor.loginComplete) return { allow: false, reason: "LOGIN_INCOMPLETE" };
  if (!actor.active) return { allow: false, reason: "USER_INACTIVE" };
  if (!actor.facilityActive) return { allow: false, reason: "FACILITY_SUSPENDED" };
  if (actor.profession === "ADMIN") return { allow: false, reason: "NOT_FACILITY_STAFF" };
  if (!actor.credentialVerified) return { allow: false, reason: "CREDENTIAL_UNVERIFIED" };
  if (!actor.facilityViews) return { allow: false, reason: "FACILITY_NOT_VIEWER" };
  return { allow: true };
}
