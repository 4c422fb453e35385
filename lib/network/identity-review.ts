import { z } from "zod";
import { getDb } from "../db/client";
import { now } from "../clock";
import { auditActorOf, recordAudit } from "../audit";
import type { Actor } from "../auth/actor";
import { actorFacts } from "../auth/to-actor";
import { decideFacilityAdministration } from "../access/facility-admin";
import { confirmCandidate, IdentityReviewError, rejectCandidate, unlinkPatient, type HeldFiling } from "../ingest/identity-review";
import { normaliseInstitutionCode } from "./institution-code";
import { refuseAdministration, withFacilityAdmin } from "./guard";
import { branchToVouch, compareIdentity, knownPersonOf, needsReason, sentBranchOf, type BranchConflict, type KnownPerson, type MatchRow, type SourcePerson } from "../access/identity-match";
import { acceptedBranches, currentConflict } from "../ingest/patient-identity";
import { vouchesOf } from "../ingest/ledger";
import { heldBranches, heldPersons } from "../ingest/held-branches";

export { IdentityReviewError };

export interface ReviewPatient {
  id: string;
  person: KnownPerson;
  rows: MatchRow[];
  /** a confirmation must say why it is the same person (lib/access needsReason) */
  reasonNeeded: boolean;
}

function comparison(id: string, who: SourcePerson, person: KnownPerson): ReviewPatient {
  const rows = compareIdentity(who, person);
  return { id, person, rows, reasonNeeded: needsReason(rows) };
}

/** The patient beside one 枝番 of the held files (or beside the stored identity when they give one or none). */
export interface ReviewComparison extends ReviewPatient {
  /** the 枝番 this comparison stands for, when the held files give more than one: confirming it links the id with this 枝番 */
  branch: string | null;
  /** how many held files carry it */
  files: number | null;
  /** the held file whose person is compared */
  from: string;
  /** the 枝番 confirming this onto the linked patient would vouch for (a reason is then required) */
  vouchBranch: string | null;
}

/** Best match first: fewest disagreeing items, then one that needs no reason, then the most files. */
const byMatch = (a: ReviewComparison, b: ReviewComparison) =>
  a.rows.filter((r) => r.agree === false).length - b.rows.filter((r) => r.agree === false).length ||
  Number(a.reasonNeeded) - Number(b.reasonNeeded) ||
  (b.files ?? 0) - (a.files ?? 0) ||
  (a.branch ?? "").localeCompare(b.branch ?? "");

export interface ReviewCandidate {
  id: string;
  facilityCode: string;
  facilityName: string;
  localPatientId: string;
  createdAt: string;
  heldFiles: number;
  firstFile: string;
  /** the held file the shown identity comes from (the ADT-00 once one arrived) */
  identityFrom: string;
  /** birth dates and sexes other held files gave: the reviewer sees the disagreement, not only one file's word */
  otherBirthDates: string[];
  otherSexes: string[];
  /** 枝番 other held files gave (a file the unlink took back may have given another one) */
  otherBranches: string[];
  /** other candidates still waiting for the same facility id (held apart before they were joined) */
  alsoWaiting: number;
  /** why it waits when a rule, not a missing link, held it: a 枝番 conflict, an undone link */
  conflict: string | null;
  /** a 枝番 conflict: the 枝番 the held files sent, and those the link accepted when it held them */
  branchConflict: BranchConflict | null;
  /** the patient the facility id is linked to now: a confirmation may only be onto them */
  linkedPatientId: string | null;
  /** the 枝番 confirming onto the linked patient would vouch for (a reason is then required) */
  vouchBranch: string | null;
  unlinkedFrom: string | null;
  unlinkReason: string | null;
  source: SourcePerson;
  suggestedPatientId: string | null;
  /** the patient it is compared with (the one the reviewer named, else the suggestion): the best of `comparisons` */
  compared: ReviewComparison | null;
  /** one comparison per 枝番 the held files give (one when they give one or none), best match first */
  comparisons: ReviewComparison[];
  /** the reviewer named a patient id that does not exist */
  namedMissing: boolean;
}

const personSelect = { id: true, familyName: true, givenName: true, familyNameKana: true, givenNameKana: true, birthDate: true, sex: true, insurerNumber: true, insuredNumber: true, insuredBranch: true } as const;

/**
 * The identity review queue for the network administrator: every candidate a facility's files made
 * (a patient id no link names, or one held by a rule), oldest first, each beside the patient it may
 * be — the one the reviewer names, else the suggestion (exact kana, birth date and sex) — with the
 * items that agree and disagree. Nothing is decided here. Reading it is audited.
 */
