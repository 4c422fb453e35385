import type { Tx } from "../db/client";
import type { Sensitivity } from "../access/decide";
import { insuredPart, type SourcePerson } from "../access/identity-match";
import { identityOfBody } from "./fhir-document";
import type { SourceIdentity } from "./patient-identity";

/** One 枝番 among a candidate's held documents: how many carry it, and the person they name. */
export interface HeldBranch {
  branch: string;
  files: number;
  /** the first held document with this 枝番, whose person is compared */
  from: string;
  person: SourcePerson;
}

/** A held document's name and the person its Patient names (null: none could be read). */
export type HeldPerson = { name: string; who: SourceIdentity | null };

const add = (set: Set<string>, v: string | null | undefined) => void (v && v !== "UNKNOWN" && set.add(v));

/**
 * A candidate's held documents apart by 枝番, when they carry two or more: the id is linked with one
 * 枝番, and the files of the others wait again, so the reviewer compares (and confirms) each 枝番 on
 * its own rather than whichever file came first (review 7, H2 — the JP-CLINS examples: one file with
 * 枝番 01, three with 05). Each keeps every birth date and sex any held file gave as "other": a
 * confirmation files the held files without a 枝番 too, so one that disagrees still needs the
 * reviewer's reason (lib/access needsReason). Null for one 枝番 or none: the stored identity is shown.
 */
export function heldBranches(who: SourcePerson, held: readonly HeldPerson[]): HeldBranch[] | null {
  const groups = new Map<string, { files: number; from: string; who: SourceIdentity }>();
  const births = new Set<string>();
  const sexes = new Set<string>();
  add(births, who.birthDate);
  for (const b of who.otherBirthDates ?? []) add(births, b);
  add(sexes, who.sex);
  for (const s of who.otherSexes ?? []) add(sexes, s);
  for (const h of held) {
    if (!h.who) continue;
    add(births, h.who.birthDate);
    add(sexes, h.who.sex);
    const branch = insuredPart(h.who.insured?.branch);
    if (!branch) continue;
    const g = groups.get(branch);
    if (g) g.files++;
    else groups.set(branch, { files: 1, from: h.name, who: h.who });
  }
  if (groups.size < 2) return null;
  return [...groups].map(([branch, g]) => {
    const conflict = who.branchConflict && !who.branchConflict.linked.some((l) => insuredPart(l) === branch) ? { ...who.branchConflict, sent: branch } : null;
    const person: SourcePerson = {
      familyName: g.who.familyName,
      givenName: g.who.givenName,
      familyNameKana: g.who.familyNameKana,
      givenNameKana: g.who.givenNameKana,
      birthDate: g.who.birthDate,
      sex: g.who.sex,
      insured: g.who.insured ? { insurerNumber: g.who.insured.insurerNumber, number: g.who.insured.number, branch } : null,
      otherBirthDates: [...births].filter((b) => b !== g.who.birthDate).sort(),
      otherSexes: [...sexes].filter((s) => s !== g.who.sex).sort(),
      branchConflict: conflict,
    };
    return { branch, files: g.files, from: g.from, person };
  });
}

/**
 * The persons the held documents of these candidates name, read from their stored bodies (the pushed
 * and file-imported FHIR documents; SS-MIX2 files are held without theirs and carry no 枝番). Only
 * candidates whose files gave more than one 枝番 are read: the others show their stored identity.
 */
export async function heldPersons(tx: Tx, candidates: readonly { id: string; facilityId: string; facilityCode: string; careCategory: Sensitivity; identity: SourcePerson & { otherBranches?: string[] } }[]): Promise<Map<string, HeldPerson[]>> {
  const split = candidates.filter((c) => (c.identity.otherBranches ?? []).length > 0);
  const out = new Map<string, HeldPerson[]>();
  if (!split.length) return out;
  const docs = await tx.heldDocument.findMany({ where: { candidateId: { in: split.map((c) => c.id) } }, orderBy: [{ receivedAt: "asc" }, { id: "asc" }], select: { candidateId: true, name: true, body: true } });
  for (const c of split) {
    const source = { facilityId: c.facilityId, facilityCode: c.facilityCode, careCategory: c.careCategory, by: "review" };
    out.set(
      c.id,
      docs.filter((d) => d.candidateId === c.id).map((d) => ({ name: d.name, who: identityOfBody(source, d.body) })),
    );
  }
  return out;
}
