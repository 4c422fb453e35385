import { CODE_SYSTEM } from "../../terminology/code-systems";
import { readInstant } from "./dates";
import { codingIn, type Concept, extensionsWhere, readConcept, readDepartment, readIdentifiers, readNames, recordBase } from "./elements";
import { field, type Issues, type Node, resourceType } from "./json";
import type { Resources } from "./references";
import type { FhirMedication } from "./types";

const RP_SYSTEMS = new Set(["http://jpfhir.jp/fhir/core/mhlw/IdSystem/Medication-RPGroupNumber", "urn:oid:1.2.392.100495.20.3.81"]);
/** UCUM codes, and the units Japanese prescriptions print when a sender gives no code (14 日分) */
const DAYS_PER: ReadonlyMap<string, number> = new Map([["d", 1], ["日", 1], ["日分", 1], ["day", 1], ["days", 1], ["wk", 7], ["週", 7], ["週分", 7]]);

/** A Duration in days (expectedSupplyDuration, boundsDuration), or null; another unit is reported. */
function days(n: Node, issues: Issues): number | null {
  if (!issues.object(n)) return null;
  const value = issues.number(field(n, "value"));
  const unit = issues.string(field(n, "code")) ?? issues.string(field(n, "unit"));
  if (value === null) return null;
  const per = unit === null ? undefined : DAYS_PER.get(unit);
  if (per === undefined) {
    issues.warn("not-supported", n.at, `${n.at} の単位「${unit}」は日数に換算できません。`, `${n.at}: unit "${unit}" cannot be read as days.`);
    return null;
  }
  return value * per;
}

/** The drug: medicationCodeableConcept, or the Medication a medicationReference points at. */
function drugConcept(res: Node, issues: Issues, resources: Resources): { at: string; concept: Concept } {
  const cc = field(res, "medicationCodeableConcept");
  if (cc.v !== undefined) return { at: cc.at, concept: readConcept(cc, issues) };
  const med = resources.follow(field(res, "medicationReference"), res, issues);
  return med ? { at: `${med.at}.code`, concept: readConcept(field(med, "code"), issues) } : { at: cc.at, concept: { text: null, codings: [] } };
}

interface Dose {
  dose: number | null;
  unit: string | null;
  /** doseRange ("1-2錠", as needed within bounds): no one dose, kept as text */
  range: string | null;
  /** rateRatio: the amount per day, when its denominator is one day */
  perDay: number | null;
}

function readDoses(dosage: Node, issues: Issues): Dose[] {
  return issues.objects(field(dosage, "doseAndRate")).map((dr) => {
    const q = issues.object(field(dr, "doseQuantity"));
    const range = issues.object(field(dr, "doseRange"));
    const bound = (side: "low" | "high") => (range ? issues.number(field(field(range, side), "value")) : null);
    const rangeUnit = range ? (issues.string(field(field(range, "high"), "unit")) ?? issues.string(field(field(range, "low"), "unit")) ?? "") : "";
    const ratio = issues.object(field(dr, "rateRatio"));
    const den = ratio ? field(ratio, "denominator") : null;
    const denUnit = den ? (issues.string(field(den, "code")) ?? issues.string(field(den, "unit"))) : null;
    const oneDay = den !== null && issues.number(field(den, "value")) === 1 && denUnit !== null && DAYS_PER.get(denUnit) === 1;
    return {
      dose: q ? issues.number(field(q, "value")) : null,
      unit: q ? (issues.string(field(q, "unit")) ?? issues.string(field(q, "code"))) : null,
      perDay: ratio && oneDay ? issues.number(field(field(ratio, "numerator"), "value")) : null,
      range: range && (bound("low") !== null || bound("high") !== null) ? `${bound("low") ?? ""}-${bound("high") ?? ""}${rangeUnit}` : null,
    };
  });
}

/**
 * The count the record keeps as `days`, as JP Core states it: a 頓用 drug's doses (頓用回数, the
 * dispenseRequest's ExpectedRepeatCount; a dispense's quantity in 回); a drug taken on some days only
 * (隔日, 週1回) its dosing days (the dosage's UsageDuration), where the supply's span is longer; else
 * the supply's days (daysSupply, expectedSupplyDuration, the timing's boundsDuration).
 */
function storedCount(res: Node, o: { dispensed: boolean; dispense: Node | null; first: Node | undefined; repeat: Node | null; asNeeded: boolean }, issues: Issues): number | null {
  if (o.asNeeded) {
    const count = o.dispense ? extensionsWhere(o.dispense, issues, (u) => u.endsWith("/JP_MedicationRequest_DispenseRequest_ExpectedRepeatCount"))[0] : undefined;
    const doses = count ? issues.number(field(count, "valueInteger")) : null;
    if (doses !== null) return doses;
    const quantity = o.dispensed ? issues.object(field(res, "quantity")) : null;
    if (quantity && issues.string(field(quantity, "unit")) === "回") {
      const n = issues.number(field(quantity, "value"));
      if (n !== null) return n;
    }
  }
  const usageDuration = o.first ? extensionsWhere(o.first, issues, (u) => u.endsWith("/JP_MedicationDosage_UsageDuration"))[0] : undefined;
  const dosingDays = usageDuration ? days(field(usageDuration, "valueDuration"), issues) : null;
  if (dosingDays !== null) return dosingDays;
  return (o.dispensed ? days(field(res, "daysSupply"), issues) : o.dispense ? days(field(o.dispense, "expectedSupplyDuration"), issues) : null) ?? (o.repeat ? days(field(o.repeat, "boundsDuration"), issues) : null);
}

