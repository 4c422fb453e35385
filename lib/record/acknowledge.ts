import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { decideWarningAcknowledgement } from "../access/duties";
import { visibleKinds } from "../access/data-kinds";
import { isoDate } from "../format/dates";
import { now } from "../clock";
import { actorFacts, withPatientAccess } from "./guard";
import { InvalidFieldsError } from "./errors";
import { fieldErrors } from "./input";
import { refuse } from "./refuse";
import { readRecentMedRows } from "./prescriptions";
import { currentMedications } from "./medication";
import { readMedicationChecks, warningKeysOf, type Acknowledgement } from "./medication-checks";
import { readBanner } from "./banner";
import { WARNING_KEY_PATTERN } from "../format/warning-key";

/** A reason is a short clinical note ("処方医に確認済み、継続"), not a letter. */
export const ACK_REASON_MAX = 200;

const input = z.object({
  warningKey: z.string().regex(WARNING_KEY_PATTERN),
  // kept as typed (no NFKC, unlike a search box): a clinical note's （） and full-width digits are the author's
  reason: z
    .string()
    .trim()
    .max(ACK_REASON_MAX)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s))
    .refine((s) => s.length >= 2, { params: { error: "required" } }),
});

/** Thrown inside the read when the acknowledgement rule refuses, so the transaction writes nothing. */
class AcknowledgementRefused extends Error {
  constructor(readonly reason: "PROFESSION_MAY_NOT_ACKNOWLEDGE" | "SCOPE_EMERGENCY_ONLY") {
    super(reason);
  }
}

/**
 * A doctor or pharmacist marks one of the warnings they are looking at as handled, with a reason.
 * Decided twice in one transaction: the read of the patient (lib/access decide) and the
 * acknowledgement rule (lib/access decideWarningAcknowledgement); the warning must be one this
 * actor sees now (a key for any other warning is refused as invalid, so nobody can pre-acknowledge a
 * warning they never saw). Audited as WARNING_ACKNOWLEDGED, with the key and the reason.
 */
export async function acknowledgeWarning(actor: Actor, patientId: string, raw: unknown): Promise<Acknowledgement> {
  const parsed = input.safeParse(raw);
  if (!parsed.success) throw new InvalidFieldsError(fieldErrors(parsed.error));
  const { warningKey, reason } = parsed.data;
  // the profession half of the rule needs no patient data: refuse it before any read, audited
  const right = decideWarningAcknowledgement(actorFacts(actor), "FULL");
  if (!right.allow) await refuse(actor, { action: "WARNING_ACKNOWLEDGED", reason: right.reason, patientId, purpose: "TREATMENT", what: "warning-acknowledgement" });
  try {
    return await withPatientAccess(actor, patientId, "TREATMENT", {
      action: "WARNING_ACKNOWLEDGED",
      what: "warning-acknowledgement",
      detail: { warningKey, reason },
      read: async (tx, decision) => {
        const d = decideWarningAcknowledgement(actorFacts(actor), decision.scope);
        if (!d.allow) throw new AcknowledgementRefused(d.reason);
        const at = now();
        const kinds = visibleKinds(actor.profession, decision.scope);
        const rows = kinds.includes("prescription") ? await readRecentMedRows(tx, patientId, decision.withheld, at) : [];
        const { drugAllergies } = await readBanner(tx, patientId, kinds, decision.withheld);
        const keys = warningKeysOf(await readMedicationChecks(tx, patientId, kinds, decision.withheld, currentMedications(rows, isoDate(at)), drugAllergies));
        if (!keys.has(warningKey)) throw new InvalidFieldsError({ warningKey: "not_current" });
        const row = await tx.warningAcknowledgement.create({
          data: { patientId, id: randomUUID(), warningKey, reason, userId: actor.userId, userName: actor.name, profession: actor.profession, facilityId: actor.facilityId, at },
        });
        return { userName: row.userName, profession: row.profession, facilityId: row.facilityId, at: row.at.toISOString(), reason: row.reason };
      },
    });
  } catch (e) {
    if (e instanceof AcknowledgementRefused) return refuse(actor, { action: "WARNING_ACKNOWLEDGED", reason: e.reason, patientId, purpose: "TREATMENT", what: "warning-acknowledgement" });
    throw e;
  }
}
