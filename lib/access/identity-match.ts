import { normaliseKana } from "../format/kana";

/** What a facility's files say about a person (IdentityCandidate.identity), as far as review shows it. */
export interface SourcePerson {
  familyName?: string | null;
  givenName?: string | null;
  familyNameKana?: string | null;
  givenNameKana?: string | null;
  birthDate?: string | null;
  sex?: string | null;
  insured?: { insurerNumber?: string | null; number?: string | null; branch?: string | null } | null;
  /** birth dates and sexes other files of the same facility id gave (an identity candidate's held files) */
  otherBirthDates?: readonly string[];
  otherSexes?: readonly string[];
  /** held because the id is linked with other 枝番: the one the files sent, and the ones the link accepted then */
  branchConflict?: BranchConflict | null;
}

export type BranchConflict = {
  sent: string;
  /** every 枝番 the link accepted: its own, then the vouched ones */
  linked: string[];
  /** of those, the ones a reviewer vouched for (absent on candidates held before they were told apart) */
  vouched?: string[];
};

/** The link's own 枝番 and the vouched ones, apart, as the review names them. */
export const branchesApart = (c: BranchConflict): { own: string[]; vouched: string[] } => {
  const vouched = c.vouched ?? [];
  return { own: c.linked.filter((b) => !vouched.includes(b)), vouched };
};

/** A Tsunagu patient, as far as review shows it. */
export interface KnownPerson {
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: string;
  insurerNumber: string | null;
  insuredNumber: string | null;
  insuredBranch: string | null;
}

/** A patient row as the comparison reads it: the birth date as the day it is (YYYY-MM-DD). */
export const knownPersonOf = (p: Omit<KnownPerson, "birthDate"> & { birthDate: Date }): KnownPerson => ({
  familyName: p.familyName,
  givenName: p.givenName,
  familyNameKana: p.familyNameKana,
  givenNameKana: p.givenNameKana,
  birthDate: p.birthDate.toISOString().slice(0, 10),
  sex: p.sex,
  insurerNumber: p.insurerNumber,
  insuredNumber: p.insuredNumber,
  insuredBranch: p.insuredBranch,
});

export type MatchField = "name" | "kana" | "birthDate" | "sex" | "insured";

export interface MatchRow {
  field: MatchField;
  source: string | null;
  patient: string | null;
  /** null when either side says nothing: neither agreement nor disagreement */
  agree: boolean | null;
}

/** Names compare without spaces and width differences: 山田　太郎 and 山田 太郎 are one name. */
const squash = (s: string) => s.normalize("NFKC").replace(/[\s\u3000]+/g, "");
const joined = (a?: string | null, b?: string | null) => ([a, b].filter(Boolean).join(" ") || null) as string | null;

const insuredText = (n?: string | null, num?: string | null, br?: string | null) => (n && num ? `${n} ${num}${br ? `-${br}` : ""}` : null);

/**
 * What the facility's files say of the person, item by item, as the review shows it: the source column
 * of compareIdentity, and on its own the held person's card before any patient is named to compare
 * with (review 10: the reviewer had to type some patient id to learn whom the files were about).
 */
export function sentIdentity(source: SourcePerson): Record<MatchField, string | null> {
  return {
    name: joined(source.familyName, source.givenName),
    kana: joined(source.familyNameKana, source.givenNameKana),
    birthDate: source.birthDate ?? null,
    sex: source.sex && source.sex !== "UNKNOWN" ? source.sex : null,
    insured: insuredText(source.insured?.insurerNumber, source.insured?.number, source.insured?.branch),
  };
}

/**
 * The match items side by side, each marked agreeing or not, for the reviewer who decides whether a
 * facility's patient id is this Tsunagu patient. Only exact agreement counts: a near match is for
 * the reviewer's eyes, never a decision.
 */
export function compareIdentity(source: SourcePerson, patient: KnownPerson): MatchRow[] {
  const row = (field: MatchField, p: string | null, same: (a: string, b: string) => boolean): MatchRow => {
    const s = sent[field];
    return { field, source: s, patient: p, agree: s && p ? same(s, p) : null };
  };
  const sent = sentIdentity(source);
  return [
    row("name", joined(patient.familyName, patient.givenName), (a, b) => squash(a) === squash(b)),
    row("kana", joined(patient.familyNameKana, patient.givenNameKana), (a, b) => normaliseKana(a).replace(/ /g, "") === normaliseKana(b).replace(/ /g, "")),
    // every file counts: one held file with another birth date is a disagreement, even when the patient master agrees
    row("birthDate", patient.birthDate, (a, b) => a === b && (source.otherBirthDates ?? []).every((o) => o === b)),
    row("sex", patient.sex, (a, b) => a === b && (source.otherSexes ?? []).every((o) => o === b)),
    row("insured", insuredText(patient.insurerNumber, patient.insuredNumber, patient.insuredBranch), (a, b) => a === b),
  ];
}

