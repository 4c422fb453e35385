import { CODE_SYSTEM } from "../../terminology/code-systems";
import type { FhirMedication } from "./types";
import { coding, compact, institutionExtension, jstDateTime, referenceTo, resourceBase, RESOURCE_INSTANCE_ID, type Resource, type RowMeta } from "./write-common";

/** A prescription (処方) or a dispense (調剤), with its drugs. */
export interface PrescriptionRow extends RowMeta {
  id: string;
  patientId: string;
  kind: "PRESCRIPTION" | "DISPENSE";
  occurredAt: Date;
  status: "ACTIVE" | "STOPPED" | "COMPLETED";
  prescriberName: string | null;
  department: string | null;
  items: PrescriptionItemRow[];
}

/** A drug of a prescription as stored: the fields the reader (medication.ts) gives back, with its own id and Rp. */
export interface PrescriptionItemRow extends Pick<FhirMedication, "codeSystem" | "code" | "display" | "yjCode" | "hotCode" | "dose" | "doseUnit" | "usageCode" | "usageText" | "days" | "asNeeded"> {
  id: string;
  rp: number;
  /**
   * For a drug taken on a cycle (週1回…), the calendar days its `days` dosing days cover (lib/record
   * medication cycleDaysCovered); null or absent for a daily drug. A 頓用 drug's `days` are doses.
   */
  cycleDays?: number | null;
}

const RP_SYSTEM = "http://jpfhir.jp/fhir/core/mhlw/IdSystem/Medication-RPGroupNumber";
const DEPARTMENT = "http://jpfhir.jp/fhir/eCS/Extension/StructureDefinition/JP_eCS_Department";
const STATUS = { ACTIVE: "active", STOPPED: "stopped", COMPLETED: "completed" } as const;
const HOT_BY_LENGTH: Record<number, string> = { 7: CODE_SYSTEM.HOT7, 9: CODE_SYSTEM.HOT9, 13: CODE_SYSTEM.HOT13 };
/** days as FHIR writes a Duration, in UCUM (medication.ts reads "d" back as days) */
const inDays = (n: number) => ({ value: n, unit: "日", system: "http://unitsofmeasure.org", code: "d" });
/** JP Core: a 頓用 order's number of doses (頓用回数), on dispenseRequest */
export const EXPECTED_REPEAT_COUNT = "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_MedicationRequest_DispenseRequest_ExpectedRepeatCount";
/** JP Core: the days a drug is actually taken, where they differ from the days its supply spans (隔日, 週1回), on a dosage */
export const USAGE_DURATION = "http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_MedicationDosage_UsageDuration";

/**
 * What the stored count means in FHIR, as the pages say it (lib/format/medication): a daily drug's
 * days are its supply's span; a drug on a cycle spans `cycleDays` with `days` dosing days (JP Core's
 * UsageDuration on the dosage); a 頓用 drug's count is doses (頓用回数), no span at all.
 */
function supply(i: PrescriptionItemRow): { span: number | null; dosingDays: number | null; doses: number | null; text: string | null } {
  if (i.days === null) return { span: null, dosingDays: null, doses: null, text: null };
  if (i.asNeeded) return { span: null, dosingDays: null, doses: i.days, text: `${i.days}回分` };
  if (i.cycleDays) return { span: i.cycleDays, dosingDays: i.days, doses: null, text: `${i.days}回分（${i.cycleDays}日間）` };
  return { span: i.days, dosingDays: null, doses: null, text: `${i.days}日分` };
}

/** JP-CLINS's "no standard code" (R3010: a drug names a YJ code, a 一般名 code, or this one). */
const NO_STANDARD_CODE = { system: "http://jpfhir.jp/fhir/eCS/CodeSystem/MedicationCodeNocoded_CS", code: "NOCODED", display: "標準コードなし" };

/**
 * The drug as stored, then its HOT and YJ codes where the stored coding is not already that code; a
 * drug with neither a YJ nor a 一般名 code says it has no standard code (the HOT code stays beside it).
 */
function drug(i: PrescriptionItemRow) {
  const hot = i.hotCode ? HOT_BY_LENGTH[i.hotCode.length] : undefined;
  const codings = [
    coding(i.codeSystem, i.code, i.display),
    ...(hot && !(i.codeSystem === hot && i.code === i.hotCode) ? [coding(hot, i.hotCode, i.display)] : []),
    ...(i.yjCode && !(i.codeSystem === CODE_SYSTEM.YJ && i.code === i.yjCode) ? [coding(CODE_SYSTEM.YJ, i.yjCode, i.display)] : []),
  ];
  const standard = codings.some((c) => c.system === CODE_SYSTEM.YJ || c.system === CODE_SYSTEM.GENERAL_NAME);
  return { coding: standard ? codings : [...codings, NO_STANDARD_CODE], text: i.display };
}

