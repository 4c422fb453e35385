import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Tx } from "../db/client";
import { getDb } from "../db/client";
import { now } from "../clock";
import { auditActorOf, recordAudit, type AuditAction } from "../audit";
import type { Actor } from "../auth/actor";
import { decideConsentManagement, type Scope, type Sensitivity } from "../access/decide";
import { AccessDeniedError, InvalidFieldsError, PatientNotFoundError } from "./errors";
import { actorFacts } from "./guard";
import { patientBasics, type PatientBasics } from "./identity";
import { fieldErrors, isoDay, jstDayStart, optional } from "./input";
import { normaliseKana } from "./search";
import { CONSENT_METHODS, CONSENT_SCOPES, IDENTITY_CHECKS, WITHHOLDABLE } from "../access/consent-options";
import { mayKnowWithheldCategories } from "../access/disclosure";


const asList = (v: unknown) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]);

const consentFields = z.object({
  scope: z.enum(CONSENT_SCOPES),
  method: z.enum(CONSENT_METHODS),
  identityVerification: z.enum(IDENTITY_CHECKS),
  /** the last day the consent holds (inclusive, Japan time) */
  expiresOn: optional(isoDay),
  withheld: z.preprocess(asList, z.array(z.enum(WITHHOLDABLE))),
});

export const identification = z.object({
  kana: z.string().trim().min(1).max(60),
  birthDate: isoDay,
  insuredNumber: z.string().trim().regex(/^[0-9A-Za-z-]{1,20}$/),
});

/** The one patient whose card says exactly this (kana name, birth date, insured number), or null. */
export async function findByCard(tx: Tx, who: z.infer<typeof identification>): Promise<string | null> {
  const candidates = await tx.patient.findMany({ where: { birthDate: new Date(`${who.birthDate}T00:00:00Z`), insuredNumber: who.insuredNumber }, select: { id: true, familyNameKana: true, givenNameKana: true } });
  const kana = normaliseKana(who.kana).replace(/ /g, "");
  const match = candidates.filter((p) => normaliseKana(`${p.familyNameKana}${p.givenNameKana}`).replace(/ /g, "") === kana);
  return match.length === 1 ? match[0]!.id : null;
}

export function parse<T extends z.ZodType>(schema: T, input: unknown, errors: Record<string, string>): z.infer<T> | null {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  Object.assign(errors, fieldErrors(r.error));
  return null;
}

/** Refuses (and audits) a user who is not staff of a participating viewing facility. */
async function requireConsentStaff(actor: Actor, patientId: string | null, what: string): Promise<void> {
  const d = decideConsentManagement(actorFacts(actor));
  if (d.allow) return;
  const db = await getDb();
  await db.$transaction((tx) =>
    recordAudit(tx, { actor: auditActorOf(actor), action: "CONSENT_DENIED", outcome: "DENY", patientId, purpose: "ADMINISTRATION", at: now(), detail: { what, reason: d.reason } }),
  );
  throw new AccessDeniedError(d.reason, patientId ?? "");
}

/** Does the actor's facility already know this patient: a consent row (any state) or its own patient? */
async function facilityKnowsPatient(tx: Tx, facilityId: string, patientId: string): Promise<boolean> {
  const [consent, link] = await Promise.all([
    tx.consent.findFirst({ where: { patientId, facilityId }, select: { id: true } }),
    tx.patientLink.findFirst({ where: { patientId, facilityId }, select: { id: true } }),
  ]);
  return consent !== null || link !== null;
}

/**
 * Run `body` for a patient this facility knows, auditing it as `action` in the same transaction; a
 * patient it does not know is refused (audited), so a consent page is no way to browse identities.
 */
