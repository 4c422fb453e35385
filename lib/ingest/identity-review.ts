import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import { recordAudit, type AuditActor } from "../audit";
import { systemActor } from "./system-actor";
import { identityOfBody, importFhirDocument } from "./fhir-document";
import { removeRecords, type Recs } from "./records";
import { compareIdentity, decideIdentityLink, decideLinkedConfirm, insuredPart, knownPersonOf, sentBranchOf, type BranchConflict, type BranchVouch, type SourcePerson } from "../access/identity-match";
import { acceptedBranches, findLink, suggestionFor, withHeldFile, type HeldIdentity, type StoredIdentity } from "./patient-identity";
import { vouchesOf } from "./ledger";
import { heldBranches, heldPersons } from "./held-branches";
import type { IngestSource } from "./source";

/**
 * The identity review of imported records: a facility's patient id that no link names waits here
 * until someone who can check links it to a Tsunagu patient or rejects it. Never automatic: a
 * suggestion (an exact kana, birth date and sex match) is shown, not applied. The administration
 * issue adds the screen; operators use `npm run identity` until then.
 */
export class IdentityReviewError extends Error {
  constructor(readonly reason: "NO_SUCH_CANDIDATE" | "ALREADY_DECIDED" | "NO_PATIENT" | "ALREADY_LINKED" | "VOUCH_REASON_REQUIRED" | "NO_SUCH_LINK" | "UNLINK_REASON_REQUIRED" | "IDENTITY_DIFFERS" | "NO_SUCH_BRANCH") {
    super(reason);
  }
}

/**
 * Who made a decision, as the audit records it: the signed-in administrator on the review screen
 * (their own user and facility, so that searching the audit trail by them finds it), else the CLI's
 * operator as a system actor under the candidate's facility.
 */
const reviewer = (opts: { by: string; auditAs?: AuditActor }, facilityId: string): AuditActor => opts.auditAs ?? systemActor("review", opts.by, facilityId);

export async function listCandidates(db: Db, status = "PENDING") {
  return db.identityCandidate.findMany({ where: { status }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], include: { facility: { select: { code: true, name: true } } } });
}

async function pending(db: Parameters<Parameters<Db["$transaction"]>[0]>[0], id: string) {
  const c = await db.identityCandidate.findUnique({ where: { id } });
  if (!c) throw new IdentityReviewError("NO_SUCH_CANDIDATE");
  if (c.status !== "PENDING") throw new IdentityReviewError("ALREADY_DECIDED");
  return c;
}

/**
 * Links the candidate's facility id to a patient (the suggestion unless another is named), with its
 * provenance: confirmed, by whom, when. An id already linked (held on a 枝番 conflict) is confirmed
 * only onto the patient its link names, and the confirmation vouches for the new 枝番 on that link
 * (who, when, why), so that later files with it file there automatically. Audited under the patient
 * with the link before and after. The held pushed documents are then filed, each in its own
 * transaction; held SS-MIX2 files file on the next import of that storage. When the held files give
 * two or more 枝番, `branch` names the one confirmed: its files' person is what is compared (as the
 * review showed it) and the 枝番 the link stands for; the files of the others wait again.
 */