export async function getIdentityReview(actor: Actor, named: { candidateId?: string; patientId?: string } = {}): Promise<ReviewCandidate[]> {
  return withFacilityAdmin(actor, {
    kind: "REVIEW_IDENTITY",
    work: async (tx, at) => {
      const list = await tx.identityCandidate.findMany({ where: { status: "PENDING" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: 200, include: { facility: { select: { code: true, name: true, careCategory: true } } } });
      const wanted = (c: (typeof list)[number]) => (named.candidateId === c.id && named.patientId ? named.patientId : c.suggestedPatientId);
      const ids = [...new Set(list.map(wanted).filter((x): x is string => !!x))];
      // the links the held ids already have (a 枝番 conflict): what they accept decides what confirming means
      const links = !list.length ? [] : await tx.patientLink.findMany({
        where: { OR: list.map((c) => ({ facilityId: c.facilityId, localPatientId: c.localPatientId })) },
        select: { patientId: true, facilityId: true, localPatientId: true, branchNumber: true, vouchedBranches: true, patient: { select: { insuredBranch: true } } },
      });
      const linkOf = (c: (typeof list)[number]) => links.find((l) => l.facilityId === c.facilityId && l.localPatientId === c.localPatientId);
      // held files that give two or more 枝番 are compared 枝番 by 枝番 (what is confirmed is one of them)
      const persons = await heldPersons(tx, list.map((c) => ({ id: c.id, facilityId: c.facilityId, facilityCode: c.facility.code, careCategory: c.facility.careCategory, identity: (c.identity ?? {}) as SourcePerson })));
      const patients = new Map((await tx.patient.findMany({ where: { id: { in: ids } }, select: personSelect })).map((p) => [p.id, p]));
      await recordAudit(tx, { actor: auditActorOf(actor), action: "IDENTITY_REVIEW_VIEW", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { what: "identity-review", candidates: list.length, ...(named.patientId ? { compared: named } : {}) } });
      // Each patient the page shows (a suggestion, or one the administrator named to compare with) is
      // a look at that patient's identity and insurance numbers: recorded under that patient, so it is
      // in their access report like any other administrator's read of them (review 5, M1).
      for (const id of ids.filter((x) => patients.has(x))) {
        const candidates = list.filter((c) => wanted(c) === id).map((c) => c.id);
        await recordAudit(tx, { actor: auditActorOf(actor), action: "IDENTITY_REVIEW_VIEW", outcome: "SUCCESS", patientId: id, purpose: "ADMINISTRATION", at, detail: { what: "identity-review-compare", candidates, named: named.patientId === id } });
      }
      return list.map((c) => {
        const stored = (c.identity ?? {}) as SourcePerson & { conflict?: string; unlinkedFrom?: string; reason?: string; from?: string; otherBranches?: string[] };
        const link = linkOf(c);
        const linkNow = link ? { ...link, vouchedBranches: vouchesOf(link.vouchedBranches) } : null;
        // the 枝番 conflict as the link is now: an undone link leaves none, a vouched 枝番 ends it
        const now = currentConflict({ ...(stored.conflict ? { conflict: stored.conflict } : {}), ...(stored.branchConflict ? { branchConflict: stored.branchConflict } : {}) }, linkNow);
        const who = { ...stored, branchConflict: now.branchConflict };
        const pid = wanted(c);
        const p = pid ? patients.get(pid) : undefined;
        const person: KnownPerson | null = p ? knownPersonOf(p) : null;
        const vouchOf = (x: SourcePerson) => (linkNow ? branchToVouch(sentBranchOf(x), acceptedBranches(linkNow)) : null);
        const identityFrom = who.from ?? c.firstFile;
        const branches = heldBranches(who, persons.get(c.id) ?? []);
        const comparisons: ReviewComparison[] =
          p && person
            ? (branches ?? [null])
                .map((b) => ({ ...comparison(p.id, b?.person ?? who, person), branch: b?.branch ?? null, files: b?.files ?? null, from: b?.from ?? identityFrom, vouchBranch: vouchOf(b?.person ?? who) }))
                .sort(byMatch)
            : [];
        return {
          id: c.id,
          facilityCode: c.facility.code,
          facilityName: c.facility.name,
          localPatientId: c.localPatientId,
          createdAt: c.createdAt.toISOString(),
          heldFiles: c.heldFiles,
          firstFile: c.firstFile,
          identityFrom,
          otherBirthDates: [...(who.otherBirthDates ?? [])],
          otherSexes: [...(who.otherSexes ?? [])],
          otherBranches: [...(who.otherBranches ?? [])],
          alsoWaiting: list.filter((o) => o.id !== c.id && o.facilityId === c.facilityId && o.localPatientId === c.localPatientId).length,
          conflict: now.conflict,
          branchConflict: now.branchConflict,
          linkedPatientId: link?.patientId ?? null,
          vouchBranch: vouchOf(who),
          unlinkedFrom: who.unlinkedFrom ?? null,
          unlinkReason: who.reason ?? null,
          source: who,
          suggestedPatientId: c.suggestedPatientId,
          compared: comparisons[0] ?? null,
          comparisons,
          namedMissing: named.candidateId === c.id && !!named.patientId && !p,
        };
      });
    },
  });
}

const decision = z.object({
  candidateId: z.string().min(1).max(100),
  decision: z.enum(["confirm", "reject"]),
  patientId: z.string().trim().max(100).optional(),
  /** why it is the same person though birth date or sex differ (required then) */
  overrideReason: z.string().trim().max(500).optional(),
  /** the 枝番 confirmed, when the held files give more than one (the comparison the reviewer read) */
  branch: z.string().trim().max(20).optional(),
});

const unlinking = z.object({
  facilityCode: z.string().transform(normaliseInstitutionCode).pipe(z.string().regex(/^\d{10}$/)),
  localPatientId: z.string().trim().min(1).max(100),
  /** why the link was wrong: kept in the audit event and shown on the candidate the unlink raises */
  reason: z.string().trim().min(5).max(500),
});

/**
 * Undo a link between a facility's patient id and a Tsunagu patient, as the network administrator:
 * every record filed through it leaves the patient and waits again as an identity candidate
 * (lib/ingest unlinkPatient, exact and in one transaction), audited under the administrator.
 */
export async function unlinkIdentity(actor: Actor, input: unknown): Promise<{ patientId: string; documents: number; records: number }> {
  const at = now();
  const d = decideFacilityAdministration(actorFacts(actor), { kind: "DECIDE_IDENTITY" });
  if (!d.allow) return refuseAdministration(actor, "DECIDE_IDENTITY", d.reason, null, at);
  const parsed = unlinking.safeParse(input);
  // a reason too short is the reviewer's to fix; a code or id that cannot name a link names none
  if (!parsed.success) throw new IdentityReviewError(parsed.error.issues.some((i) => i.path[0] === "reason") ? "UNLINK_REASON_REQUIRED" : "NO_SUCH_LINK");
  const r = await unlinkPatient(await getDb(), { ...parsed.data, by: actor.loginId, auditAs: auditActorOf(actor) });
  return { patientId: r.patientId, documents: r.documents, records: r.records };
}

/**
 * Confirm (link the facility's id to the patient, with provenance, and file what was held) or reject
 * a candidate, as the network administrator. Decided by lib/access before anything is written; the
 * link itself and its audit event are lib/ingest's, in one transaction.
 */
export async function decideIdentity(actor: Actor, input: unknown): Promise<{ decision: "reject" } | ({ decision: "confirm"; patientId: string } & HeldFiling)> {
  const at = now();
  const d = decideFacilityAdministration(actorFacts(actor), { kind: "DECIDE_IDENTITY" });
  if (!d.allow) return refuseAdministration(actor, "DECIDE_IDENTITY", d.reason, null, at);
  const parsed = decision.safeParse(input);
  if (!parsed.success) throw new IdentityReviewError("NO_SUCH_CANDIDATE");
  const { candidateId, patientId } = parsed.data;
  const db = await getDb();
  if (parsed.data.decision === "reject") {
    await rejectCandidate(db, candidateId, { by: actor.loginId, auditAs: auditActorOf(actor) });
    return { decision: "reject" };
  }
  const { overrideReason: reason, branch } = parsed.data;
  const r = await confirmCandidate(db, candidateId, { by: actor.loginId, auditAs: auditActorOf(actor), ...(patientId ? { patientId } : {}), ...(reason ? { override: { reason } } : {}), ...(branch ? { branch } : {}) });
  return { decision: "confirm", patientId: r.patientId, filed: r.filed, heldAgain: r.heldAgain, heldWith: r.heldWith, heldConflict: r.heldConflict, notFiled: r.notFiled };
}
