import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { RowShape } from "./read-batch";
import type { Withheld } from "../access/decide";
import type { RecordKind } from "../format/record-kinds";
import { allergyConflicts, duplicateTherapy, type AllergyConflict, type AllergyFact, type CurrentMed, type DuplicateWarning } from "./medication";
import { readLatestPerCode, type ObservationFilter, type ObservationRow } from "./labs";
import { now } from "../clock";
import { primaryOf } from "./replica";
import { checkInteractions, EGFR_CODE, POTASSIUM_CODE, type InteractionWarning, type LabFact } from "./interactions";
import { conflictKey, duplicateKey, warningKey } from "../format/warning-key";

/** Who marked a warning as handled, where, when and why: shown as 確認済み to the next viewer. */
export interface Acknowledgement {
  userName: string;
  profession: string;
  facilityId: string;
  at: string;
  reason: string;
}

export interface CheckedInteraction extends InteractionWarning {
  key: string;
  acknowledged: Acknowledgement | null;
}

export interface MedicationChecks {
  duplicates: DuplicateWarning[];
  conflicts: AllergyConflict[];
  interactions: CheckedInteraction[];
  /** acknowledgements of the duplicate and allergy warnings, by warning key (duplicateKey, conflictKey) */
  acknowledged: Record<string, Acknowledgement>;
  /** checks not run, and why: no result on record, or results this read does not show (an emergency-only scope) */
  notChecked: ("NO_EGFR" | "NO_POTASSIUM" | "EGFR_NOT_SHOWN" | "POTASSIUM_NOT_SHOWN")[];
  /** whether this viewer may mark a warning as handled (lib/access decideWarningAcknowledgement) */
  mayAcknowledge: boolean;
}

/** What the renal checks ask of readLatestPerCode: the latest numeric eGFR and potassium. */
export const RENAL_LABS: ObservationFilter = { codes: [EGFR_CODE, POTASSIUM_CODE], numeric: true };

/** The renal checks' facts from RENAL_LABS rows. */
function renalFacts(rows: readonly ObservationRow[]): { egfr: LabFact | null; potassium: LabFact | null } {
  const fact = (code: string): LabFact | null => {
    const r = rows.find((x) => x.code === code);
    return r ? { code, value: Number(r.value), unit: r.unit, occurredAt: r.occurredAt.toISOString(), facilityId: r.facilityId } : null;
  };
  return { egfr: fact(EGFR_CODE), potassium: fact(POTASSIUM_CODE) };
}

/** An acknowledgement as read, newest first. */
export type AcknowledgementRow = { warningKey: string; userName: string; profession: string; facilityId: string; at: Date; reason: string };

/**
 * Every acknowledgement of the patient's warnings, newest first, for a batch read (lib/record/read-batch)
 * made before the warnings are known: a patient's are few, and only those of the warnings shown are kept
 * (readMedicationChecks). Only where the batch reads the primary (see readAcknowledgements).
 */
export const ACKNOWLEDGEMENT_ROWS: RowShape = { dates: ["at"], order: `x.at DESC, x.id DESC` };
export const acknowledgementsSql = (patientId: string) =>
  Prisma.sql`SELECT t.id, t."warningKey", t."userName", t.profession, t."facilityId", t.at, t.reason FROM "WarningAcknowledgement" t WHERE t."patientId" = ${patientId} ORDER BY t.at DESC, t.id DESC`;

/** The latest acknowledgement of each named warning of this patient (`read`: the patient's, read already). */
export async function readAcknowledgements(tx: Tx, patientId: string, keys: readonly string[], read?: readonly AcknowledgementRow[]): Promise<Map<string, Acknowledgement>> {
  if (keys.length === 0) return new Map();
  // on the primary: the page the acknowledging action re-renders must show the acknowledgement
  const rows = read ?? (await primaryOf(tx).warningAcknowledgement.findMany({ where: { patientId, warningKey: { in: [...keys] } }, orderBy: [{ at: "desc" }, { id: "desc" }] }));
  const wanted = new Set(keys);
  const out = new Map<string, Acknowledgement>();
  for (const r of rows) if (wanted.has(r.warningKey) && !out.has(r.warningKey)) out.set(r.warningKey, { userName: r.userName, profession: r.profession, facilityId: r.facilityId, at: r.at.toISOString(), reason: r.reason });
  return out;
}

export const interactionKey = (w: InteractionWarning) => warningKey(`ix|${w.rule}`, ...w.drugs.map((d) => d.key));

/**
 * Every medication warning over the current medicines, each named by its key: duplicate therapy,
 * allergy and contraindication conflicts, and the sourced interaction and renal checks (with the lab
 * values they use, read under the same decision: kinds and withheld categories). With the latest
 * acknowledgement of each. One function, so what the pages show and what may be acknowledged agree.
 */
export async function readMedicationChecks(
  tx: Tx,
  patientId: string,
  kinds: readonly RecordKind[],
  withheld: Withheld,
  current: readonly CurrentMed[],
  drugAllergies: readonly AllergyFact[],
  mayAcknowledge = false,
  /** the RENAL_LABS rows when the caller read them already, under the same kinds and withholding */
  renalRows?: readonly ObservationRow[],
  /** the patient's acknowledgements when the caller read them already, on the primary (acknowledgementsSql) */
  acknowledgementRows?: readonly AcknowledgementRow[],
): Promise<MedicationChecks> {
  const duplicates = duplicateTherapy(current);
  const conflicts = allergyConflicts(current, drugAllergies);
  if (current.length === 0) return { duplicates, conflicts, interactions: [], acknowledged: {}, notChecked: [], mayAcknowledge };
  const { egfr, potassium } = renalFacts(renalRows ?? (await readLatestPerCode(tx, patientId, kinds, withheld, now(), RENAL_LABS)));
  const result = checkInteractions({ current, egfr, potassium });
  const keyed = result.warnings.map((w) => ({ ...w, key: interactionKey(w) }));
  const others = [...duplicates.map(duplicateKey), ...conflicts.map(conflictKey)];
  const acks = await readAcknowledgements(tx, patientId, [...keyed.map((w) => w.key), ...others], acknowledgementRows);
  return {
    duplicates,
    conflicts,
    interactions: keyed.map((w) => ({ ...w, acknowledged: acks.get(w.key) ?? null })),
    acknowledged: Object.fromEntries(others.flatMap((k) => (acks.has(k) ? [[k, acks.get(k)!]] : []))),
    // "no eGFR result" would be untrue where this read cannot see lab results at all: say so instead
    notChecked: kinds.includes("lab") ? result.notChecked : result.notChecked.map((n) => (n === "NO_EGFR" ? "EGFR_NOT_SHOWN" : "POTASSIUM_NOT_SHOWN")),
    mayAcknowledge,
  };
}

/** The key of every warning in a set of checks: what an acknowledgement may refer to. */
export const warningKeysOf = (c: MedicationChecks) => new Set([...c.interactions.map((w) => w.key), ...c.duplicates.map(duplicateKey), ...c.conflicts.map(conflictKey)]);