export async function confirmCandidate(db: Db, id: string, opts: { by: string; auditAs?: AuditActor; patientId?: string; override?: { reason: string }; branch?: string }) {
  const linked = await db.$transaction(async (tx) => {
    const c = await pending(tx, id);
    const patientId = opts.patientId ?? c.suggestedPatientId;
    const patient = patientId ? await tx.patient.findUnique({ where: { id: patientId } }) : null;
    if (!patientId || !patient) throw new IdentityReviewError("NO_PATIENT");
    const who = opts.branch ? await personOfBranch(tx, c, opts.branch) : ((c.identity ?? {}) as SourcePerson);
    const link = await findLink(tx, c.facilityId, c.localPatientId);
    // one facility id is one person: onto the linked patient only, a new 枝番 with the reviewer's reason (lib/access)
    const onLink = link
      ? decideLinkedConfirm({ linkedPatientId: link.patientId, chosenPatientId: patientId, sentBranch: sentBranchOf(who), acceptedBranches: acceptedBranches(link), reason: opts.override?.reason ?? null })
      : null;
    if (onLink && !onLink.allow) throw new IdentityReviewError(onLink.reason);
    // the same person? birth date or sex disagreeing needs the reviewer's stated reason (lib/access)
    const match = decideIdentityLink(compareIdentity(who, knownPersonOf(patient)), opts.override ?? null);
    if (!match.allow) throw new IdentityReviewError("IDENTITY_DIFFERS");
    const at = new Date();
    const vouch: BranchVouch | null = onLink?.allow && onLink.vouch ? { branch: onLink.vouch, by: opts.by, at: at.toISOString(), reason: opts.override!.reason.trim(), candidate: id } : null;
    const before = link && linkState(link);
    let after: LinkState;
    if (link) {
      after = { ...linkState(link), vouchedBranches: vouch ? [...link.vouchedBranches, vouch] : link.vouchedBranches };
      if (vouch) await tx.patientLink.update({ where: { patientId_id: { patientId: link.patientId, id: link.id } }, data: { vouchedBranches: after.vouchedBranches } });
    } else {
      // the link stands for the 枝番 the candidate's files gave, not whatever the patient's card says:
      // a file with another 枝番 is another member of the insured family until someone checks
      const branchNumber = insuredPart(sentBranchOf(who)) || null;
      const made = await tx.patientLink.create({ data: { patientId, id: `lk-${randomUUID()}`, facilityId: c.facilityId, localPatientId: c.localPatientId, provenance: "CONFIRMED", branchNumber, confirmedBy: opts.by, confirmedAt: at } });
      after = linkState({ ...made, vouchedBranches: [] });
    }
    await tx.identityCandidate.update({ where: { id }, data: { status: "CONFIRMED", decidedBy: opts.by, decidedAt: at, patientId } });
    await recordAudit(tx, {
      actor: reviewer(opts, c.facilityId),
      purpose: opts.auditAs ? "ADMINISTRATION" : null,
      action: "IDENTITY_LINK_CONFIRMED",
      outcome: "SUCCESS",
      patientId,
      at,
      detail: {
        candidate: id,
        facilityId: c.facilityId,
        localPatientId: c.localPatientId,
        suggested: c.suggestedPatientId,
        chosen: patientId,
        differs: match.differs,
        ...(opts.override && (match.differs.length || vouch) ? { overrideReason: opts.override.reason } : {}),
        ...(vouch ? { vouchedBranch: vouch.branch } : {}),
        before,
        after,
      },
    });
    return { patientId, vouchedBranch: vouch?.branch ?? null };
  });
  return { ...linked, ...(await fileHeldDocuments(db, id, opts)) };
}

/** The person the candidate's held files with this 枝番 name, as the review compares them; refused when none gives it. */
async function personOfBranch(tx: Parameters<Parameters<Db["$transaction"]>[0]>[0], c: { id: string; facilityId: string; identity: unknown }, branch: string): Promise<SourcePerson> {
  const stored = (c.identity ?? {}) as SourcePerson;
  const f = await tx.facility.findUniqueOrThrow({ where: { id: c.facilityId }, select: { code: true, careCategory: true } });
  const persons = await heldPersons(tx, [{ id: c.id, facilityId: c.facilityId, facilityCode: f.code, careCategory: f.careCategory, identity: stored }]);
  const branches = heldBranches(stored, persons.get(c.id) ?? []);
  const wanted = insuredPart(branch);
  if (!branches) {
    if (insuredPart(sentBranchOf(stored)) === wanted) return stored;
    throw new IdentityReviewError("NO_SUCH_BRANCH");
  }
  const b = branches.find((x) => x.branch === wanted);
  if (!b) throw new IdentityReviewError("NO_SUCH_BRANCH");
  return b.person;
}

/** A link as its audit events show it, before and after a decision. */
type LinkState = { id: string; patientId: string; provenance: string | null; branchNumber: string | null; vouchedBranches: BranchVouch[] };
const linkState = (l: Omit<LinkState, "provenance"> & { provenance?: string | null }): LinkState => ({ id: l.id, patientId: l.patientId, provenance: l.provenance ?? null, branchNumber: l.branchNumber, vouchedBranches: l.vouchedBranches });

/**
 * What filing a confirmed candidate's held documents did, for the reviewer's message: how many were
 * filed, how many wait again (and, for a 枝番 conflict, which 枝番 against which), how many could not
 * be read at all.
 */
