import { z } from "zod";
import { getDb } from "../db/client";
import { now } from "../clock";
import { auditActorOf, recordAudit } from "../audit";
import type { Actor } from "../auth/actor";
import { actorFacts } from "../auth/to-actor";
import { decideAdministration } from "../access/duties";
import { isGrantActive } from "../access/decide";
import { refuse, requireAdministration } from "./refuse";
import { InvalidFieldsError } from "./errors";
import { fieldErrors } from "./input";

/** Unreviewed events older than this are highlighted: a review is owed. */
export const REVIEW_DUE_DAYS = 7;

export interface BreakGlassEvent {
  patientId: string;
  id: string;
  patientName: string;
  userName: string;
  profession: string;
  facilityName: string;
  reason: string;
  reasonText: string | null;
  startedAt: string;
  expiresAt: string;
  endedAt: string | null;
  state: "ACTIVE" | "ENDED" | "EXPIRED";
  /** what was viewed under this grant (audited views) */
  views: { at: string; what: string }[];
  reviewedAt: string | null;
  reviewedBy: string | null;
  reviewOutcome: string | null;
  reviewNote: string | null;
  overdue: boolean;
  /** may this administrator review it (not their own, nor by an account they created) */
  mayReview: boolean;
}

/** The administrators' review queue: every grant, unreviewed first, newest first. Reading it is audited. */
export async function listBreakGlassEvents(actor: Actor): Promise<BreakGlassEvent[]> {
  await requireAdministration(actor, "BREAK_GLASS_QUEUE_VIEW", "break-glass-queue");
  const db = await getDb();
  const at = now();
  await db.$transaction((tx) => recordAudit(tx, { actor: auditActorOf(actor), action: "BREAK_GLASS_QUEUE_VIEW", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { what: "break-glass-queue" } }));
  const facts = actorFacts(actor);
  const grants = await db.breakGlass.findMany({
    orderBy: [{ startedAt: "desc" }],
    take: 500,
    include: { user: { select: { name: true, profession: true, createdById: true } }, facility: { select: { name: true } }, patient: { select: { familyName: true, givenName: true } }, reviewedBy: { select: { name: true } } },
  });
  const views = grants.length
    ? await db.auditEvent.findMany({
        where: { action: "RECORD_VIEW", purpose: "EMERGENCY", patientId: { in: [...new Set(grants.map((g) => g.patientId))] }, actorId: { in: [...new Set(grants.map((g) => g.userId))] } },
        select: { at: true, actorId: true, patientId: true, detail: true },
        orderBy: { seq: "asc" },
      })
    : [];
  const events = grants.map((g) => {
    const end = (g.endedAt ?? g.expiresAt).getTime();
    return {
      patientId: g.patientId,
      id: g.id,
      patientName: `${g.patient.familyName} ${g.patient.givenName}`,
      userName: g.user.name,
      profession: g.user.profession,
      facilityName: g.facility.name,
      reason: g.reason,
      reasonText: g.reasonText,
      startedAt: g.startedAt.toISOString(),
      expiresAt: g.expiresAt.toISOString(),
      endedAt: g.endedAt?.toISOString() ?? null,
      state: (g.endedAt ? (g.endedAt.getTime() < g.expiresAt.getTime() ? "ENDED" : "EXPIRED") : g.expiresAt <= at ? "EXPIRED" : "ACTIVE") as BreakGlassEvent["state"],
      views: views
        .filter((v) => v.actorId === g.userId && v.patientId === g.patientId && v.at >= g.startedAt && v.at.getTime() <= end)
        .map((v) => ({ at: v.at.toISOString(), what: String((v.detail as { what?: string } | null)?.what ?? "") })),
      reviewedAt: g.reviewedAt?.toISOString() ?? null,
      reviewedBy: g.reviewedBy?.name ?? null,
      reviewOutcome: g.reviewOutcome,
      reviewNote: g.reviewNote,
      overdue: !g.reviewedAt && at.getTime() - g.startedAt.getTime() > REVIEW_DUE_DAYS * 86_400_000,
      mayReview: decideAdministration(facts, { kind: "REVIEW", subjectUserId: g.userId, subjectCreatedById: g.user.createdById, stillRunning: isGrantActive(g, at) }).allow,
    };
  });
  return events.sort((a, b) => Number(!!a.reviewedAt) - Number(!!b.reviewedAt));
}

