import { CLINICAL_PROFESSIONS, type ActorFacts, type Profession } from "../access/decide";
import { decideBreakGlassRight } from "../access/duties";
import type { LiveSession } from "./sessions";

/** The signed-in user as every lib/* call receives it: always re-read from the database. */
export interface Actor {
  userId: string;
  loginId: string;
  name: string;
  profession: Profession;
  facilityId: string;
  facilityName: string;
  facilityStatus: "ACTIVE" | "SUSPENDED";
  facilityViews: boolean;
  facilityCanBreakGlass: boolean;
  active: boolean;
  /** 施設管理者: manages this facility's accounts (lib/access/account-admin decides each action) */
  facilityAdministrator: boolean;
  credentialVerified: boolean;
  sessionId: string;
  /** both factors checked at login */
  mfa: boolean;
  mustChangePassword: boolean;
}

/** The actor a user and their session make (also what scripts build for a user without a login). */
export function toActor(u: LiveSession["user"], s: { id: string; mfa: boolean }): Actor {
  return {
    userId: u.id,
    loginId: u.loginId,
    name: u.name,
    profession: u.profession,
    facilityId: u.facilityId,
    facilityName: u.facility.name,
    facilityStatus: u.facility.status,
    facilityViews: u.facility.views,
    facilityCanBreakGlass: u.facility.canBreakGlass,
    active: u.active,
    facilityAdministrator: u.facilityAdministrator,
    credentialVerified: u.credentialVerifiedAt !== null,
    sessionId: s.id,
    mfa: s.mfa,
    mustChangePassword: u.mustChangePassword,
  };
}

/** The facts lib/access decides on, from the signed-in user as re-read this request. */
export function actorFacts(actor: Actor): ActorFacts {
  return {
    userId: actor.userId,
    loginComplete: actor.mfa && !actor.mustChangePassword,
    profession: actor.profession,
    active: actor.active,
    credentialVerified: actor.credentialVerified,
    facilityId: actor.facilityId,
    facilityActive: actor.facilityStatus === "ACTIVE",
    facilityViews: actor.facilityViews,
    facilityCanBreakGlass: actor.facilityCanBreakGlass,
  };
}

/** Does this user's work include clinical records (what the navigation offers; lib/access still decides each read). */
export const isClinical = (actor: Pick<Actor, "profession">) => CLINICAL_PROFESSIONS.includes(actor.profession);

/**
 * Where this user's work starts: clinicians at patient search, the desk at consent, administrators at
 * accounts. The home page sends them there; a refusal screen leads back there.
 */
export type WorkStart = "/patients" | "/consents/new" | "/admin/users";
export const workStart = (actor: Pick<Actor, "profession">): WorkStart => (isClinical(actor) ? "/patients" : actor.profession === "ADMIN" ? "/admin/users" : "/consents/new");

/** May this user start break-glass now (the header and the refusal screen offer the way only to those who may). */
export const canBreakGlass = (actor: Actor) => decideBreakGlassRight(actorFacts(actor)).allow;