export async function withKnownPatient<T>(actor: Actor, patientId: string, action: AuditAction, what: string, body: (tx: Tx, at: Date) => Promise<{ value: T; detail?: Record<string, unknown> }>): Promise<T> {
  await requireConsentStaff(actor, patientId, what);
  const db = await getDb();
  const at = now();
  const r = await db.$transaction(async (tx) => {
    const exists = await tx.patient.findUnique({ where: { id: patientId }, select: { id: true } });
    if (!exists) return { notFound: true as const };
    if (!(await facilityKnowsPatient(tx, actor.facilityId, patientId))) return { unknown: true as const };
    const { value, detail } = await body(tx, at);
    await recordAudit(tx, { actor: auditActorOf(actor), action, outcome: "SUCCESS", patientId, purpose: "ADMINISTRATION", at, detail: { what, ...detail } });
    return { value };
  });
  if ("notFound" in r) throw new PatientNotFoundError(patientId);
  if ("unknown" in r) {
    await db.$transaction((tx) =>
      recordAudit(tx, { actor: auditActorOf(actor), action: "CONSENT_DENIED", outcome: "DENY", patientId, purpose: "ADMINISTRATION", at, detail: { what, reason: "NO_RELATIONSHIP" } }),
    );
    throw new AccessDeniedError("NO_RELATIONSHIP", patientId);
  }
  return r.value;
}

export interface ConsentEntry {
  id: string;
  scope: Scope;
  /** IN_FORCE: the newest row and active; SUPERSEDED: an older row a newer one replaced */
  state: "IN_FORCE" | "SUPERSEDED" | "WITHDRAWN" | "EXPIRED";
  method: string;
  identityVerification: string;
  /** the withheld categories, only for staff who may know them (lib/access/disclosure); empty for clinicians */
  withheld: Sensitivity[];
  /** does this consent withhold anything: what a clinician is told instead of the categories */
  withholdsSome: boolean;
  expiresAt: string | null;
  capturedAt: string;
  capturedBy: string;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
}

export interface ConsentOverview {
  patient: PatientBasics;
  facilityName: string;
  /** newest first; never rewritten: a change is a new row */
  history: ConsentEntry[];
  inForce: ConsentEntry | null;
  /** false for clinicians: entries say that something is withheld, never what */
  categoriesShown: boolean;
}

/** One facility's consent history for a patient, as its staff see it (no clinical data). */
export async function getConsentOverview(actor: Actor, patientId: string): Promise<ConsentOverview> {
  const categoriesShown = mayKnowWithheldCategories(actorFacts(actor));
  return withKnownPatient(actor, patientId, "CONSENT_VIEW", "consent", async (tx, at) => {
    const [p, rows] = await Promise.all([
      tx.patient.findUniqueOrThrow({ where: { id: patientId } }),
      tx.consent.findMany({
        where: { patientId, facilityId: actor.facilityId },
        orderBy: [{ capturedAt: "desc" }, { id: "desc" }],
        include: { capturedBy: { select: { name: true } }, withdrawnBy: { select: { name: true } } },
      }),
    ]);
    const history: ConsentEntry[] = rows.map((c, i) => ({
      id: c.id,
      scope: c.scope,
      state: c.status === "WITHDRAWN" ? "WITHDRAWN" : i > 0 ? "SUPERSEDED" : c.expiresAt && c.expiresAt <= at ? "EXPIRED" : "IN_FORCE",
      method: c.method,
      identityVerification: c.identityVerification,
      withheld: categoriesShown ? c.withheldCategories.filter((w) => w !== "NORMAL") : [],
      withholdsSome: c.withheldCategories.some((w) => w !== "NORMAL"),
      expiresAt: c.expiresAt?.toISOString() ?? null,
      capturedAt: c.capturedAt.toISOString(),
      capturedBy: c.capturedBy.name,
      withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
      withdrawnBy: c.withdrawnBy?.name ?? null,
    }));
    return { value: { patient: patientBasics(p), facilityName: actor.facilityName, history, inForce: history[0]?.state === "IN_FORCE" ? history[0] : null, categoriesShown } };
  });
}