export interface HeldFiling {
  filed: number;
  heldAgain: number;
  /** the candidate the documents held again wait with */
  heldWith: string | null;
  /** why they wait, when it is a 枝番 the new link does not accept */
  heldConflict: BranchConflict | null;
  notFiled: number;
}

/**
 * The pushed documents the candidate held, filed now that its id is linked, in the order they came,
 * each in its own transaction like any import. One that still cannot be filed (yet another 枝番)
 * stays held, with the candidate that raised: the decided one is never asked again. Filed by an
 * administrator's confirmation, the events are the administrator's (audit search by them finds them).
 */
async function fileHeldDocuments(db: Db, candidateId: string, who: { by: string; auditAs?: AuditActor }): Promise<HeldFiling> {
  const out: HeldFiling = { filed: 0, heldAgain: 0, heldWith: null, heldConflict: null, notFiled: 0 };
  const held = await db.heldDocument.findMany({ where: { candidateId }, orderBy: { receivedAt: "asc" } });
  if (held.length === 0) return out;
  // a candidate is one facility's patient id: its held documents all came from that facility
  const f = await db.facility.findUniqueOrThrow({ where: { id: held[0]!.facilityId } });
  const { localPatientId } = await db.identityCandidate.findUniqueOrThrow({ where: { id: candidateId }, select: { localPatientId: true } });
  const source = { facilityId: f.id, facilityCode: f.code, careCategory: f.careCategory, by: who.by, ...(who.auditAs ? { auditAs: who.auditAs } : {}) };
  for (const h of held) {
    const o = await importFhirDocument(db, source, h.name, h.body, { keepHeld: false });
    if (o.status === "held") {
      const next = await db.identityCandidate.findFirst({ where: { facilityId: f.id, localPatientId, status: "PENDING" }, select: { id: true, identity: true } });
      if (next) {
        await db.heldDocument.update({ where: { id: h.id }, data: { candidateId: next.id } });
        out.heldWith = next.id;
        out.heldConflict = ((next.identity ?? {}) as HeldIdentity).branchConflict ?? out.heldConflict;
      }
      out.heldAgain++;
      continue;
    }
    await db.heldDocument.delete({ where: { id: h.id } });
    if (o.status === "rejected") out.notFiled++;
    else out.filed++;
  }
  return out;
}

/** The candidate is not any patient here (another person, a test record): its files stay held, audited. */
export async function rejectCandidate(db: Db, id: string, opts: { by: string; auditAs?: AuditActor }) {
  return db.$transaction(async (tx) => {
    const c = await pending(tx, id);
    const at = new Date();
    await tx.identityCandidate.update({ where: { id }, data: { status: "REJECTED", decidedBy: opts.by, decidedAt: at } });
    // pushed documents of a person who is not ours are not kept: the facility is told by the audit
    const dropped = await tx.heldDocument.deleteMany({ where: { candidateId: id } });
    await recordAudit(tx, {
      actor: reviewer(opts, c.facilityId),
      purpose: opts.auditAs ? "ADMINISTRATION" : null,
      action: "IDENTITY_CANDIDATE_REJECTED",
      outcome: "SUCCESS",
      patientId: null,
      at,
      detail: { candidate: id, facilityId: c.facilityId, localPatientId: c.localPatientId, heldDocumentsDropped: dropped.count },
    });
  });
}

/**
 * Undoes a link between a facility's patient id and a Tsunagu patient, exactly: every document filed
 * through it (its ledger: the IngestDocuments of that facility and id under that patient) takes its
 * records away from the patient, and waits again under a new identity candidate — a pushed document
 * held with its body, an SS-MIX2 file held until its storage is imported again. Nothing else of the
 * patient is touched, and nothing the facility sent is lost. Audited under the patient.
 */