const reviewInput = z
  .object({
    patientId: z.string().min(1).max(60),
    grantId: z.string().min(1).max(60),
    outcome: z.enum(["APPROPRIATE", "FOLLOW_UP"]),
    note: z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().max(1000)),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === "FOLLOW_UP" && v.note.length < 5) ctx.addIssue({ code: "custom", path: ["note"], params: { error: "required" } });
  });

/**
 * Marks one grant reviewed: appropriate, or needing follow-up (with a note saying what). Never by the
 * one who broke the glass, nor by the administrator who created their account (lib/access).
 */
export async function reviewBreakGlass(actor: Actor, input: unknown): Promise<void> {
  await requireAdministration(actor, "BREAK_GLASS_REVIEWED", "break-glass-review");
  const p = reviewInput.safeParse(input);
  if (!p.success) throw new InvalidFieldsError(fieldErrors(p.error));
  const db = await getDb();
  const at = now();
  const grant = await db.breakGlass.findUnique({ where: { patientId_id: { patientId: p.data.patientId, id: p.data.grantId } }, select: { userId: true, startedAt: true, expiresAt: true, endedAt: true, patientId: true, user: { select: { createdById: true } } } });
  if (!grant) throw new InvalidFieldsError({ grantId: "invalid" });
  const d = decideAdministration(actorFacts(actor), { kind: "REVIEW", subjectUserId: grant.userId, subjectCreatedById: grant.user.createdById, stillRunning: isGrantActive(grant, at) });
  if (!d.allow) await refuse(actor, { action: "BREAK_GLASS_REVIEWED", reason: d.reason, patientId: p.data.patientId, purpose: "ADMINISTRATION", what: "break-glass-review", at, detail: { grantId: p.data.grantId } });
  await db.$transaction(async (tx) => {
    const r = await tx.breakGlass.updateMany({ where: { patientId: p.data.patientId, id: p.data.grantId, reviewedAt: null }, data: { reviewedAt: at, reviewedById: actor.userId, reviewOutcome: p.data.outcome, reviewNote: p.data.note || null } });
    if (r.count !== 1) throw new InvalidFieldsError({ grantId: "invalid" });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "BREAK_GLASS_REVIEWED", outcome: "SUCCESS", patientId: p.data.patientId, purpose: "ADMINISTRATION", at, detail: { grantId: p.data.grantId, outcome: p.data.outcome } });
  });
}

export async function listDisasterModes(actor: Actor): Promise<{ region: string; active: boolean; changedAt: string }[]> {
  await requireAdministration(actor, "BREAK_GLASS_QUEUE_VIEW", "disaster-modes");
  const db = await getDb();
  const regions = [...new Set((await db.facility.findMany({ select: { prefecture: true } })).map((f) => f.prefecture).filter((p): p is string => !!p))].sort();
  const modes = new Map((await db.disasterMode.findMany()).map((m) => [m.region, m]));
  return regions.map((region) => ({ region, active: modes.get(region)?.active ?? false, changedAt: modes.get(region)?.changedAt.toISOString() ?? "" }));
}

/** 災害モード for a prefecture: on, break-glass may identify by name, birth date and sex alone. */
export async function setDisasterMode(actor: Actor, region: string, active: boolean): Promise<void> {
  await requireAdministration(actor, "DISASTER_MODE", "disaster-mode");
  const db = await getDb();
  const at = now();
  await db.$transaction(async (tx) => {
    if (!(await tx.facility.findFirst({ where: { prefecture: region }, select: { id: true } }))) throw new InvalidFieldsError({ region: "invalid" });
    await tx.disasterMode.upsert({ where: { region }, create: { region, active, changedAt: at, changedById: actor.userId }, update: { active, changedAt: at, changedById: actor.userId } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "DISASTER_MODE", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { region, active } });
  });
}
