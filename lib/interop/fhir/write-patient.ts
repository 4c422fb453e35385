import { INSURED_SYSTEM } from "./patient";
import { compact, resourceBase, type Resource } from "./write-common";
import { writeTelecomAndContacts } from "./write-contacts";
import type { Hl7Contact } from "../ssmix2/contacts";

/** The patient as the 統合ビュー's header shows them, with the facility codes of the ids it shows. */
export interface PatientRow {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  sex: "MALE" | "FEMALE" | "OTHER" | "UNKNOWN";
  /** calendar date, YYYY-MM-DD */
  birthDate: string;
  insurerNumber: string | null;
  insuredSymbol: string | null;
  insuredNumber: string | null;
  insuredBranch: string | null;
  /** the facility local ids the viewer may see, each with its facility's 10-digit 医療機関コード */
  localIds: { facilityCode: string; localPatientId: string }[];
  /** the telephones and contacts the facilities registered, only those the reader may see (lib/access contactKinds) */
  contacts?: readonly Hl7Contact[];
}

/** JP Core's patient id system: urn:oid:1.2.392.100495.20.3.51 . 1 + the 医療機関コード (patient.ts reads it back). */
const localIdSystem = (facilityCode: string) => `urn:oid:1.2.392.100495.20.3.51.1${facilityCode}`;
const REPRESENTATION = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";
const GENDER = { MALE: "male", FEMALE: "female", OTHER: "other", UNKNOWN: "unknown" } as const;

function name(representation: "IDE" | "SYL", family: string, given: string) {
  return { extension: [{ url: REPRESENTATION, valueCode: representation }], use: "official", text: `${family} ${given}`, family, given: [given] };
}

/** JP_Patient: local ids, the 被保険者個人識別子 (保険者番号:記号:番号:枝番), kanji and kana names, sex, birth date, telephones and contacts. */
export function writePatient(p: PatientRow): Resource {
  const { telecom, contact } = writeTelecomAndContacts(p.contacts ?? []);
  const insured = p.insurerNumber && p.insuredNumber ? `${p.insurerNumber}:${p.insuredSymbol ?? ""}:${p.insuredNumber}:${p.insuredBranch ?? ""}` : null;
  return compact({
    ...resourceBase("Patient", p.id, "JP_Patient", {}, `${p.familyName} ${p.givenName}（${p.familyNameKana} ${p.givenNameKana}） ${p.birthDate}`),
    identifier: [
      ...p.localIds.map((l) => ({ system: localIdSystem(l.facilityCode), value: l.localPatientId })),
      ...(insured ? [{ system: INSURED_SYSTEM, value: insured }] : []),
    ],
    name: [name("IDE", p.familyName, p.givenName), name("SYL", p.familyNameKana, p.givenNameKana)],
    telecom,
    gender: GENDER[p.sex],
    birthDate: p.birthDate,
    contact,
  });
}
