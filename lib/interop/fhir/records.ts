import { readAllergy } from "./allergy";
import { readCondition } from "./condition";
import { enteredInError } from "./elements";
import type { Issues, Node } from "./json";
import { isLabResult, readLab } from "./lab";
import { readMedication } from "./medication";
import { readEncounter } from "./encounter";
import { readDocumentReference } from "./document-reference";
import type { Resources } from "./references";
import type { FhirDocument } from "./types";

/** Why a resource with no record kind of its own is not filed (it is listed, never silently dropped). */
const NO_RECORD: ReadonlyMap<string, string> = new Map([
  ["Practitioner", "Practitioner: a person named by the records (author, prescriber); no record of its own"],
  ["PractitionerRole", "PractitionerRole: a role named by the records; no record of its own"],
  ["Organization", "Organization: a facility (紹介元/紹介先, the sender); no record of its own"],
  ["Encounter", "Encounter: visits are filed from transaction Bundles only (in a document, its 紹介目的 is in the section text)"],
  ["DocumentReference", "DocumentReference: filed from transaction Bundles only (in a document, the section that lists it is in the text)"],
  ["Binary", "Binary: attachments are not imported"],
  ["Bundle", "Bundle: a nested Bundle (添付) is not imported"],
  ["Composition", "Composition: only the first entry of a document Bundle is read as the document"],
]);

/** The record kinds that must say whom they are about. */
export const CLINICAL = new Set(["Condition", "AllergyIntolerance", "Observation", "MedicationRequest", "MedicationDispense"]);

/** The element that names the patient: AllergyIntolerance.patient, else subject. */
export const subjectField = (type: string) => (type === "AllergyIntolerance" ? "patient" : "subject");

type Records = Pick<FhirDocument, "shape" | "conditions" | "allergies" | "labs" | "medications" | "encounters" | "letters" | "notImported">;

/** Read one resource into its record list, or list it in notImported with the reason. */
export function fileResource(res: Node, type: string, issues: Issues, resources: Resources, into: Records): void {
  const notImported = (reason: string): void => void into.notImported.push({ at: res.at, reason });
  const fileOrSay = <T>(record: T | null, list: T[], why: string): void => (record ? void list.push(record) : notImported(why));
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
    // a transaction Bundle (another server's records, or Tsunagu's own export) carries visits and
    // letters as records; in a document they are the letter's context, its text already says them
    case "Encounter":
    case "DocumentReference": {
      if (into.shape !== "transaction") return notImported(NO_RECORD.get(type)!);
      if (type === "Encounter") return fileOrSay(readEncounter(res, issues), into.encounters, "Encounter: a class Tsunagu has no visit kind for");
      return fileOrSay(readDocumentReference(res, issues), into.letters, "DocumentReference: no text (text/plain) attachment to file");
    }
    default:
      return notImported(NO_RECORD.get(type) ?? `${type}: no record kind in Tsunagu`);
  }
}
