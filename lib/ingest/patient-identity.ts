import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client";
import { recordAudit } from "../audit";
import { ingestActor } from "./system-actor";
import { normaliseKana } from "../format/kana";
import type { IngestSource } from "./source";
import type { PidIdentity } from "../interop/ssmix2/patient";
import { vouchesOf, type FoundLink } from "./ledger";
import { insuredPart, type BranchConflict, type BranchVouch } from "../access/identity-match";

/** 被保険者個人識別子: 保険者番号・記号・番号・枝番. The 枝番 names one member of an insured family. */
export interface InsuredId {
  insurerNumber: string;
  symbol: string | null;
  /** null when the source names the insurer only (SS-MIX2's IN1 as read here) */
  number: string | null;
  branch: string | null;
}

/**
 * Who a sending facility says a document is about: what SS-MIX2's PID says (the same fields a FHIR
 * Patient gives), with the 被保険者個人識別子 where the format carries it.
 */
export type SourceIdentity = Omit<PidIdentity, "address" | "postalCode"> & {
  insured?: InsuredId | null;
  /** where the source says birth date and sex (PID-7 / PID-8, Patient.birthDate / Patient.gender), for warnings */
  fields?: { birth: string; sex: string };
  /** the sender's patient master message (SS-MIX2 ADT-00 患者基本情報): the identity a candidate shows, whichever file came first */
  master?: boolean;
};

/** A candidate's identity as stored: what one file said, and what the other held files said otherwise. */
export type HeldIdentity = Omit<SourceIdentity, "fields" | "master"> & HeldConflict & {
  /** the held file the shown identity comes from (its ADT-00 once one arrives) */
  from?: string;
  fromMaster?: boolean;
  /** birth dates, sexes and 枝番 other held files gave, each once: the reviewer sees the disagreement, not only the first file's word */
  otherBirthDates?: string[];
  otherSexes?: string[];
  otherBranches?: string[];
  /** raised (or joined) by an unlink: the patient the id was linked to, and the administrator's reason */
  unlinkedFrom?: string;
  reason?: string;
};

/** What an unlink-raised candidate holds before any of its files was read: only the id and why it waits. */
export type StoredIdentity = HeldIdentity | { localId: string; unlinkedFrom?: string; reason?: string };

/** Why a rule, not a missing link, held the id: the text (for the CLI and the audit trail), and a 枝番 conflict's parts for the screen. */
export type HeldConflict = { conflict?: string; branchConflict?: BranchConflict };

/** Adds a value to a list once, unless it is the shown one. */
const addOther = (list: string[] | undefined, value: string | null | undefined, shown: string | null | undefined) =>
  value && value !== shown && !(list ?? []).includes(value) ? [...(list ?? []), value].sort() : list;

export type Resolution = { patientId: string; warnings: string[] } | { held: string; candidateId?: string };

const part = insuredPart;

/**
 * The 枝番 a link accepts: its own (or, on a link made without one, the patient's), and every one a
 * reviewer vouched for as the same person (PatientLink.vouchedBranches).
 */
export const acceptedBranches = (link: { branchNumber: string | null; vouchedBranches: readonly BranchVouch[]; patient: { insuredBranch: string | null } }): string[] => {
  const own = link.branchNumber ?? link.patient.insuredBranch;
  return [...(own ? [part(own)] : []), ...link.vouchedBranches.map((v) => part(v.branch))];
};
/**
 * Why a candidate held on a 枝番 conflict waits, as the link is now rather than when it was held: the
 * link may since have been undone (nothing conflicts: the id waits like any unlinked one) or have come
 * to accept the 枝番 (a review vouched for it). Any other reason it waits is kept as it was.
 */
export function currentConflict(
  held: HeldConflict,
  link: { branchNumber: string | null; vouchedBranches: readonly BranchVouch[]; patient: { insuredBranch: string | null } } | null,
): { conflict: string | null; branchConflict: BranchConflict | null } {
  const onBranch = !!held.branchConflict || !!held.conflict?.startsWith("BRANCH_CONFLICT");
  if (!onBranch) return { conflict: held.conflict ?? null, branchConflict: null };
  if (!link) return { conflict: null, branchConflict: null };
  // a conflict held before it was kept in parts: only its text says which 枝番, shown as it was
  if (!held.branchConflict) return { conflict: held.conflict ?? null, branchConflict: null };
  const accepted = acceptedBranches(link);
  const sent = part(held.branchConflict.sent);
  if (!accepted.length || accepted.includes(sent)) return { conflict: null, branchConflict: null };
  const vouched = link.vouchedBranches.map((v) => part(v.branch));
  return { conflict: held.conflict ?? null, branchConflict: { sent, linked: accepted, ...(vouched.length ? { vouched } : {}) } };
}

