import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getDb, type Tx } from "../db/client";
import { env } from "../env";
import { now } from "../clock";
import { auditActorOf, recordAudit } from "../audit";
import type { Actor } from "../auth/actor";
import { reauthenticate } from "../auth/reauthenticate";
import { decideBreakGlassRight, decideBreakGlassStart } from "../access/duties";
import { lastIdentification } from "./identification-log";
import { actorFacts } from "../auth/to-actor";
import { InvalidFieldsError, PatientNotFoundError } from "./errors";
import { refuse } from "./refuse";
import { fieldErrors, isoDay } from "./input";
import { normaliseKana } from "./search";
import { addressMatchesToMunicipality } from "./address";
import { cardNumber } from "./input";
import { takeOne } from "./rate-limit";
import { patientBasics, type PatientBasics } from "./identity";

/**
 * 救急時医療情報共有: the emergency path to a patient with no consent on file. The grant is a BreakGlass
 * row that lib/access checks like a consent; the audit trail follows FHIR AuditEvent's break-glass
 * pattern: DICOM 110127 "Emergency Override Started" (purpose ETREAT), every view, 110138 "Stopped".
 */
export const BREAK_GLASS_REASONS = ["UNCONSCIOUS", "DISASTER", "LIFE_THREATENING", "OTHER"] as const;
const DICOM_START = "110127";
const DICOM_STOP = "110138";

/** Who may break glass at all (lib/access): the profession and the facility's right; a refusal is audited. */
export async function requireBreakGlassRight(actor: Actor, patientId: string | null, what: string): Promise<void> {
  const d = decideBreakGlassRight(actorFacts(actor));
  if (!d.allow) await refuse(actor, { action: "BREAK_GLASS_DENIED", reason: d.reason, patientId, purpose: "EMERGENCY", what });
}

/** Is 災害モード on for the actor's region (their facility's prefecture)? */
export async function disasterModeFor(actor: Actor): Promise<boolean> {
  const db = await getDb();
  const region = (await db.facility.findUnique({ where: { id: actor.facilityId }, select: { prefecture: true } }))?.prefecture;
  if (!region) return false;
  return (await db.disasterMode.findUnique({ where: { region } }))?.active ?? false;
}

/** Identity only — never clinical data — for the candidates an emergency search lists. */
export interface EmergencyCandidate extends PatientBasics {
  address: string | null;
}

const text = (max: number) => z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string().min(1).max(max));
const identifyInput = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("insurance"), insurerNumber: text(10).transform(cardNumber).pipe(z.string().regex(/^\d{6}$|^\d{8}$/)), insuredNumber: text(20).transform(cardNumber) }),
  z.object({ mode: z.literal("four"), kana: text(60), birthDate: isoDay, sex: z.enum(["MALE", "FEMALE", "OTHER", "UNKNOWN"]), address: text(120) }),
  z.object({ mode: z.literal("disaster"), kana: text(60), birthDate: isoDay, sex: z.enum(["MALE", "FEMALE", "OTHER", "UNKNOWN"]) }),
]);

/** At most this many candidates are shown: exact matches on every item are rarely more than one. */
const MAX_CANDIDATES = 5;

/**
 * Finds the patient in front of the ER, before any grant, so it lists identity only and only exact
 * matches: by insurance card (insurer and insured number), or by the four items — kana name
 * (normalised), birth date and sex exactly, and the address at least to the municipality; in disaster
 * mode for the user's prefecture, by the first three. A near match is never shown: a list of
 * strangers' names, birth dates and addresses is itself a disclosure. Each candidate shown is audited
 * with its patient id (so it appears in that patient's access report), and the step is rate-limited
 * per user.
 */
export async function identifyForEmergency(actor: Actor, input: unknown): Promise<EmergencyCandidate[]> {
  await requireBreakGlassRight(actor, null, "emergency-identify");
  const parsed = identifyInput.safeParse(input);
  if (!parsed.success) {
    throw new InvalidFieldsError(fieldErrors(parsed.error, "mode"));
  }
  const q = parsed.data;
  if (q.mode === "disaster" && !(await disasterModeFor(actor))) throw new InvalidFieldsError({ mode: "noDisaster" });
  const at = now();
  await takeOne(actor, "EMERGENCY_IDENTIFY", at, "emergency-identify");
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const basics = { id: true, familyName: true, givenName: true, familyNameKana: true, givenNameKana: true, sex: true, birthDate: true, address: true, insuredNumber: true } as const;
    let rows;
    if (q.mode === "insurance") {
      rows = (await tx.patient.findMany({ where: { insurerNumber: q.insurerNumber }, select: basics, take: 5000 })).filter((p) => p.insuredNumber !== null && cardNumber(p.insuredNumber) === q.insuredNumber);
    } else {
      const kana = normaliseKana(q.kana).replace(/ /g, "");
      rows = (await tx.patient.findMany({ where: { birthDate: new Date(`${q.birthDate}T00:00:00Z`), sex: q.sex }, select: basics, take: 1000 })).filter(
        (p) => normaliseKana(`${p.familyNameKana}${p.givenNameKana}`).replace(/ /g, "") === kana && (q.mode === "disaster" || addressMatchesToMunicipality(q.address, p.address)),
      );
    }
    const found: EmergencyCandidate[] = rows.slice(0, MAX_CANDIDATES).map((p) => ({ ...patientBasics(p), address: p.address }));
    await recordAudit(tx, { actor: auditActorOf(actor), action: "PATIENT_IDENTIFY", outcome: found.length ? "SUCCESS" : "FAILURE", purpose: "EMERGENCY", at, detail: { what: "emergency-identify", mode: q.mode, shown: found.length } });
    for (const c of found) {
      await recordAudit(tx, { actor: auditActorOf(actor), action: "PATIENT_IDENTIFY", outcome: "SUCCESS", patientId: c.id, purpose: "EMERGENCY", at, detail: { what: "emergency-identify", mode: q.mode, shownAsCandidate: true } });
    }
    return found;
  });
}

