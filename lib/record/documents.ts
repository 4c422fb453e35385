import type { Actor } from "../auth/actor";
import { kindRefusal, visibleKinds } from "../access/data-kinds";
import type { RecordKind } from "../format/record-kinds";
import type { Sensitivity } from "../access/decide";
import { withPatientAccess } from "./guard";
import { DocumentNotFoundError } from "./errors";
import { notWithheld, readBanner, type SafetyBanner } from "./banner";
import { readIdentity, type PatientIdentity } from "./identity";
import { inTurn } from "../db/in-turn";

export interface DocumentView {
  patient: PatientIdentity;
  banner: SafetyBanner;
  kinds: RecordKind[];
  withheld: Sensitivity[];
  document: {
    id: string;
    kind: string;
    title: string;
    occurredAt: string;
    facilityId: string;
    authorName: string | null;
    recipient: string | null;
    body: string;
    /** JP_ehrshrs_indication UNINFORMED: not yet told to the patient */
    uninformed: boolean;
  };
}

/**
 * One document (referral letter, discharge summary, report) in the reader. A profession that never sees
 * documents (a pharmacist) is refused as such (lib/access kindRefusal), before anything is read, so the
 * refusal is the same whether the document exists or not; a document of a withheld category, or none,
 * is "not found": its existence is not revealed.
 */
export async function getDocument(actor: Actor, patientId: string, documentId: string): Promise<DocumentView> {
  return withPatientAccess(actor, patientId, "TREATMENT", {
    replica: true,
    action: "RECORD_VIEW",
    what: "document",
    detail: { documentId },
    refuseWhen: (decision) => kindRefusal(actor.profession, decision, "document"),
    read: async (tx, decision) => {
      const kinds = visibleKinds(actor.profession, decision.scope);
      const doc = await tx.document.findFirst({ where: { patientId, id: documentId, ...notWithheld(decision.withheld) } });
      if (!doc) throw new DocumentNotFoundError(patientId, documentId);
      const [patient, { banner }] = await inTurn(() => readIdentity(tx, patientId, { facilityId: actor.facilityId, kinds, withheld: decision.withheld }), () => readBanner(tx, patientId, kinds, decision.withheld));
      return {
        patient,
        banner,
        kinds,
        withheld: [...decision.withheld.categories],
        document: {
          id: doc.id,
          kind: doc.kind,
          title: doc.title,
          occurredAt: doc.occurredAt.toISOString(),
          facilityId: doc.facilityId,
          authorName: doc.authorName,
          recipient: doc.recipient,
          body: doc.body,
          uninformed: doc.uninformed,
        },
      };
    },
  });
}