const kanaOf = (family: string | null, given: string | null) => normaliseKana(`${family ?? ""}${given ?? ""}`).replace(/ /g, "");

/** The link of a facility's patient id, as the identity checks read it (when the filing has not read it already). */
export async function findLink(tx: Tx, facilityId: string, localPatientId: string): Promise<(FoundLink & { provenance: string | null }) | null> {
  const link = await tx.patientLink.findFirst({ where: { facilityId, localPatientId }, include: { patient: { select: { id: true, birthDate: true, sex: true, insuredBranch: true } } } });
  return link && { ...link, vouchedBranches: vouchesOf(link.vouchedBranches) };
}

/**
 * The one Tsunagu patient a document may be filed under, or why it is held. Only two things file:
 *  - an existing link from (facility, local id), whose 枝番 (if the link has one), or one a reviewer
 *    vouched for on it, the document repeats;
 *  - an exact 被保険者個人識別子 with 枝番, birth date and sex that exactly one patient has, who has no
 *    other id at this facility: linked automatically, with that provenance.
 * Everything weaker — no 枝番, a different 枝番 under a linked id, two matching patients — waits as an
 * identity candidate for an administrator. Nothing is ever filed on a guess.
 */
export async function resolvePatient(tx: Tx, source: IngestSource, who: SourceIdentity, file: string, found?: { link: FoundLink | null }): Promise<Resolution> {
  // the filing may have read the link already, with its ledger entry (lib/ingest/ledger lookupFiling)
  const link: FoundLink | null = found ? found.link : await findLink(tx, source.facilityId, who.localId);
  const branch = who.insured?.branch ? part(who.insured.branch) : null;
  if (link) {
    const accepted = acceptedBranches(link);
    if (branch && accepted.length && !accepted.includes(branch)) {
      const known = accepted.join("/");
      // the vouched ones named apart, so that the review says which 枝番 is the link's own and which a reviewer accepted
      const vouched = link.vouchedBranches.map((v) => part(v.branch));
      const id = await holdForReview(tx, source, who, file, { conflict: { conflict: `BRANCH_CONFLICT: 枝番 ${branch} under id ${who.localId}, whose link is 枝番 ${known}`, branchConflict: { sent: branch, linked: accepted, ...(vouched.length ? { vouched } : {}) } }, suggested: link.patientId });
      return { held: `BRANCH_CONFLICT: facility ${source.facilityCode} id ${who.localId} is linked with 枝番 ${known}, this document says ${branch}: a different member of the insured family until someone checks; identity candidate ${id}`, candidateId: id };
    }
    const warnings: string[] = [];
    const birth = link.patient.birthDate.toISOString().slice(0, 10);
    const otherBirth = who.birthDate && who.birthDate !== birth ? who.birthDate : null;
    const otherSex = who.sex !== "UNKNOWN" && who.sex !== link.patient.sex ? who.sex : null;
    if (otherBirth) warnings.push(`BIRTH_DATE: ${who.fields?.birth ?? "the document"} says ${otherBirth}, the patient's is ${birth}`);
    if (otherSex) warnings.push(`SEX: ${who.fields?.sex ?? "the document"} says ${otherSex}, the patient's is ${link.patient.sex}`);
    // kept on the link, each value once, so that the clinician sees it beside this facility's records
    const births = otherBirth && !link.sentBirthDates.includes(otherBirth) ? [...link.sentBirthDates, otherBirth].sort() : null;
    const sexes = otherSex && !link.sentSexes.includes(otherSex) ? [...link.sentSexes, otherSex].sort() : null;
    if (births || sexes) await tx.patientLink.update({ where: { patientId_id: { patientId: link.patientId, id: link.id } }, data: { ...(births ? { sentBirthDates: births } : {}), ...(sexes ? { sentSexes: sexes } : {}) } });
    // the link may be a batch's read-ahead (lib/ingest/ledger FilingsAhead), which the next document reads: as the row now is
    if (births) link.sentBirthDates = births;
    if (sexes) link.sentSexes = sexes;
    return { patientId: link.patientId, warnings };
  }
  // an id already waiting for the review (raised before, or a link someone undid) stays with the
  // review: an automatic link must never overrule a human who is deciding, or who just unlinked it
  const waiting = await tx.identityCandidate.findFirst({ where: { facilityId: source.facilityId, localPatientId: who.localId, status: "PENDING" }, select: { id: true } });
  // an id the review rejected stays held, and does not ask again on every import; unless it waits
  // again (a link undone after an earlier rejection, e.g. of another 枝番): its files wait with it
  const rejected = waiting ? null : await tx.identityCandidate.findFirst({ where: { facilityId: source.facilityId, localPatientId: who.localId, status: "REJECTED" }, orderBy: { decidedAt: "desc" } });
  if (rejected) return { held: `REJECTED_IDENTITY: the identity review rejected facility ${source.facilityCode} id ${who.localId} (candidate ${rejected.id})` };
  const auto = waiting ? null : await exactInsuredMatch(tx, source, who, branch);
  if (auto) {
    await tx.patientLink.create({ data: { patientId: auto, id: `lk-${randomUUID()}`, facilityId: source.facilityId, localPatientId: who.localId, provenance: "AUTOMATIC", branchNumber: branch, confirmedAt: new Date() } });
    await recordAudit(tx, {
      actor: ingestActor(source),
      action: "IDENTITY_LINK_CONFIRMED",
      outcome: "SUCCESS",
      patientId: auto,
      detail: { automatic: true, localPatientId: who.localId, on: "被保険者個人識別子+枝番+birth date+sex", file },
    });
    return { patientId: auto, warnings: [] };
  }
  const id = await holdForReview(tx, source, who, file, {});
  return { held: `NO_LINK: no patient is linked to facility ${source.facilityCode} id ${who.localId}; identity candidate ${id} awaits an administrator (npm run identity)`, candidateId: id };
}

