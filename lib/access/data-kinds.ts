import type { Profession } from "./decide";
import { RECORD_KINDS, type RecordKind } from "../format/record-kinds";
import { labTest } from "../terminology/lab-tests";

const ALL: readonly RecordKind[] = RECORD_KINDS;

/**
 * Role × data-kind: what each profession may see of a record it has access to. One table, used by
 * lib/record for every list, and printed in the README. Pharmacists see medication, allergy and the
 * prescribing context (diagnoses, kidney/liver labs), not documents or procedures. The kinds themselves
 * are described once in lib/format/record-kinds.ts (screens) and lib/record/kinds.ts (tables, readers).
 */
export const KINDS_BY_PROFESSION: Record<Profession, readonly RecordKind[]> = {
  DOCTOR: ALL,
  DENTIST: ALL,
  NURSE: ALL,
  EMERGENCY: ALL,
  PHARMACIST: ["encounter", "condition", "prescription", "lab", "allergy"],
  CLERK: [],
  ADMIN: [],
};

/** The emergency dataset (救急時医療情報): what an EMERGENCY scope (emergency-only consent or break-glass) yields. */
export const EMERGENCY_KINDS: readonly RecordKind[] = ["condition", "prescription", "allergy", "procedure", "encounter", "document"];

/**
 * The emergency dataset's 検査関連情報, as the オン資 救急用サマリー carries it: not the lab history (an
 * emergency scope shows no lab trends), only the latest value of the tests an ER acts on in its first
 * minutes — K and Na (arrhythmia; hyperkalaemia before a dialysis patient's next session), BUN,
 * creatinine and eGFR (drug doses, contrast), Hb and platelets (bleeding, transfusion, whether to
 * operate), PT-INR (anticoagulation: bleeding, reversal, whether to operate), glucose and HbA1c (diabetic
 * emergencies). In the order the page lists them. Every EMERGENCY scope yields them, an emergency-only
 * consent as much as a break-glass grant (latestOnlyKinds): the patient who agreed to emergency sharing
 * must not get less shared than one who never agreed.
 */
export const EMERGENCY_LAB_CODES: readonly string[] = ["k", "na", "bun", "cre", "egfr", "hb", "plt", "ptinr", "glu", "hba1c"].map((key) => labTest(key).code);

/**
 * How far back a medicine may still be current: longer than any supply a Japanese prescription allows
 * (90 days+), and than the 頓用 list's year (lib/record PRN_LIST_DAYS). The 統合ビュー, the medication checks and the emergency
 * dataset all read the prescriptions and dispenses of this window and judge "current" from them.
 */
export const MEDICATION_LOOKBACK_DAYS = 400;

/**
 * The rest of the emergency dataset, kind by kind: the windows and filters of what the emergency page
 * reads, and therefore all that a break-glass grant yields through the FHIR API too (lib/record
 * emergency-dataset.ts applies them to both). Allergies come whole (an allergy is never out of date);
 * lab results are the latest emergency values above.
 */
export const EMERGENCY_DATASET = {
  /**
   * medicines: the window in which the current ones are judged (lib/record readEmergencyMedicines, the
   * 統合ビュー's rule); the page lists them and the FHIR API gives the drugs behind them, nothing else of the window
   */
  medicationDays: MEDICATION_LOOKBACK_DAYS,
  /** visits of the last year (the page's facilities seen recently, with their telephone) */
  encounterDays: 365,
  /** diagnoses: the ongoing ones (no end, no 転帰), and also the major ones (主病名) that ended */
  endedMajorConditions: true,
  /** procedures: surgery, anaesthesia and transfusion of the last 3 years; the latest dialysis; every implant (it is still in the body) */
  procedures: { recentKinds: ["SURGERY", "ANESTHESIA", "TRANSFUSION"], recentDays: 3 * 365, latestKinds: ["DIALYSIS"], everyKinds: ["IMPLANT"] },
  /** letters and reports: the latest discharge summary, no other */
  latestDocumentKind: "DISCHARGE_SUMMARY",
} as const;

/** The kinds those latest values are read from: lab results, where the profession sees labs (checkups are not in the dataset). */
export function emergencyLabKinds(profession: Profession): RecordKind[] {
  return KINDS_BY_PROFESSION[profession].filter((k) => k === "lab");
}

export function visibleKinds(profession: Profession, scope: "FULL" | "EMERGENCY"): RecordKind[] {
  const byRole = KINDS_BY_PROFESSION[profession];
  return byRole.filter((k) => scope === "FULL" || EMERGENCY_KINDS.includes(k));
}

