import { readAllergy } from "./allergy";
import { readCondition } from "./condition";
import { enteredInError } from "./elements";
import type { Issues, Node } from "./json";
import { isLabResult, readLab } from "./lab";
import { readMedication } from "./medication";
import type { Resources } from "./references";
import type { FhirDocument } from "./types";

/** Why a resource with no record kind of its own is not filed (it is listed, never silently dropped). */
const NO_RECORD: ReadonlyMap<string, string> = new Map([
  ["Practitioner", "Practitioner: a person named by the records (author, prescriber); no record of its own"],
  ["PractitionerRole", "PractitionerRole: a role named by the records; no record of its own"],
  ["Organization", "Organization: a facility (紹介元/紹介先, the sender); no record of its own"],
  ["Encounter", "Encounter: visits are not records in Tsunagu (in a document, its 紹介目的 is in the section text)"],
  ["DocumentReference", "DocumentReference: attachments are not imported (in a document, the section that lists it is in the text)"],
  ["Binary", "Binary: attachments are not imported"],
  ["Bundle", "Bundle: a nested Bundle (添付) is not imported"],
  ["Composition", "Composition: only the first entry of a document Bundle is read as the document"],
]);

/** The record kinds that must say whom they are about. */
export const CLINICAL = new Set(["Condition", "AllergyIntolerance", "Observation", "MedicationRequest", "MedicationDispense"]);

/** The element that names the patient: AllergyIntolerance.patient, else subject. */
export const subjectField = (type: string) => (type === "AllergyIntolerance" ? "patient" : "subject");

type Records = Pick<FhirDocument, "conditions" | "allergies" | "labs" | "medications" | "notImported">;

/** Read one resource into its record list, or list it in notImported with the reason. */
export function fileResource(res: Node, type: string, issues: Issues, resources: Resources, into: Records): void {
  const notImported = (reason: string): void => void into.notImported.push({ at: res.at, reason });
  if (CLINICAL.has(type) && enteredInError(res, issues)) return notImported(`${type}: verificationStatus entered-in-error, void by the sender`);
  switch (type) {
    case "Condition": {
      const c = readCondition(res, issues);
      if (c) into.conditions.push(c);
      return;
    }
    case "AllergyIntolerance": {
      const a = readAllergy(res, issues);
      if (a) into.allergies.push(a);
      return;
    }
    case "Observation": {
      if (!isLabResult(res, issues)) return notImported("Observation: not a lab result (category is not laboratory); only lab results are records");
      const l = readLab(res, issues);
      if (l) into.labs.push(l);
      return;
    }
    case "MedicationRequest":
    case "MedicationDispense": {
      const m = readMedication(res, issues, resources);
      if (m) into.medications.push(m);
      return;
    }
    default:
      return notImported(NO_RECORD.get(type) ?? `${type}: no record kind in Tsunagu`);
  }
}
