import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Tx } from "../db/client";
import { getDb } from "../db/client";
import { now } from "../clock";
import { auditActorOf, recordAudit, type AuditAction } from "../audit";
import type { Actor } from "../auth/actor";
import { decideConsentManagement, type Scope, type Sensitivity } from "../access/decide";
import { InvalidFieldsError, PatientNotFoundError, WideningNotConfirmedError } from "./errors";
import { actorFacts } from "../auth/to-actor";
import { refuse } from "./refuse";
import { consentInForce } from "../access/consent-in-force";
import { decideConsentChange, type ConsentWidening } from "../access/consent-change";
import { countOne, requireWithinLimit } from "./rate-limit";
import { patientBasics, type PatientBasics } from "./identity";
import { cardNumber, fieldErrors, isoDay, optional } from "./input";
import { normaliseKana } from "./search";
import { CONSENT_METHODS, CONSENT_SCOPES, consentEndsAt, IDENTITY_CHECKS, WITHHOLDABLE } from "../access/consent-options";
import { mayKnowWithheldCategories } from "../access/disclosure";
import { inTurn } from "../db/in-turn";


const asList = (v: unknown) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]);

const consentFields = z.object({
  scope: z.enum(CONSENT_SCOPES),
  method: z.enum(CONSENT_METHODS),
  identityVerification: z.enum(IDENTITY_CHECKS),
  /** the last day the consent holds (inclusive, Japan time) */
  expiresOn: optional(isoDay),
  withheld: z.preprocess(asList, z.array(z.enum(WITHHOLDABLE))),
  /** the key of the widening the desk confirmed with the patient (lib/access/consent-change wideningKey) */
  confirmWidening: optional(z.string().max(1000)),
});


/**
 * What is on a patient's insurance card (or read from a My Number card): kana name, birth date,
 * insurer number and insured number. All four, together, identify a patient for consent and for the
 * access report; a bare patient id never does.
 */
export const identification = z.object({
  kana: z.string().trim().min(1).max(60),
  // an empty date is "required", not "invalid": say what is missing
  birthDate: z.string().min(1).pipe(isoDay),
  insurerNumber: z.preprocess((v) => (typeof v === "string" ? cardNumber(v) : v), z.string().min(1).regex(/^\d{6}$|^\d{8}$/)),
  insuredNumber: z.preprocess((v) => (typeof v === "string" ? cardNumber(v) : v), z.string().min(1).regex(/^[0-9A-Za-z]{1,20}$/)),
});

/** The one patient whose card says exactly this, or null (no match, or two people alike: never a guess). */
export async function findByCard(tx: Tx, who: z.infer<typeof identification>): Promise<string | null> {
  const candidates = await tx.patient.findMany({
    where: { birthDate: new Date(`${who.birthDate}T00:00:00Z`), insurerNumber: who.insurerNumber },
    select: { id: true, familyNameKana: true, givenNameKana: true, insuredNumber: true },
  });
  const kana = normaliseKana(who.kana).replace(/ /g, "");
  const match = candidates.filter((p) => p.insuredNumber !== null && cardNumber(p.insuredNumber) === who.insuredNumber && normaliseKana(`${p.familyNameKana}${p.givenNameKana}`).replace(/ /g, "") === kana);
  return match.length === 1 ? match[0]!.id : null;
}

export function parse<T extends z.ZodType>(schema: T, input: unknown, errors: Record<string, string>): z.infer<T> | null {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  Object.assign(errors, fieldErrors(r.error));
  return null;
}

/** Refuses (and audits) a user who is not staff of a participating viewing facility. */
export async function requireConsentStaff(actor: Actor, patientId: string | null, what: string): Promise<void> {
  const d = decideConsentManagement(actorFacts(actor));
  if (!d.allow) await refuse(actor, { action: "CONSENT_DENIED", reason: d.reason, patientId, purpose: "ADMINISTRATION", what });
}