async function exactInsuredMatch(tx: Tx, source: IngestSource, who: SourceIdentity, branch: string | null): Promise<string | null> {
  const ins = who.insured;
  if (!ins || !branch || !who.birthDate || who.sex === "UNKNOWN" || !part(ins.insurerNumber) || !part(ins.number)) return null;
  const same = await tx.patient.findMany({
    where: { insurerNumber: part(ins.insurerNumber), birthDate: new Date(`${who.birthDate}T00:00:00Z`), sex: who.sex },
    select: { id: true, insuredSymbol: true, insuredNumber: true, insuredBranch: true },
    take: 50,
  });
  const exact = same.filter((p) => part(p.insuredNumber) === part(ins.number) && part(p.insuredSymbol) === part(ins.symbol) && p.insuredBranch !== null && part(p.insuredBranch) === branch);
  if (exact.length !== 1) return null;
  // a patient already known here under another id: two ids for one person is for a human to sort out
  const other = await tx.patientLink.findFirst({ where: { patientId: exact[0]!.id, facilityId: source.facilityId } });
  return other ? null : exact[0]!.id;
}

/**
 * The facility's patient id goes to the identity review: one pending candidate per (facility, id),
 * counting the documents it holds, with what they say and, as a suggestion only, the patient whose
 * kana, birth date and sex match exactly (or, for a conflict, the patient the id is linked to).
 * Audited when first raised.
 */
function heldIdentityOf(who: SourceIdentity, file: string, conflict: HeldConflict | undefined): HeldIdentity {
  const identity: HeldIdentity & { fields?: unknown; master?: boolean } = { ...who, from: file, ...(who.master ? { fromMaster: true } : {}), ...conflict };
  delete identity.fields;
  delete identity.master;
  return identity;
}

/** A patient whose kana, birth date and sex match exactly, when exactly one does: a suggestion for the reviewer, never a link. */
export async function suggestionFor(tx: Tx, who: Pick<SourceIdentity, "birthDate" | "sex" | "familyNameKana" | "givenNameKana">): Promise<string | null> {
  if (!who.birthDate || !kanaOf(who.familyNameKana, who.givenNameKana)) return null;
  const same = await tx.patient.findMany({ where: { birthDate: new Date(`${who.birthDate}T00:00:00Z`), sex: who.sex }, select: { id: true, familyNameKana: true, givenNameKana: true } });
  const matches = same.filter((p) => kanaOf(p.familyNameKana, p.givenNameKana) === kanaOf(who.familyNameKana, who.givenNameKana));
  return matches.length === 1 ? matches[0]!.id : null;
}