export async function unlinkPatient(db: Db, opts: { facilityCode: string; localPatientId: string; by: string; auditAs?: AuditActor; reason: string }) {
  return db.$transaction(async (tx) => {
    const facility = await tx.facility.findUnique({ where: { code: opts.facilityCode } });
    const link = facility ? await tx.patientLink.findFirst({ where: { facilityId: facility.id, localPatientId: opts.localPatientId } }) : null;
    if (!facility || !link) throw new IdentityReviewError("NO_SUCH_LINK");
    const ledger = await tx.ingestDocument.findMany({ where: { facilityId: facility.id, localPatientId: opts.localPatientId, patientId: link.patientId, status: { not: "UNLINKED" } }, orderBy: [{ importedAt: "asc" }, { sourceKey: "asc" }] });
    // one facility id, one card: files already waiting for this id (held on a 枝番 the link did not
    // accept) and the ones the unlink takes back wait together, under the candidate already there
    const waiting = await tx.identityCandidate.findFirst({ where: { facilityId: facility.id, localPatientId: opts.localPatientId, status: "PENDING" } });
    const source = { facilityId: facility.id, facilityCode: facility.code, careCategory: facility.careCategory, by: opts.by };
    const identity = requeuedIdentity(waiting ? (waiting.identity as StoredIdentity) : null, ledger, source, { localId: opts.localPatientId, unlinkedFrom: link.patientId, reason: opts.reason });
    // a suggestion like any candidate's, from what the files say (the link it conflicted with is gone)
    const suggested = "sex" in identity ? await suggestionFor(tx, identity) : null;
    const candidate = waiting?.id ?? `idc-${randomUUID()}`;
    const stored = JSON.parse(JSON.stringify(identity)) as object;
    if (waiting) await tx.identityCandidate.update({ where: { id: candidate }, data: { identity: stored, suggestedPatientId: suggested, heldFiles: { increment: ledger.length } } });
    else {
      await tx.identityCandidate.create({
        data: { id: candidate, facilityId: facility.id, localPatientId: opts.localPatientId, status: "PENDING", identity: stored, suggestedPatientId: suggested, firstFile: ledger[0]?.sourceFile ?? "(none)", heldFiles: ledger.length },
      });
    }
    let records = 0;
    for (const d of ledger) {
      const recs = d.records as Recs;
      records += recs.length;
      await removeRecords(tx, link.patientId, recs);
      if (d.body !== null && d.status === "CURRENT") await tx.heldDocument.create({ data: { id: `held-${randomUUID()}`, facilityId: facility.id, candidateId: candidate, name: d.sourceFile, body: d.body as object } });
      await tx.ingestDocument.update({ where: { facilityId_sourceKey: { facilityId: d.facilityId, sourceKey: d.sourceKey } }, data: { status: "UNLINKED", records: [] } });
    }
    await tx.patientLink.delete({ where: { patientId_id: { patientId: link.patientId, id: link.id } } });
    await recordAudit(tx, {
      actor: reviewer(opts, facility.id),
      action: "IDENTITY_UNLINKED",
      outcome: "SUCCESS",
      patientId: link.patientId,
      purpose: opts.auditAs ? "ADMINISTRATION" : null,
      // the link goes whole, with any 枝番 a reviewer vouched for on it
      detail: { link: link.id, provenance: link.provenance, localPatientId: opts.localPatientId, documents: ledger.length, records, candidate, ...(waiting ? { joinedCandidate: true } : {}), suggested, reason: opts.reason, before: linkState({ ...link, vouchedBranches: vouchesOf(link.vouchedBranches) }), after: null },
    });
    return { patientId: link.patientId, documents: ledger.length, records, candidate };
  });
}

/**
 * The identity an unlink's candidate shows: what the documents it takes back say (a pushed document's
 * Patient, read from its stored body), joined to what an already waiting candidate of the id said.
 * The 枝番 conflict that held those was with the link being undone: it no longer holds them.
 */
function requeuedIdentity(waiting: StoredIdentity | null, ledger: { sourceFile: string; status: string; body: unknown }[], source: IngestSource, unlinked: { localId: string; unlinkedFrom: string; reason: string }): StoredIdentity {
  let identity: StoredIdentity | null = waiting && withoutConflict(waiting);
  for (const d of ledger) {
    const who = d.body !== null && d.status === "CURRENT" ? identityOfBody(source, d.body) : null;
    if (who) identity = withHeldFile(identity, who, d.sourceFile).identity;
  }
  return { ...(identity ?? { localId: unlinked.localId }), unlinkedFrom: unlinked.unlinkedFrom, reason: unlinked.reason };
}

const withoutConflict = (held: StoredIdentity): StoredIdentity => {
  const rest: StoredIdentity & { conflict?: string; branchConflict?: unknown } = { ...held };
  delete rest.conflict;
  delete rest.branchConflict;
  return rest;
};