/**
 * A MedicationRequest (JP_MedicationRequest_eCS), or a MedicationDispense (JP_MedicationDispense: the
 * drug a pharmacy handed over, whenHandedOver, daysSupply, the pharmacist as performer); null, with an
 * error, when it names no drug.
 * A dose is kept only when the file states one dose for every time of the day: several dosage
 * instructions or doseAndRate with different amounts, or an amount per day that is not dose × times,
 * mean an uneven dose, and then dose is null and usageText is what the prescriber wrote.
 */
export function readMedication(res: Node, issues: Issues, resources: Resources): FhirMedication | null {
  // the record's common parts first, so a refused file reports their faults too
  const base = recordBase(res, issues);
  const drug = drugConcept(res, issues, resources);
  const hot = codingIn(drug.concept, CODE_SYSTEM.HOT9, CODE_SYSTEM.HOT13, CODE_SYSTEM.HOT7);
  const yj = codingIn(drug.concept, CODE_SYSTEM.YJ);
  const coded = hot ?? yj ?? codingIn(drug.concept, CODE_SYSTEM.GENERAL_NAME) ?? drug.concept.codings.find((c) => c.code) ?? null;
  const display = drug.concept.text ?? coded?.display ?? null;
  if (display === null && !coded) {
    issues.error("required", drug.at, `${drug.at}: 処方薬のコードも名称もありません。`, `${drug.at}: the prescription names no drug (no coding, no text).`);
    return null;
  }
  if (!coded) issues.warn("value", drug.at, `${drug.at}: 処方薬がコード化されていません（名称のみ）。`, `${drug.at}: the drug is named only as text, without a coding.`);

  const dosages = issues.objects(field(res, "dosageInstruction"));
  const first = dosages[0];
  const timing = first ? issues.object(field(first, "timing")) : null;
  const usage = timing ? readConcept(field(timing, "code"), issues) : { text: null, codings: [] };
  const usageCoding = codingIn(usage, CODE_SYSTEM.JAMI_USAGE, CODE_SYSTEM.EPRESCRIPTION_USAGE);
  const repeat = timing ? issues.object(field(timing, "repeat")) : null;
  const period = repeat ? (issues.number(field(repeat, "period")) ?? 1) : null;
  const frequency = repeat && period === 1 && (issues.string(field(repeat, "periodUnit")) ?? "d") === "d" ? issues.number(field(repeat, "frequency")) : null;

  const doses = dosages.flatMap((d) => readDoses(d, issues));
  const stated = doses.filter((d) => d.dose !== null);
  const one = stated[0];
  // several dosage instructions are several times of day, each with its own timing: no one count
  const several = dosages.length > 1;
  const timesPerDay = several ? null : (frequency ?? (one?.dose && one.perDay && Number.isInteger(one.perDay / one.dose) ? one.perDay / one.dose : null));
  const uneven = stated.some((d) => d.dose !== one?.dose) || (one?.dose != null && one.perDay !== null && timesPerDay !== null && one.dose * timesPerDay !== one.perDay);
  const dose = uneven ? null : (one?.dose ?? null);
  const instructionText = dosages.flatMap((d) => issues.string(field(d, "text")) ?? []).join(" / ") || null;
  const written = dose === null || several ? (instructionText ?? usage.text ?? usageCoding?.display ?? null) : (usage.text ?? usageCoding?.display ?? instructionText);
  // a dose given only as a range is said beside the 用法, unless the prescriber's text already says it
  const ranges = doses.flatMap((d) => d.range ?? []).filter((r) => !instructionText?.includes(r));
  const usageText = [written, ...ranges].filter(Boolean).join(" ") || null;

  const dispensed = resourceType(res) === "MedicationDispense";
  // who prescribed it, or (a dispense) who handed it over
  const performer = dispensed ? issues.objects(field(res, "performer"))[0] : undefined;
  const requester = performer ? field(performer, "actor") : field(res, dispensed ? "performer" : "requester");
  const practitioner = resources.follow(requester, res, issues);
  const prescriberName = (practitioner ? readNames(field(practitioner, "name"), issues).kanji?.full : null) ?? (issues.object(requester) ? issues.string(field(requester, "display")) : null);
  const rpValue = readIdentifiers(field(res, "identifier"), issues).find((i) => i.system !== null && RP_SYSTEMS.has(i.system))?.value.normalize("NFKC");
  const dispense = issues.object(field(res, "dispenseRequest"));
  const asNeeded = first ? issues.boolean(field(first, "asNeededBoolean")) === true || issues.object(field(first, "asNeededCodeableConcept")) !== null : false;

  return {
    ...base,
    occurredAt: readInstant(field(res, dispensed ? "whenHandedOver" : "authoredOn"), issues),
    dispensed,
    prescriberName,
    department: readDepartment(res, issues),
    rp: rpValue && /^\d+$/.test(rpValue) ? Number(rpValue) : null,
    codeSystem: coded?.system ?? "",
    code: coded?.code ?? "",
    display: display ?? coded?.code ?? "",
    hotCode: hot?.code ?? null,
    yjCode: yj?.code ?? null,
    dose,
    doseUnit: one?.unit ?? null,
    usageCode: usageCoding?.code ?? null,
    usageText,
    days: storedCount(res, { dispensed, dispense, first, repeat, asNeeded }, issues),
    asNeeded,
    timesPerDay,
  };
}
