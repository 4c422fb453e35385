import type { Hl7Contact } from "../ssmix2/contacts";
import { relationship } from "../../terminology/contact-codes";
import { compact, referenceTo, resourceBase, type Resource } from "./write-common";

/** An insurance (IN1) a facility registered for the patient: the row, its id, and the facility's 医療機関コード. */
export type CoverageRow = Hl7Contact & { id: string; patientId: string; facilityCode: string | null };

/** JP Core's 保険者番号 system (JP_Organization's insurerNumber slice). */
export const INSURER_NUMBER_SYSTEM = "urn:oid:1.2.392.100495.20.3.61";
/** FHIR R4's Coverage.relationship (bound to SubscriberRelationshipCodes) */
const SUBSCRIBER_RELATIONSHIP = "http://terminology.hl7.org/CodeSystem/subscriber-relationship";

/** IN1-17's HL7 0063 code as the beneficiary's relationship to the subscriber: 本人 (self) or the family member's. */
const SUBSCRIBER: Readonly<Record<string, string>> = { SEL: "self", SPO: "spouse", DOM: "common", CHD: "child", SON: "child", DAU: "child", PAR: "parent", MTH: "parent", FTH: "parent" };

const day = (d: string | null) => (d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : undefined);

/**
 * JP_Coverage: who pays (the 保険者 by its 保険者番号; with none, the patient pays), the plan as the
 * sender coded it, the patient's relationship to the insured (本人 or 家族) and the validity IN1-12/13
 * gave. The insured person's 記号・番号 are the Patient's identifier, not repeated here: an IN1 row
 * does not carry them.
 */
export function writeCoverage(c: CoverageRow): Resource {
  const relation = c.insuredRelation;
  // IN1-17 is the 0063 code (SEL), or the sender's words when it gave none
  const self = relation === "SEL" || relation === "本人";
  const subscriber = self ? "self" : relation ? (SUBSCRIBER[relation] ?? (relationship(relation, null, "ja") !== relation ? "other" : undefined)) : undefined;
  const plan = c.text ?? c.code ?? "";
  return compact({
    ...resourceBase("Coverage", c.id, "JP_Coverage", { facilityCode: c.facilityCode }, [plan, c.insurerNumber && `保険者番号 ${c.insurerNumber}`, relation && (self ? "本人" : "家族")].filter(Boolean).join(" ")),
    status: "active",
    // as text: IN1-2's code is SS-MIX2's 保険種別 (JHSD0001), for which neither package names a code system
    // (JP-CLINS's InsuranceMajorCategory is another code set), and JP Core binds none to Coverage.type
    type: plan ? { text: c.text && c.code ? `${c.text}（${c.code}）` : plan } : undefined,
    beneficiary: referenceTo("Patient", c.patientId),
    relationship: relation
      ? compact({ coding: subscriber ? [{ system: SUBSCRIBER_RELATIONSHIP, code: subscriber }] : undefined, text: self ? "本人" : `家族（${relationship(relation, null, "ja")}）` })
      : undefined,
    period: day(c.validFrom) || day(c.validTo) ? compact({ start: day(c.validFrom), end: day(c.validTo) }) : undefined,
    // the insurer by its number (no Organization of it is written), else the patient pays (JP-CLINS's selfPayment)
    payor: [c.insurerNumber ? { type: "Organization", identifier: { system: INSURER_NUMBER_SYSTEM, value: c.insurerNumber } } : referenceTo("Patient", c.patientId)],
  });
}