/** Does a stored identity say who the person is (a candidate an unlink raised says nothing until a file of it is read)? */
const saysWho = (h: StoredIdentity): h is HeldIdentity => "sex" in h && !!(h.birthDate || h.familyName || h.familyNameKana || h.insured);
const branchOf = (who: { insured?: InsuredId | null }) => (who.insured?.branch ? part(who.insured.branch) : null);

/**
 * A candidate's identity with one more held file's word. The patient master replaces what an earlier
 * order or result file said, and any file replaces an identity that said nothing yet (an unlink's);
 * the replaced values stay as "other". Otherwise the file's birth date, sex and 枝番 are kept as
 * "other" where they differ from the shown ones. Why it waits (a conflict, an unlink) stays with it.
 */
export function withHeldFile(held: StoredIdentity | null, who: SourceIdentity, file: string, conflict?: HeldConflict): { identity: HeldIdentity; replaced: boolean } {
  if (!held) return { identity: heldIdentityOf(who, file, conflict), replaced: true };
  const said = saysWho(held) ? held : null;
  const without = (list: string[] | undefined, v: string | null | undefined) => list?.filter((x) => x !== v);
  const why: HeldConflict = said?.conflict ? { conflict: said.conflict, ...(said.branchConflict ? { branchConflict: said.branchConflict } : {}) } : (conflict ?? {});
  const unlinked = held.unlinkedFrom ? { unlinkedFrom: held.unlinkedFrom, ...(held.reason ? { reason: held.reason } : {}) } : {};
  const shown: HeldIdentity =
    !said || (who.master && !said.fromMaster)
      ? {
          ...heldIdentityOf(who, file, why),
          ...unlinked,
          otherBirthDates: addOther(without(said?.otherBirthDates, who.birthDate), said?.birthDate, who.birthDate),
          otherSexes: addOther(without(said?.otherSexes, who.sex), said?.sex === "UNKNOWN" ? null : said?.sex, who.sex),
          otherBranches: addOther(without(said?.otherBranches, branchOf(who)), said ? branchOf(said) : null, branchOf(who)),
        }
      : said;
  const next: HeldIdentity = {
    ...shown,
    otherBirthDates: addOther(shown.otherBirthDates, who.birthDate, shown.birthDate),
    otherSexes: addOther(shown.otherSexes, who.sex === "UNKNOWN" ? null : who.sex, shown.sex),
    otherBranches: addOther(shown.otherBranches, branchOf(who), branchOf(shown)),
  };
  return { identity: next, replaced: shown !== said };
}

export async function holdForReview(tx: Tx, source: IngestSource, who: SourceIdentity, file: string, opts: { conflict?: HeldConflict; suggested?: string }): Promise<string> {
  const pending = await tx.identityCandidate.findFirst({ where: { facilityId: source.facilityId, localPatientId: who.localId, status: "PENDING" } });
  if (pending) {
    const { identity, replaced } = withHeldFile((pending.identity ?? { localId: who.localId }) as StoredIdentity, who, file, opts.conflict);
    const suggestion = replaced && !pending.suggestedPatientId ? await suggestionFor(tx, who) : undefined;
    await tx.identityCandidate.update({ where: { id: pending.id }, data: { heldFiles: { increment: 1 }, identity: JSON.parse(JSON.stringify(identity)), ...(suggestion ? { suggestedPatientId: suggestion } : {}) } });
    return pending.id;
  }
  const suggested = opts.suggested ?? (await suggestionFor(tx, who));
  const id = `idc-${randomUUID()}`;
  await tx.identityCandidate.create({
    data: { id, facilityId: source.facilityId, localPatientId: who.localId, status: "PENDING", identity: JSON.parse(JSON.stringify(heldIdentityOf(who, file, opts.conflict))), suggestedPatientId: suggested, firstFile: file },
  });
  await recordAudit(tx, {
    actor: ingestActor(source),
    action: "IDENTITY_CANDIDATE",
    outcome: "SUCCESS",
    patientId: null,
    detail: { candidate: id, localPatientId: who.localId, file, suggested, ...(opts.conflict?.conflict ? { conflict: opts.conflict.conflict } : {}) },
  });
  return id;
}
