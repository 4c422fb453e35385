import type { Tx } from "../db/client";
import type { Sensitivity } from "../access/decide";
import { notWithheld } from "./banner";
import type { MedRow } from "./medication";

/**
 * Prescription and dispense items of one patient issued on or after `since` (all when null), flattened
 * to the rows the medication logic works on, newest first.
 */
export async function readMedRows(tx: Tx, patientId: string, since: Date | null, withheld: readonly Sensitivity[]): Promise<MedRow[]> {
  const rx = await tx.prescription.findMany({
    where: { patientId, ...(since ? { occurredAt: { gte: since } } : {}), ...notWithheld(withheld) },
    include: { items: { orderBy: [{ rp: "asc" }, { id: "asc" }] } },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
  });
  return rx.flatMap((p) =>
    p.items.map((i) => ({
      prescriptionId: p.id,
      itemId: i.id,
      kind: p.kind,
      facilityId: p.facilityId,
      prescriberName: p.prescriberName,
      occurredAt: p.occurredAt,
      status: p.status,
      stoppedAt: p.stoppedAt,
      codeSystem: i.codeSystem,
      code: i.code,
      display: i.display,
      yjCode: i.yjCode,
      days: i.days,
      asNeeded: i.asNeeded,
      usageText: i.usageText,
      dose: i.dose,
      doseUnit: i.doseUnit,
    })),
  );
}
