import type { Tx } from "../db/client";
import type { Sensitivity } from "../access/decide";
import type { RecordKind } from "../access/data-kinds";
import type { CurrentMed } from "./medication";
import { readMedicationChecks } from "./medication-checks";

/**
 * The names of every medication warning this actor sees now for the patient: what an acknowledgement
 * may refer to. One place, so the warnings on screen and the ones that may be acknowledged agree.
 */
export async function currentWarningKeys(tx: Tx, patientId: string, kinds: readonly RecordKind[], withheld: readonly Sensitivity[], current: readonly CurrentMed[]): Promise<Set<string>> {
  const checks = await readMedicationChecks(tx, patientId, kinds, withheld, current);
  return new Set(checks.interactions.map((w) => w.key));
}