/** JP-CLINS's code for a 用法 written only as text (R5020: a dosage names the MHLW code or this one). */
const UNCODED_USAGE = { system: "http://jpfhir.jp/fhir/clins/CodeSystem/JP_CLINS_MedicationUsage_Uncoded_CS", code: "0X0XXXXXXXXX0000" };

/**
 * 用法, 1回量, 頓用: one dosage, as the row holds one dose for every time of day. The 16-digit 用法 code
 * is the same in the JAMI and the 電子処方箋 masters (the row keeps the code, not the publisher); it is
 * written under the 電子処方箋 system, as JP-CLINS requires (R5020).
 */
function dosage(i: PrescriptionItemRow) {
  const usage = i.usageCode || i.usageText ? compact({ coding: [i.usageCode ? coding(CODE_SYSTEM.EPRESCRIPTION_USAGE, i.usageCode) : UNCODED_USAGE], text: i.usageText }) : null;
  const { dosingDays } = supply(i);
  const d = compact({
    extension: dosingDays !== null ? [{ url: USAGE_DURATION, valueDuration: inDays(dosingDays) }] : null,
    timing: usage ? { code: usage } : null,
    asNeededBoolean: i.asNeeded || null,
    doseAndRate: i.dose !== null ? [{ doseQuantity: compact({ value: i.dose, unit: i.doseUnit }) }] : null,
  });
  // an empty dosage is no element at all (ele-1)
  return Object.keys(d).length ? [d] : null;
}

const summary = (i: PrescriptionItemRow) => [i.display, i.dose !== null ? `${i.dose}${i.doseUnit ?? ""}` : null, i.usageText, supply(i).text].filter(Boolean).join(" ");

/** A MedicationRequest's dispenseRequest: the span of its supply, or a 頓用 order's number of doses. */
function dispenseRequest(i: PrescriptionItemRow) {
  const { span, doses } = supply(i);
  if (doses !== null) return { extension: [{ url: EXPECTED_REPEAT_COUNT, valueInteger: doses }] };
  return span !== null ? { expectedSupplyDuration: inDays(span) } : null;
}

/** The record's common parts: its ids (the item's own, and the Rp number it belongs to). */
function identifiers(i: PrescriptionItemRow) {
  return [{ system: RESOURCE_INSTANCE_ID, value: i.id }, { system: RP_SYSTEM, value: String(i.rp) }];
}

/** The facility that recorded it (医療機関番号) and the department (診療科), where the row names one. */
const extensions = (rx: PrescriptionRow) => [...institutionExtension(rx.facilityCode), ...(rx.department ? [{ url: DEPARTMENT, valueCodeableConcept: { text: rx.department } }] : [])];

/** JP_MedicationRequest: one per drug of a prescription, with its Rp number, 用法, 1回量 and days. */
export function writeMedicationRequest(rx: PrescriptionRow, i: PrescriptionItemRow): Resource {
  return compact({
    ...resourceBase("MedicationRequest", i.id, "JP_MedicationRequest", rx, summary(i)),
    extension: extensions(rx),
    identifier: identifiers(i),
    status: STATUS[rx.status],
    intent: "order",
    medicationCodeableConcept: drug(i),
    subject: referenceTo("Patient", rx.patientId),
    authoredOn: jstDateTime(rx.occurredAt),
    requester: rx.prescriberName ? { display: rx.prescriberName } : null,
    dosageInstruction: dosage(i),
    dispenseRequest: dispenseRequest(i),
  });
}

/** JP_MedicationDispense: one per drug a pharmacy dispensed, handed over at the row's time. */
export function writeMedicationDispense(rx: PrescriptionRow, i: PrescriptionItemRow): Resource {
  const { span, doses } = supply(i);
  return compact({
    ...resourceBase("MedicationDispense", i.id, "JP_MedicationDispense", rx, summary(i)),
    extension: extensions(rx),
    identifier: identifiers(i),
    // the pharmacist who handed it over, as the row names them
    performer: rx.prescriberName ? [{ actor: { display: rx.prescriberName } }] : null,
    status: "completed",
    medicationCodeableConcept: drug(i),
    subject: referenceTo("Patient", rx.patientId),
    // a 頓用 dispense's doses are its quantity in 回 (no span); another's span is its days' supply
    quantity: doses !== null ? { value: doses, unit: "回" } : null,
    daysSupply: span !== null ? inDays(span) : null,
    whenHandedOver: jstDateTime(rx.occurredAt),
    dosageInstruction: dosage(i),
  });
}

/** A prescription row as its resources: a MedicationRequest per drug, or a MedicationDispense per drug. */
export function writePrescription(rx: PrescriptionRow): Resource[] {
  return rx.items.map((i) => (rx.kind === "DISPENSE" ? writeMedicationDispense(rx, i) : writeMedicationRequest(rx, i)));
}