const startInput = z
  .object({
    patientId: text(60),
    // the form's "choose" placeholder sends "": no reason chosen, reported as required
    reason: z.string().min(1).pipe(z.enum(BREAK_GLASS_REASONS)),
    reasonText: z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().max(500)),
    password: z.string().min(1).max(200),
    code: text(20),
  })
  .superRefine((v, ctx) => {
    if (v.reason === "OTHER" && [...v.reasonText].length < 10) ctx.addIssue({ code: "custom", path: ["reasonText"], params: { error: "short" } });
  });

/** Grants that ran out without being ended: close them with their own stop event (110138). */
async function closeExpired(tx: Tx, actor: Actor, patientId: string, at: Date) {
  const expired = await tx.breakGlass.findMany({ where: { patientId, userId: actor.userId, endedAt: null, expiresAt: { lte: at } } });
  for (const g of expired) {
    await tx.breakGlass.update({ where: { patientId_id: { patientId, id: g.id } }, data: { endedAt: g.expiresAt } });
    await recordAudit(tx, { actor: auditActorOf(actor), action: "BREAK_GLASS_STOP", outcome: "SUCCESS", patientId, purpose: "EMERGENCY", at, detail: { dicom: DICOM_STOP, grantId: g.id, ended: "EXPIRED", endedAt: g.expiresAt.toISOString() } });
  }
}

/**
 * Starts a grant for one patient after re-authentication (password and a fresh second-factor code):
 * the emergency dataset, for TSUNAGU_BREAK_GLASS_HOURS. Bad input or a failed re-authentication
 * gives field errors and no grant.
 */
export async function startBreakGlass(actor: Actor, input: unknown): Promise<{ grantId: string; expiresAt: Date }> {
  const raw = (input ?? {}) as { patientId?: unknown };
  await requireBreakGlassRight(actor, typeof raw.patientId === "string" ? raw.patientId : null, "break-glass");
  const parsed = startInput.safeParse(input);
  if (!parsed.success) {
    throw new InvalidFieldsError(fieldErrors(parsed.error));
  }
  const f = parsed.data;
  const db = await getDb();
  const at = now();
  const identifiedAt = await db.$transaction((tx) => lastIdentification(tx, actor.userId, f.patientId, "emergency-identify"));
  const start = decideBreakGlassStart(actorFacts(actor), identifiedAt, at);
  if (!start.allow) return refuse(actor, { action: "BREAK_GLASS_DENIED", reason: start.reason, patientId: f.patientId, purpose: "EMERGENCY", what: "break-glass", at });
  // Counts towards the account's lockout like a failed login, and uses up the code's step.
  const check = await reauthenticate(actor, { password: f.password, code: f.code }, "BREAK_GLASS");
  if (!check.ok) {
    await db.$transaction((tx) =>
      recordAudit(tx, { actor: auditActorOf(actor), action: "BREAK_GLASS_DENIED", outcome: "DENY", patientId: f.patientId, purpose: "EMERGENCY", at, detail: { what: "break-glass", reason: "REAUTHENTICATION_FAILED" } }),
    );
    throw new InvalidFieldsError({ reauth: "failed" });
  }
  const expiresAt = new Date(at.getTime() + env().TSUNAGU_BREAK_GLASS_HOURS * 3_600_000);
  const r = await db.$transaction(async (tx) => {
    if (!(await tx.patient.findUnique({ where: { id: f.patientId }, select: { id: true } }))) return null;
    await closeExpired(tx, actor, f.patientId, at);
    const grantId = `bg-${randomUUID()}`;
    await tx.breakGlass.create({ data: { patientId: f.patientId, id: grantId, userId: actor.userId, facilityId: actor.facilityId, reason: f.reason, reasonText: f.reasonText || null, startedAt: at, expiresAt } });
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "BREAK_GLASS_START",
      outcome: "SUCCESS",
      patientId: f.patientId,
      purpose: "EMERGENCY",
      at,
      detail: { dicom: DICOM_START, purposeOfUse: "ETREAT", grantId, reason: f.reason, reasonText: f.reasonText || null, expiresAt: expiresAt.toISOString() },
    });
    return { grantId, expiresAt };
  });
  if (!r) throw new PatientNotFoundError(f.patientId);
  return r;
}

/** Ends the actor's grant for this patient early (110138). */
export async function endBreakGlass(actor: Actor, patientId: string): Promise<number> {
  const db = await getDb();
  const at = now();
  return db.$transaction(async (tx) => {
    await closeExpired(tx, actor, patientId, at);
    const active = await tx.breakGlass.findMany({ where: { patientId, userId: actor.userId, endedAt: null } });
    for (const g of active) {
      await tx.breakGlass.update({ where: { patientId_id: { patientId, id: g.id } }, data: { endedAt: at } });
      await recordAudit(tx, { actor: auditActorOf(actor), action: "BREAK_GLASS_STOP", outcome: "SUCCESS", patientId, purpose: "EMERGENCY", at, detail: { dicom: DICOM_STOP, grantId: g.id, ended: "BY_USER" } });
    }
    return active.length;
  });
}

/** Records lazily that the actor's lapsed grants for this patient ended (before a read is decided). */
export async function closeExpiredGrants(actor: Actor, patientId: string): Promise<void> {
  const db = await getDb();
  const at = now();
  const any = await db.breakGlass.count({ where: { patientId, userId: actor.userId, endedAt: null, expiresAt: { lte: at } } });
  if (any) await db.$transaction((tx) => closeExpired(tx, actor, patientId, at));
}