export type IdentityLinkDecision = { allow: true; differs: MatchField[] } | { allow: false; reason: "IDENTITY_DIFFERS"; differs: MatchField[] };

/**
 * May a facility's patient id be confirmed as this Tsunagu patient? Birth date, sex and the insurance
 * card's numbers with 枝番 identify a person; when the facility's record and the patient disagree on
 * any (needsReason), a confirmation is refused unless the reviewer states why it is the same person anyway (the SS-MIX2 samples themselves carry
 * three birth dates for one patient across their files). Names may differ (kanji variants, typing)
 * and are shown, not decided on. Pure: tests/identity-review-screen.test.ts runs it with its twins.
 */
export function decideIdentityLink(rows: readonly MatchRow[], override: { reason: string } | null): IdentityLinkDecision {
  const differs = rows.filter((r) => r.agree === false).map((r) => r.field);
  if (needsReason(rows) && !(override && override.reason.trim().length >= 5)) return { allow: false, reason: "IDENTITY_DIFFERS", differs };
  return { allow: true, differs };
}

/**
 * The items whose disagreement a confirmation must explain: birth date and sex, and the 被保険者個人識別子
 * (保険者番号, 被保険者番号 and 枝番). The same card with another 枝番 is another member of the insured
 * family, as a held id's later 枝番 is (decideLinkedConfirm); another card may be a change of
 * insurance, which the reviewer can say. Names are not among them (kanji variants, typing).
 */
const MUST_EXPLAIN: readonly MatchField[] = ["birthDate", "sex", "insured"];
export const needsReason = (rows: readonly MatchRow[]): boolean => rows.some((r) => r.agree === false && MUST_EXPLAIN.includes(r.field));

/** A 枝番 a reviewer vouched for on a link (PatientLink.vouchedBranches): who, when, why, from which candidate. */
export type BranchVouch = {
  branch: string;
  by: string;
  /** ISO timestamp */
  at: string;
  reason: string;
  candidate: string;
};

/** A part of the 被保険者個人識別子 as compared: card numbers come with full-width digits and stray spaces or hyphens (the JP-CLINS examples: １８７). */
export const insuredPart = (v: string | null | undefined) => (v ?? "").normalize("NFKC").replace(/[\s\-‐－ー−]/g, "");

export type LinkedConfirmDecision =
  | { allow: true; vouch: string | null }
  | { allow: false; reason: "ALREADY_LINKED" | "VOUCH_REASON_REQUIRED" };

/**
 * May a candidate whose facility id is already linked be confirmed? Only onto the patient the link
 * names: another patient would make one facility id two people, so that needs the link undone first.
 * A 枝番 the link does not accept yet names another member of the insured family until someone who
 * checked says otherwise: the confirmation then vouches for it, and must say why (at least 5
 * characters, as an override does). A 枝番 already accepted, or none, vouches for nothing.
 * Pure: tests/identity-vouch.test.ts runs each deny with its allow twin.
 */
export function decideLinkedConfirm(f: { linkedPatientId: string; chosenPatientId: string; sentBranch: string | null; acceptedBranches: readonly string[]; reason: string | null }): LinkedConfirmDecision {
  if (f.chosenPatientId !== f.linkedPatientId) return { allow: false, reason: "ALREADY_LINKED" };
  const vouch = branchToVouch(f.sentBranch, f.acceptedBranches);
  if (vouch && !(f.reason && f.reason.trim().length >= 5)) return { allow: false, reason: "VOUCH_REASON_REQUIRED" };
  return { allow: true, vouch };
}

/** The 枝番 a held candidate stands for: the conflicting one that held it, else what its files said. */
export const sentBranchOf = (who: SourcePerson): string | null => who.branchConflict?.sent ?? who.insured?.branch ?? null;

/** The 枝番 a confirmation onto the linked patient would vouch for: the one sent, unless the link accepts it already. */
export function branchToVouch(sentBranch: string | null | undefined, acceptedBranches: readonly string[]): string | null {
  const sent = insuredPart(sentBranch);
  return sent && !acceptedBranches.some((b) => insuredPart(b) === sent) ? sent : null;
}
