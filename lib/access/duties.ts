/**
 * The decisions about who may do what that are not a read of one patient's record: patient search,
 * the right to break glass, and network administration with its separation of duties. Pure, like
 * decide(): facts in, decision out, each tested as a matrix with its allow twin one fact away.
 */
import { clinicalActorRefusal, mayBreakGlass, type ActorFacts, type DenyReason } from "./decide";
import { identifiedRecently } from "./identification";

export type Refusal<R extends string> = { allow: true } | { allow: false; reason: R };

/**
 * Patient search is clinical: it finds patients to open, so it is refused to whoever could open none
 * (clerks and administrators, an unverified licence, a facility that does not view, a half-finished
 * login). The owner's decision: search shows nothing it may not open.
 */
export function decideSearch(actor: ActorFacts): Refusal<DenyReason> {
  const refused = clinicalActorRefusal(actor);
  return refused ? { allow: false, reason: refused } : { allow: true };
}

/**
 * Issuing an API token: the token reads as this clinician, so only someone who may read records now —
 * a complete login (both factors) of a verified clinical profession at an active viewing facility —
 * may hand one to a system. Every read with it is still decided on its own.
 */
export function decideApiTokenIssue(actor: ActorFacts): Refusal<DenyReason> {
  const refused = clinicalActorRefusal(actor);
  return refused ? { allow: false, reason: refused } : { allow: true };
}

/** The right to break glass at all: a complete login of a verified break-glass profession at a facility allowed to. */
export function decideBreakGlassRight(actor: ActorFacts): Refusal<"LOGIN_INCOMPLETE" | "BREAK_GLASS_NOT_PERMITTED"> {
  if (!actor.loginComplete) return { allow: false, reason: "LOGIN_INCOMPLETE" };
  if (actor.active && actor.facilityActive && actor.credentialVerified && mayBreakGlass(actor)) return { allow: true };
  return { allow: false, reason: "BREAK_GLASS_NOT_PERMITTED" };
}

/**
 * Starting a grant for one patient: only for a patient this user has just identified (the exact
 * items, lib/record/break-glass.identifyForEmergency), so the strict identification step cannot be
 * skipped by sending another patient's id.
 */
export function decideBreakGlassStart(actor: ActorFacts, identifiedAt: Date | null, now: Date): Refusal<"LOGIN_INCOMPLETE" | "BREAK_GLASS_NOT_PERMITTED" | "PATIENT_NOT_IDENTIFIED"> {
  const right = decideBreakGlassRight(actor);
  if (!right.allow) return right;
  return identifiedRecently(identifiedAt, now) ? { allow: true } : { allow: false, reason: "PATIENT_NOT_IDENTIFIED" };
}

export type AdminDenyReason = "LOGIN_INCOMPLETE" | "NOT_ADMINISTRATOR" | "SEPARATION_OF_DUTIES" | "GRANT_STILL_ACTIVE";

/**
 * What a network administrator acts on, where the separation of duties needs it: a break-glass grant
 * (whose it was, and who created that account). Accounts are account-admin.ts's decision.
 */
/** REVIEW: of what a user did; `stillRunning`: a break-glass grant not yet ended or expired, whose reads are not all done */
export type AdminAction = { kind: "MANAGE" } | { kind: "REVIEW"; subjectUserId: string; subjectCreatedById: string | null; stillRunning?: boolean };

/**
 * A network administrator who may act as one now: active, facility not suspended, both factors
 * checked. Separation of duties: nobody reviews their own break-glass or one by an account they
 * created (the four-eyes rule a privacy officer expects: no single person can both make and approve;
 * its twin for licence checks is in account-admin.ts).
 */
export function decideAdministration(actor: ActorFacts, action: AdminAction = { kind: "MANAGE" }): Refusal<AdminDenyReason> {
  if (!actor.loginComplete) return { allow: false, reason: "LOGIN_INCOMPLETE" };
  if (actor.profession !== "ADMIN" || !actor.active || !actor.facilityActive) return { allow: false, reason: "NOT_ADMINISTRATOR" };
  if (action.kind === "REVIEW" && (action.subjectUserId === actor.userId || action.subjectCreatedById === actor.userId)) return { allow: false, reason: "SEPARATION_OF_DUTIES" };
  // 適切 judges what was read: a grant still running may read more after the review (review 5, m1)
  if (action.kind === "REVIEW" && action.stillRunning) return { allow: false, reason: "GRANT_STILL_ACTIVE" };
  return { allow: true };
}

export const isAdministrator = (actor: ActorFacts) => decideAdministration(actor).allow;

/** Who marks a medication warning as handled: the professions that prescribe or dispense. */
export const ACKNOWLEDGING_PROFESSIONS = ["DOCTOR", "PHARMACIST"] as const;

/**
 * Acknowledging a warning ("確認済み") is a clinical judgement the next viewer relies on, so only a
 * doctor or pharmacist may record one, and only under a full-scope treatment read of the patient
 * (decided by decide() in the same call): an emergency-only consent or a break-glass grant shows the
 * emergency dataset, not the medication checks.
 */
export function decideWarningAcknowledgement(actor: ActorFacts, readScope: "FULL" | "EMERGENCY"): Refusal<"PROFESSION_MAY_NOT_ACKNOWLEDGE" | "SCOPE_EMERGENCY_ONLY"> {
  if (!(ACKNOWLEDGING_PROFESSIONS as readonly string[]).includes(actor.profession)) return { allow: false, reason: "PROFESSION_MAY_NOT_ACKNOWLEDGE" };
  return readScope === "FULL" ? { allow: true } : { allow: false, reason: "SCOPE_EMERGENCY_ONLY" };
}

/** What decides whether a facility's records may come in: its status and its role as 開示施設. */
export interface IngestSourceFacts {
  facilityActive: boolean;
  discloses: boolean;
}

/**
 * Records come in only from an active facility that discloses data (開示施設). A viewing-only or a
 * suspended facility's files are refused whole, before any is read.
 */
export function decideIngest(f: IngestSourceFacts): Refusal<"FACILITY_SUSPENDED" | "FACILITY_NOT_DISCLOSING"> {
  if (!f.facilityActive) return { allow: false, reason: "FACILITY_SUSPENDED" };
  if (!f.discloses) return { allow: false, reason: "FACILITY_NOT_DISCLOSING" };
  return { allow: true };
}