/** Does the actor's facility already know this patient: a consent row (any state) or its own patient? */
async function facilityKnowsPatient(tx: Tx, facilityId: string, patientId: string): Promise<boolean> {
  const [consent, link] = await inTurn(
    () => tx.consent.findFirst({ where: { patientId, facilityId }, select: { id: true } }),
    () => tx.patientLink.findFirst({ where: { patientId, facilityId }, select: { id: true } }));
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
  if ("unknown" in r) return refuse(actor, { action: "CONSENT_DENIED", reason: "NO_RELATIONSHIP", patientId, purpose: "ADMINISTRATION", what, at });
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
    const [p, rows] = await inTurn(
      () => tx.patient.findUniqueOrThrow({ where: { id: patientId } }),
      () => tx.consent.findMany({
        where: { patientId, facilityId: actor.facilityId },
        orderBy: [{ capturedAt: "desc" }, { id: "desc" }],
        include: { capturedBy: { select: { name: true } }, withdrawnBy: { select: { name: true } } },
      }));
    const history: ConsentEntry[] = rows.map((c, i) => ({
      id: c.id,
      scope: c.scope,
      // the newest row's state by lib/access's one definition; the older ones were replaced by it
      state: i === 0 ? (consentInForce([c], actor.facilityId, at).state as ConsentEntry["state"]) : c.status === "WITHDRAWN" ? "WITHDRAWN" : "SUPERSEDED",
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

const expiryOf = (f: z.infer<typeof consentFields>) => (f.expiresOn ? consentEndsAt(f.expiresOn) : null);

/** A widening as the audit trail keeps it: plain JSON, the new end as an instant (null: no end). */
const auditedWidening = (w: ConsentWidening) => (w.kind === "EXPIRY" ? { kind: w.kind, until: w.until?.toISOString() ?? null } : w);

async function insertConsent(tx: Tx, actor: Actor, patientId: string, f: z.infer<typeof consentFields>, at: Date) {
  const id = `con-${randomUUID()}`;
  const expiresAt = expiryOf(f);
  // the consent in force is the newest row: a change recorded in the same millisecond as the last one
  // (two clicks, a frozen clock) is placed just after it, so "newest" is never a tie
  const last = await tx.consent.findFirst({ where: { patientId, facilityId: actor.facilityId }, orderBy: { capturedAt: "desc" }, select: { capturedAt: true } });
  const capturedAt = last && last.capturedAt.getTime() >= at.getTime() ? new Date(last.capturedAt.getTime() + 1) : at;
  await tx.consent.create({
    data: { patientId, id, facilityId: actor.facilityId, scope: f.scope, method: f.method, identityVerification: f.identityVerification, withheldCategories: f.withheld, expiresAt, capturedById: actor.userId, capturedAt },
  });
  return { id, detail: { consentId: id, scope: f.scope, method: f.method, identityVerification: f.identityVerification, withheld: f.withheld, expiresAt: expiresAt?.toISOString() ?? null } };
}

function parseConsent(input: unknown, errors: Record<string, string>, at: Date) {
  const f = parse(consentFields, input, errors);
  if (f?.expiresOn && consentEndsAt(f.expiresOn) <= at) {
    errors.expiresOn = "past";
    return null;
  }
  return f;
}

/**
 * Records a consent (a first one or a change: a new row, the newest is in force) for the patient
 * whose card the desk has in hand: kana name, birth date, insurer and insured number must all match
 * one patient. A bare patient id is never enough, so nobody can grant themselves access to a record,
 * or undo a patient's withdrawal or withholding, by editing a form. On a patient's own consent page
 * the card must name that same patient (`expectedPatientId`). Card look-ups that find nobody are
 * throttled per user. Field problems come back as InvalidFieldsError, nothing written. A consent that
 * shares more than the facility's last one (in force, or withdrawn or expired: recording afresh opens
 * the record again) is refused to clinicians, and recorded by the desk only with the confirmation of
 * exactly that widening (WideningNotConfirmedError names it, nothing written); a clinician's first
 * consent needs a patient the facility already has (lib/access/consent-change).
 */
export async function recordConsentByIdentity(actor: Actor, input: unknown, expectedPatientId?: string): Promise<{ patientId: string; consentId: string }> {
  await requireConsentStaff(actor, expectedPatientId ?? null, "consent");
  const at = now();
  // the card's and the consent's field problems are reported together, before any look-up
  const errors: Record<string, string> = {};
  parse(identification, input, errors);
  const f = parseConsent(input, errors, at);
  if (!f || Object.keys(errors).length) throw new InvalidFieldsError(errors);
  const patientId = expectedPatientId ?? (await identifyByCard(actor, input, CONSENT_LOOKUP));
  if (expectedPatientId) await identifyThisPatient(actor, input, expectedPatientId);
  const db = await getDb();
  const r = await db.$transaction(async (tx): Promise<{ refused: "WIDENING_AT_DESK_ONLY" | "FIRST_CONSENT_AT_DESK_ONLY" | "RESUMED_AT_DESK_ONLY" } | { unconfirmed: ConsentWidening[] } | { consentId: string }> => {
    const current = consentInForce(await tx.consent.findMany({ where: { patientId, facilityId: actor.facilityId } }), actor.facilityId, at);
    const requested = { scope: f.scope, withheld: f.withheld, expiresAt: expiryOf(f) };
    // compared with the last consent whatever became of it: withdrawn or expired, it still says what the patient shared
    const last = current.consent && { ...current.consent, ended: current.state === "WITHDRAWN" || current.state === "EXPIRED" ? current.state : null };
    const knowsPatient = last !== null || (await facilityKnowsPatient(tx, actor.facilityId, patientId));
    const change = decideConsentChange(actorFacts(actor), last, requested, f.confirmWidening ?? null, { knowsPatient });
    if (!change.allow) return change.reason === "WIDENING_NOT_CONFIRMED" ? { unconfirmed: change.widening } : { refused: change.reason };
    const { id, detail } = await insertConsent(tx, actor, patientId, f, at);
    // a widening is recorded as confirmed, with what it opened: the trail says the desk was told
    const widening = change.widening.length ? { wideningConfirmed: true, widened: change.widening.map(auditedWidening) } : {};
    await recordAudit(tx, { actor: auditActorOf(actor), action: "CONSENT_RECORDED", outcome: "SUCCESS", patientId, purpose: "ADMINISTRATION", at, detail: { what: "consent", identifiedBy: "card", ...detail, ...widening } });
    return { consentId: id };
  });
  if ("unconfirmed" in r) throw new WideningNotConfirmedError(r.unconfirmed, f.confirmWidening ? "changed" : "required");
  if ("refused" in r) return refuse(actor, { action: "CONSENT_DENIED", reason: r.refused, patientId, purpose: "ADMINISTRATION", what: "consent", at });
  return { patientId, consentId: r.consentId };
}

const CONSENT_LOOKUP = { what: "consent", purpose: "ADMINISTRATION" } as const;

/**
 * On a patient's own consent page the card presented must be that patient's: another patient's card
 * is refused, and counts as a failed look-up like a card that names nobody.
 */
async function identifyThisPatient(actor: Actor, input: unknown, patientId: string): Promise<void> {
  if ((await identifyByCard(actor, input, CONSENT_LOOKUP)) === patientId) return;
  const db = await getDb();
  await db.$transaction((tx) => countOne(tx, "CARD_LOOKUP_FAILURE", actor.userId, now()));
  throw new InvalidFieldsError({ identify: "otherPatient" });
}

/**
 * Finds the patient whose card is in hand (the four items), for a user already allowed to look: one
 * patient or none, never a guess. Throttled per user (failures count), and audited with the patient,
 * so every look-up appears in that patient's access report.
 */
export async function identifyByCard(actor: Actor, input: unknown, audit: { what: string; purpose: "ADMINISTRATION" | "PATIENT_REQUEST"; detail?: Record<string, unknown> }): Promise<string> {
  const at = now();
  const errors: Record<string, string> = {};
  const who = parse(identification, input, errors);
  if (!who) throw new InvalidFieldsError(errors);
  await requireWithinLimit(actor, "CARD_LOOKUP_FAILURE", at, audit.what);
  const db = await getDb();
  const patientId = await db.$transaction(async (tx) => {
    const id = await findByCard(tx, who);
    await recordAudit(tx, { actor: auditActorOf(actor), action: "PATIENT_IDENTIFY", outcome: id ? "SUCCESS" : "FAILURE", patientId: id, purpose: audit.purpose, at, detail: { what: audit.what, identifiedBy: "card", ...audit.detail } });
    if (!id) await countOne(tx, "CARD_LOOKUP_FAILURE", actor.userId, at);
    return id;
  });
  if (!patientId) throw new InvalidFieldsError({ identify: "notFound" });
  return patientId;
}

/** The desk opens a patient's consent page (to withdraw, or to see the history) by the card in hand. */
export async function identifyPatientByCard(actor: Actor, input: unknown): Promise<string> {
  await requireConsentStaff(actor, null, "consent");
  return identifyByCard(actor, input, CONSENT_LOOKUP);
}

/** A consent change on a patient's own page: the card presented must be this patient's. */
export async function recordConsent(actor: Actor, patientId: string, input: unknown): Promise<{ consentId: string }> {
  const { consentId } = await recordConsentByIdentity(actor, input, patientId);
  return { consentId };
}

/**
 * Withdraws the facility's consent: every active row, so no older consent can take over. Effective
 * for every user of the facility at their next request (each read decides afresh). Like any change of
 * consent it is made on the patient's card, which must name this patient: a patient id in a form is no
 * evidence that the patient asked, and a withdrawal cuts off their care team.
 */
export async function withdrawConsent(actor: Actor, patientId: string, input: unknown): Promise<{ withdrawn: number }> {
  await requireConsentStaff(actor, patientId, "consent");
  await identifyThisPatient(actor, input, patientId);
  return withKnownPatient(actor, patientId, "CONSENT_WITHDRAWN", "consent", async (tx, at) => {
    const r = await tx.consent.updateMany({ where: { patientId, facilityId: actor.facilityId, status: "ACTIVE" }, data: { status: "WITHDRAWN", withdrawnAt: at, withdrawnById: actor.userId } });
    return { value: { withdrawn: r.count }, detail: { withdrawn: r.count, identifiedBy: "card" } };
  });
}