/** What a read was allowed under: the scope, and whether a consent or a break-glass grant opened it (lib/access decide). */
export interface ReadBasis {
  scope: "FULL" | "EMERGENCY";
  basis: "CONSENT" | "BREAK_GLASS";
}

/**
 * The kinds of which a read takes only the latest value of each emergency test (EMERGENCY_LAB_CODES),
 * not the history: under any EMERGENCY scope — an emergency-only consent and a break-glass grant alike,
 * one definition of 救急時医療情報 — the lab kinds the profession sees. The emergency page, the 統合ビュー,
 * the lab pages and the FHIR API all read them with this.
 */
export function latestOnlyKinds(profession: Profession, read: ReadBasis): RecordKind[] {
  return read.scope === "EMERGENCY" ? emergencyLabKinds(profession) : [];
}

/**
 * Whether a read yields only the emergency dataset as the emergency page reads it (EMERGENCY_DATASET's
 * windows on every kind): under a break-glass grant, so the FHIR API gives no more than the page. An
 * emergency-only consent, the patient's own word, shows its kinds with their history (visibleKinds) and
 * the latest emergency lab values (latestOnlyKinds): the dataset and more, never less.
 */
export const readsEmergencyDataset = (read: ReadBasis): boolean => read.basis === "BREAK_GLASS";

/**
 * The kinds the profession sees whose record the scope leaves out, in part or whole: under an EMERGENCY
 * scope the checkups and the lab history (its latest emergency values stay, latestOnlyKinds). A page
 * that would show one of them says the scope leaves it out, rather than that there is none.
 */
export function scopeHiddenKinds(profession: Profession, scope: "FULL" | "EMERGENCY"): RecordKind[] {
  const shown = visibleKinds(profession, scope);
  return KINDS_BY_PROFESSION[profession].filter((k) => !shown.includes(k));
}

/**
 * Why one record of `kind` (a document opened by its address) may not be shown under this read:
 * KIND_NOT_FOR_PROFESSION when the profession never sees the kind (a pharmacist and a referral letter),
 * SCOPE_EMERGENCY_ONLY when the scope hides it; decided before anything is read, so the answer is the
 * same whether the record exists or not.
 */
export function kindRefusal(profession: Profession, read: ReadBasis, kind: RecordKind): "KIND_NOT_FOR_PROFESSION" | "SCOPE_EMERGENCY_ONLY" | null {
  if (!KINDS_BY_PROFESSION[profession].includes(kind)) return "KIND_NOT_FOR_PROFESSION";
  return visibleKinds(profession, read.scope).includes(kind) ? null : "SCOPE_EMERGENCY_ONLY";
}

/**
 * A read that asks only for kinds its scope hides (a 特定健診 under an emergency-only consent or
 * break-glass) is refused with that reason, rather than answered with an empty list
 * that reads as "no results". Kinds the profession never sees (a pharmacist asking for letters) stay
 * an empty answer, as on the screen; so does a read that asks for some kind it may read, in full or
 * as its latest emergency values.
 */
export function scopeRefusal(profession: Profession, read: ReadBasis, wanted: readonly RecordKind[]): "SCOPE_EMERGENCY_ONLY" | null {
  if (read.scope === "FULL" || wanted.length === 0) return null;
  const shown = [...visibleKinds(profession, read.scope), ...latestOnlyKinds(profession, read)];
  const byRole = KINDS_BY_PROFESSION[profession];
  return wanted.some((k) => shown.includes(k)) || !wanted.some((k) => byRole.includes(k)) ? null : "SCOPE_EMERGENCY_ONLY";
}

export type ContactKind = "PHONE" | "NEXT_OF_KIN" | "INSURANCE";

/**
 * What a read shows of the patient's telephones (PHONE), the people to contact (NEXT_OF_KIN, NK1) and
 * the insurance (IN1), as the facilities registered them. Only under a full-scope read: the emergency
 * dataset (救急時医療情報) carries no contacts, and a break-glass grant is opened without the patient's
 * word. A pharmacist sees the patient's own telephone and the insurance — what dispensing needs — not
 * the family's names, telephones and addresses; a clerk or administrator, who see no record, see none.
 */
export function contactKinds(profession: Profession, scope: "FULL" | "EMERGENCY"): readonly ContactKind[] {
  if (scope !== "FULL" || KINDS_BY_PROFESSION[profession].length === 0) return [];
  return profession === "PHARMACIST" ? ["PHONE", "INSURANCE"] : ["PHONE", "NEXT_OF_KIN", "INSURANCE"];
}
