import { z } from "zod";
import { getDb } from "../db/client";
import { now } from "../clock";
import { auditActorOf, recordAudit } from "../audit";
import type { Actor } from "../auth/actor";
import { actorFacts } from "../auth/to-actor";
import { decideAdministration } from "../access/duties";
import { InvalidFieldsError } from "./errors";
import { fieldErrors } from "./input";
import { refuse, requireAdministration } from "./refuse";

/** A consent whose recorder then opened the record under it: the person who wanted the access was the only witness. */
export interface SelfConsentUse {
  patientId: string;
  consentId: string;
  patientName: string;
  facilityName: string;
  recordedBy: string;
  profession: string;
  capturedAt: string;
  firstUsedAt: string;
  method: string;
  identityVerification: string;
  mayReview: boolean;
}

/** The administrators' queue of such consents, oldest first, until one is reviewed. */
export async function listSelfConsentUses(actor: Actor): Promise<SelfConsentUse[]> {
  await requireAdministration(actor, "BREAK_GLASS_QUEUE_VIEW", "consent-review-queue");
  const db = await getDb();
  const facts = actorFacts(actor);
  const rows = await db.consent.findMany({
    where: { selfUseAt: { not: null }, selfUseReviewedAt: null },
    orderBy: { selfUseAt: "asc" },
    take: 500,
    include: { patient: { select: { familyName: true, givenName: true } }, facility: { select: { name: true } }, capturedBy: { select: { name: true, profession: true, createdById: true } } },
  });
  return rows.map((c) => ({
    patientId: c.patientId,
    consentId: c.id,
    patientName: `${c.patient.familyName} ${c.patient.givenName}`,
    facilityName: c.facility.name,
    recordedBy: c.capturedBy.name,
    profession: c.capturedBy.profession,
    capturedAt: c.capturedAt.toISOString(),
    firstUsedAt: c.selfUseAt!.toISOString(),
    method: c.method,
    identityVerification: c.identityVerification,
    mayReview: decideAdministration(facts, { kind: "REVIEW", subjectUserId: c.capturedById, subjectCreatedById: c.capturedBy.createdById }).allow,
  }));
}

const reviewInput = z.object({ patientId: z.string().min(1).max(60), consentId: z.string().min(1).max(80) });

/** Records that an administrator looked into one such consent (separation of duties as for break-glass). */
export async function reviewSelfConsentUse(actor: Actor, input: unknown): Promise<void> {
  await requireAdministration(actor, "CONSENT_SELF_USE_REVIEWED", "consent-review");
  const p = reviewInput.safeParse(input);
  if (!p.success) throw new InvalidFieldsError(fieldErrors(p.error));
  const db = await getDb();
  const at = now();
  const c = await db.consent.findUnique({ where: { patientId_id: { patientId: p.data.patientId, id: p.data.consentId } }, select: { capturedById: true, selfUseAt: true, capturedBy: { select: { createdById: true } } } });
  if (!c?.selfUseAt) throw new InvalidFieldsError({ consentId: "invalid" });
  const d = decideAdministration(actorFacts(actor), { kind: "REVIEW", subjectUserId: c.capturedById, subjectCreatedById: c.capturedBy.createdById });
  if (!d.allow) await refuse(actor, { action: "CONSENT_SELF_USE_REVIEWED", reason: d.reason, patientId: p.data.patientId, purpose: "ADMINISTRATION", what: "consent-review", at });
  await db.$transaction(async (tx) => {
    const r = await tx.consent.updateMany({ where: { patientId: p.data.patientId, id: p.data.consentId, selfUseReviewedAt: null }, data: { selfUseReviewedAt: at, selfUseReviewedById: actor.userId } });
    if (r.count !== 1) throw new InvalidFieldsError({ consentId: "invalid" });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "CONSENT_SELF_USE_REVIEWED", outcome: "SUCCESS", patientId: p.data.patientId, purpose: "ADMINISTRATION", at, detail: { what: "consent-review", consentId: p.data.consentId } });
  });
}