async function insertConsent(tx: Tx, actor: Actor, patientId: string, f: z.infer<typeof consentFields>, at: Date) {
  const id = `con-${randomUUID()}`;
  // "Until 2027-03-31" holds through that day in Japan: it ends at the start of the next.
  const expiresAt = f.expiresOn ? new Date(jstDayStart(f.expiresOn).getTime() + 86_400_000) : null;
  await tx.consent.create({
    data: { patientId, id, facilityId: actor.facilityId, scope: f.scope, method: f.method, identityVerification: f.identityVerification, withheldCategories: f.withheld, expiresAt, capturedById: actor.userId, capturedAt: at },
  });
  return { id, detail: { consentId: id, scope: f.scope, method: f.method, identityVerification: f.identityVerification, withheld: f.withheld, expiresAt: expiresAt?.toISOString() ?? null } };
}

function parseConsent(input: unknown, errors: Record<string, string>, at: Date) {
  const f = parse(consentFields, input, errors);
  if (f?.expiresOn && new Date(jstDayStart(f.expiresOn).getTime() + 86_400_000) <= at) {
    errors.expiresOn = "past";
    return null;
  }
  return f;
}

/**
 * Records a consent for the actor's facility, for a patient the facility already knows (a change is a
 * new row; the newest is in force). Field problems come back as InvalidFieldsError, nothing written.
 */
export async function recordConsent(actor: Actor, patientId: string, input: unknown): Promise<{ consentId: string }> {
  await requireConsentStaff(actor, patientId, "consent");
  const errors: Record<string, string> = {};
  const f = parseConsent(input, errors, now());
  if (!f) throw new InvalidFieldsError(errors);
  return withKnownPatient(actor, patientId, "CONSENT_RECORDED", "consent", async (tx, at) => {
    const { id, detail } = await insertConsent(tx, actor, patientId, f, at);
    return { value: { consentId: id }, detail };
  });
}

/**
 * Records a first consent for a patient identified at the desk by the three items on their card
 * (kana name, birth date, insured number), all of which must match one patient exactly. Nothing about
 * a patient is revealed until they are identified.
 */
export async function recordConsentByIdentity(actor: Actor, input: unknown): Promise<{ patientId: string; consentId: string }> {
  await requireConsentStaff(actor, null, "consent");
  const at = now();
  const errors: Record<string, string> = {};
  const who = parse(identification, input, errors);
  const f = parseConsent(input, errors, at);
  if (!who || !f) throw new InvalidFieldsError(errors);
  const db = await getDb();
  const r = await db.$transaction(async (tx) => {
    const patientId = await findByCard(tx, who);
    if (!patientId) {
      await recordAudit(tx, { actor: auditActorOf(actor), action: "PATIENT_IDENTIFY", outcome: "FAILURE", purpose: "ADMINISTRATION", at, detail: { what: "consent" } });
      return null;
    }
    const { id, detail } = await insertConsent(tx, actor, patientId, f, at);
    await recordAudit(tx, { actor: auditActorOf(actor), action: "CONSENT_RECORDED", outcome: "SUCCESS", patientId, purpose: "ADMINISTRATION", at, detail: { what: "consent", identifiedBy: "kana+birthDate+insuredNumber", ...detail } });
    return { patientId, consentId: id };
  });
  if (!r) throw new InvalidFieldsError({ identify: "notFound" });
  return r;
}

/**
 * Withdraws the facility's consent: every active row, so no older consent can take over. Effective
 * for every user of the facility at their next request (each read decides afresh).
 */
export async function withdrawConsent(actor: Actor, patientId: string): Promise<{ withdrawn: number }> {
  return withKnownPatient(actor, patientId, "CONSENT_WITHDRAWN", "consent", async (tx, at) => {
    const r = await tx.consent.updateMany({ where: { patientId, facilityId: actor.facilityId, status: "ACTIVE" }, data: { status: "WITHDRAWN", withdrawnAt: at, withdrawnById: actor.userId } });
    return { value: { withdrawn: r.count }, detail: { withdrawn: r.count } };
  });
}
