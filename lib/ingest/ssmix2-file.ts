import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { Transactor } from "./batches";
import { sensitivityOf } from "../access/sensitivity";
import type { Sensitivity } from "../access/decide";
import { decodeHl7Bytes } from "../interop/hl7v2/decode";
import { parseHl7, valueAt, type Hl7Message } from "../interop/hl7v2/message";
import { parseStoragePath, type StorageKey } from "../interop/ssmix2/storage";
import { readInsurerNumber, readPid } from "../interop/ssmix2/patient";
import { addPrescription, recordId as ssRecordId, removeRecords, type Recs } from "./records";
import type { RecordRows } from "./record-rows";
import { fileOutcome, fileStorageDocument, storageFallbackTime, type FileOutcome } from "./storage-document";
import { importCdaFile, MAIN_DOCUMENT_CDA } from "./cda-file";
import type { IngestSource } from "./source";
import { readLabResults } from "../interop/ssmix2/labs";
import { readPrescriptionItems } from "../interop/ssmix2/prescriptions";
import { readAllergies, readProblems } from "../interop/ssmix2/problems";
import { readContacts } from "../interop/ssmix2/contacts";
import { readVisit, type Hl7Visit } from "../interop/ssmix2/visits";
import { readAdministrations } from "../interop/ssmix2/administrations";
import { examBody, examTitle, readExam } from "../interop/ssmix2/exams";
import type { DocumentKind } from "../db/generated/enums";
import { hl7Time } from "../interop/hl7v2/datetime";
import { CODE_SYSTEM } from "../terminology/code-systems";
import { DRUG_BY_HOT9 } from "../terminology/drugs";

export type { IngestSource } from "./source";

export type { FileOutcome, FileStatus } from "./storage-document";

/** The extended storage's vital signs (NHO's ORU^R30 in main_document.hl7): JLAC10 results, filed as lab results. */
const VITAL_SIGNS = "L-OBSERVATIONS^OBSERVATIONS^99ZL01";
/** What Windows and macOS leave in the folders of a storage on a file server: counted, never read as a message. */
const OS_FILE = /^(thumbs\.db|desktop\.ini|\.ds_store|\._.*)$/i;
/** The extended storage's 主文書ファイル when it is HL7 (a CDA one is lib/ingest/cda-file's). */
const MAIN_DOCUMENT_HL7 = "main_document.hl7";
/** The kinds this importer files into the record; every other kind is counted as not imported. */
const KINDS_IMPORTED = new Set([VITAL_SIGNS, "ADT-00", "ADT-12", "ADT-22", "ADT-52", "ADT-61", "PPR-01", "OML-11", "OMP-01", "OMP-02", "OMP-11", "OMP-12", "OMG-11", "OMG-12", "OMG-13"]);
/** Kinds deliberately not filed, with why (any other kind is counted as `kind X`). */
const NOT_FILED: Readonly<Record<string, string>> = {
  "OML-01": "a lab order, not a result",
  "OMG-01": "a radiology order, not what was performed (OMG-11)",
  "OMG-02": "an endoscopy order, not what was performed (OMG-12)",
  "OMG-03": "a physiology test order, not its result (OMG-13)",
  "OMD": "a diet order; the record has no place for diets",
  "ADT-01": "a change of attending doctor; the record keeps no care team",
  "ADT-21": "a planned admission, not one that happened",
  "ADT-41": "a planned transfer, not one that happened",
  "ADT-51": "a planned discharge, not one that happened",
  "ADT-42": "a transfer within a stay; the record keeps no ward or department history",
  "ADT-31": "a leave (外出・外泊) within a stay; the record keeps no ward or department history",
  "ADT-32": "a return from leave (外出・外泊) within a stay; the record keeps no ward or department history",
};
/** The HL7 message each filed kind must hold (MSH-9), a cancel included: anything else is rejected. */
const MESSAGE_OF: Readonly<Record<string, readonly string[]>> = {
  "ADT-22": ["ADT^A01", "ADT^A11"],
  "ADT-12": ["ADT^A04"],
  "ADT-52": ["ADT^A03", "ADT^A13"],
  "OMP-11": ["RAS^O17"],
  "OMP-12": ["RAS^O17"],
  "OMG-11": ["OMI^Z23"],
  "OMG-12": ["OMI^Z23"],
  "OMG-13": ["ORU^R01"],
  [VITAL_SIGNS]: ["ORU^R30"],
};
/**
 * The examinations filed as documents, each under its own kind: a 実施通知 (OMG-11/12) says what was
 * performed, with whom and which images — not the 読影 or endoscopy report, which SS-MIX2 keeps in the
 * extended storage — so it is not passed off as one; OMG-13 carries the physiology test's findings.
 */
const EXAM_DOCUMENT: Readonly<Record<string, DocumentKind>> = { "OMG-11": "RADIOLOGY_EXAM", "OMG-12": "ENDOSCOPY_EXAM", "OMG-13": "PHYSIOLOGY_REPORT" };
/** A dispense fills the order of its own family: 処方実施 an 処方オーダ, 注射実施 an 注射オーダ. */
const FILLS_KIND: Readonly<Record<string, string>> = { "OMP-11": "OMP-01", "OMP-12": "OMP-02" };
const DISPENSE_OF: Readonly<Record<string, string>> = { "OMP-01": "OMP-11", "OMP-02": "OMP-12" };

const recordId = (facilityId: string, sourceKey: string, n: string) => ssRecordId("ss2", facilityId, sourceKey, n);

/**
 * One SS-MIX2 file, in one transaction: it lands whole or not at all, with its audit event.
 * Nothing is ever filed under a patient the file does not name exactly: the storage folder, the file
 * name and PID-3 must agree, and the patient must already be linked to this facility by that id
 * (PatientLink). An unlinked patient's file is held, not guessed; a birth date or sex that disagrees
 * with the linked patient is imported with a data-quality warning.
 */
export async function importSsmix2File(db: Transactor, source: IngestSource, relative: string, bytes: Uint8Array): Promise<FileOutcome> {
  const out = (status: FileOutcome["status"], reason?: string) => fileOutcome(relative, status, reason);
  if (OS_FILE.test(relative.split(/[\\/]/).pop() ?? "")) return out("not_imported", "a file the operating system keeps in folders (Thumbs.db, desktop.ini, .DS_Store), not a record");
  const placed = parseStoragePath(relative);
  if (!placed.ok) return out("rejected", `${placed.reason}: ${placed.detail}`);
  const key = placed.key;
  if (key.contentFile?.toLowerCase() === MAIN_DOCUMENT_CDA) return importCdaFile(db, source, relative, key, bytes);
  if (key.contentFile && key.contentFile !== MAIN_DOCUMENT_HL7) return out("not_imported", "extended storage: a file that goes with its content folder's main document (image, style sheet…), not a record");
  const decoded = decodeHl7Bytes(bytes);
  if (!decoded.ok) return out("rejected", `${decoded.reason} at byte ${decoded.offset}`);
  const parsed = parseHl7(decoded.text);
  if (!parsed.ok) return out("rejected", parsed.reason);
  const m = parsed.message;
  const pid = readPid(m);
  if (!pid) return out("rejected", "NO_PID: the message names no patient (PID-3)");
  if (pid.localId !== key.patientId) return out("rejected", `PID_MISMATCH: PID-3 says ${pid.localId}, the storage folder is patient ${key.patientId}`);
  if (!KINDS_IMPORTED.has(key.kind)) return out("not_imported", NOT_FILED[key.kind] ? `kind ${key.kind}: ${NOT_FILED[key.kind]}` : `kind ${key.kind}`);
  const expected = MESSAGE_OF[key.kind];
  const type = messageType(m);
  if (expected && !expected.includes(type)) return out("rejected", `MESSAGE_TYPE: a ${key.kind} file holds ${type}, not ${expected.join(" or ")}`);
  if (key.flag === 2) return out("superseded", "condition flag 2: superseded by a newer file");

  const insurer = readInsurerNumber(m);
  const insured = insurer ? { insurerNumber: insurer, symbol: null, number: null, branch: null } : null;
  return fileStorageDocument(db, source, relative, key, { identity: { ...pid, insured, fields: { birth: "PID-7", sex: "PID-8" }, master: key.kind === "ADT-00" }, format: "SS-MIX2" }, async (tx, f) => {
    const c: WriteContext = { patientId: f.patientId, facilityId: source.facilityId, careCategory: source.careCategory, sourceKey: f.sourceKey, relative, key, m, warnings: f.warnings, rows: f.rows };
    const visit = key.kind.startsWith("ADT-") ? readVisit(m) : null;
    if (visit?.cancels) return { records: [], cancelled: f.previous.length ? (f.existing?.sourceFile ?? null) : await cancelEarlier(tx, c, visit) };
    return { records: await writeRecords(tx, c, visit) };
  });
}

/** MSH-9.1^MSH-9.2, e.g. ADT^A08 (parseHl7 guarantees the MSH). */
function messageType(m: Hl7Message): string {
  const msh = m.segments.find((s) => s.name === "MSH")!;
  return `${valueAt(m, msh, 9, 1)}^${valueAt(m, msh, 9, 2)}`;
}

/** PRB-14 転帰 as SS-MIX2 systems write them, in the record's own outcome codes. */
const OUTCOME: Record<string, string> = { 治癒: "CURED", 死亡: "DIED", 中止: "STOPPED", 転医: "TRANSFERRED" };
/** IAM-2 (HL7 0127): drug, food, environment; pollen, animal and plant allergens are environmental. */
const ALLERGY_KIND: Record<string, "DRUG" | "FOOD" | "ENVIRONMENT"> = { DA: "DRUG", FA: "FOOD", EA: "ENVIRONMENT", LA: "ENVIRONMENT", AA: "ENVIRONMENT", PA: "ENVIRONMENT" };

/**
 * What kind of allergy a line is. A drug code (HOT, YJ) is a drug whatever IAM-2 says; else IAM-2's
 * kind; else — MA/MC (miscellaneous allergy or contraindication: 禁忌) or none — a drug, with a warning,
 * as the FHIR reader does: a drug allergy filed as anything else would escape the prescription checks,
 * the other way round only gives an extra alert.
 */
function allergyKind(c: WriteContext, a: { type: string; codeSystem: string; display: string; code: string }): "DRUG" | "FOOD" | "ENVIRONMENT" {
  if (DRUG_SYSTEM[a.codeSystem] || a.codeSystem.startsWith("HOT")) return "DRUG";
  const kind = ALLERGY_KIND[a.type];
  if (kind) return kind;
  c.warnings.push(`ALLERGY_KIND: ${a.display || a.code} has allergy type "${a.type}" (IAM-2 / AL1-2), not drug, food or environment; filed as a drug allergy`);
  return "DRUG";
}
/** IAM-4 (HL7 0128). */
const SEVERITY: Record<string, "SEVERE" | "MODERATE" | "MILD"> = { SV: "SEVERE", MO: "MODERATE", MI: "MILD" };

/** RXE-2 / RXC-2 / RXA-5 coding systems (JAHIS 処方データ交換規約) and the record's URIs for them. */
const DRUG_SYSTEM: Readonly<Record<string, string>> = { HOT9: CODE_SYSTEM.HOT9, HOT13: CODE_SYSTEM.HOT13, HOT7: CODE_SYSTEM.HOT7, YJ: CODE_SYSTEM.YJ };

/**
 * A drug line's code as the record keeps it: HOT and YJ in their canonical systems, the HOT code, and
 * the YJ code — sent as the code itself (YJ), or where the code table knows the HOT product: a HOT13's
 * first nine digits are its HOT9 (the YJ code carries the ingredient and class that the duplicate,
 * interaction and sensitivity rules read). The table is partial (no HOT master yet), so an unknown
 * product is filed by its HOT code alone and those rules do not see it. Any other system is kept as sent.
 */
function drugCode(x: { codeSystem: string; code: string; display: string | null }) {
  const hot = x.codeSystem.startsWith("HOT") ? x.code : null;
  return {
    codeSystem: x.code ? (DRUG_SYSTEM[x.codeSystem] ?? (x.codeSystem || "local")) : "",
    code: x.code,
    display: x.display || x.code,
    hotCode: hot,
    yjCode: x.codeSystem === "YJ" ? x.code : hot && hot.length >= 9 ? (DRUG_BY_HOT9.get(hot.slice(0, 9))?.yj ?? null) : null,
  };
}

/** How much of an onset YYYY / YYYYMM / YYYYMMDD gave (NONE: none, or not a date). */
const precisionOf = (v: string | null) => (!v || !partialDate(v) ? "NONE" : v.length === 4 ? "YEAR" : v.length === 6 ? "MONTH" : null);

/** An onset written as YYYY, YYYYMM or YYYYMMDD: the start of that period, in Japan. */
function partialDate(v: string | null): Date | null {
  if (!v || !/^\d{4}(\d{2}(\d{2})?)?$/.test(v)) return null;
  return hl7Time(v);
}

interface WriteContext {
  patientId: string;
  facilityId: string;
  careCategory: Sensitivity;
  sourceKey: string;
  relative: string;
  key: StorageKey;
  m: Hl7Message;
  /** the file's data-quality warnings, to add to */
  warnings: string[];
  /** the rows it files, written with its ledger entry (lib/ingest/record-rows) */
  rows: RecordRows;
}

/** The columns every record this file writes shares: whose, which, where from. */
const ownRow = (c: WriteContext, id: string) => ({ patientId: c.patientId, id, facilityId: c.facilityId, sourceRef: c.relative });

/** This patient's current documents at this facility of one kind (the ledger), other than this file's own. */
async function ledgerOf(tx: Tx, c: WriteContext, kind: string) {
  const docs = await tx.ingestDocument.findMany({
    where: { facilityId: c.facilityId, patientId: c.patientId, status: "CURRENT", sourceKey: { startsWith: `ss2|${c.key.patientId}|`, contains: `|${kind}|` }, NOT: { sourceKey: c.sourceKey } },
  });
  return docs.map((d) => ({ ...d, recs: d.records as Recs }));
}

/**
 * A cancel (ADT^A11 入院実施の取消, A13 退院実施の取消) filed as its own file: it removes what the
 * message it cancels made, found through the ledger of this patient at this facility — by the visit
 * number when the cancel gives one, else the admission of the same time (PV1-44), else the latest of
 * that kind. The cancelled document is kept as CANCELLED with no records, so that re-reading its file
 * changes nothing. Returns the cancelled file, or null (with a warning) when there was none.
 */
async function cancelEarlier(tx: Tx, c: WriteContext, v: Hl7Visit): Promise<string | null> {
  const docs = await ledgerOf(tx, c, c.key.kind);
  const table = c.key.kind === "ADT-22" ? "Encounter" : "EncounterEnd";
  const candidates = docs.filter((d) => d.recs.some((r) => r.table === table));
  let target = v.visitNumber ? candidates.find((d) => d.recs.some((r) => r.visit === v.visitNumber)) : undefined;
  if (!target && !v.visitNumber && candidates.length) {
    const stays = await tx.encounter.findMany({ where: { patientId: c.patientId, id: { in: candidates.flatMap((d) => d.recs.map((r) => r.id)) } } });
    const when = new Map(stays.map((e) => [e.id, table === "Encounter" ? e.occurredAt : e.endedAt]));
    const at = (d: (typeof candidates)[number]) => when.get(d.recs.find((r) => r.table === table)!.id)?.getTime() ?? 0;
    const same = table === "Encounter" && v.admittedAt ? candidates.find((d) => at(d) === v.admittedAt!.getTime()) : undefined;
    target = same ?? [...candidates].sort((a, b) => at(b) - at(a) || b.sourceTimestamp.localeCompare(a.sourceTimestamp))[0];
  }
  if (!target) {
    c.warnings.push(`CANCEL_UNKNOWN: ${v.messageType}^${v.trigger} cancels a ${c.key.kind} never imported${v.visitNumber ? ` (visit ${v.visitNumber})` : ""}`);
    return null;
  }
  await removeRecords(tx, c.patientId, target.recs);
  await tx.ingestDocument.update({ where: { facilityId_sourceKey: { facilityId: c.facilityId, sourceKey: target.sourceKey } }, data: { status: "CANCELLED", records: [] } });
  return target.sourceFile;
}

/** The file's records, with their sensitivity from every signal the file gives (department, facility). */
async function writeRecords(tx: Tx, c: WriteContext, visit: Hl7Visit | null): Promise<Recs> {
  // a record without its own time takes the file's 診療日, else the time the file was made
  const fallback = storageFallbackTime(c.key);
  const day = (iso: string | null) => (iso ? new Date(`${iso}T00:00:00+09:00`) : null);
  if (c.key.kind === "PPR-01") {
    const rows = named(c, readProblems(c.m).filter((p) => p.action !== "DE"), "a diagnosis (PRB-3)", (p) => p.fullName ?? p.display)
      .map((p, i) => ({
        patientId: c.patientId,
        id: recordId(c.facilityId, c.sourceKey, `dx${i + 1}`),
        facilityId: c.facilityId,
        occurredAt: day(p.onset) ?? fallback,
        // no onset: filed at the file's date, marked so that it is not read as one
        occurredPrecision: p.onset ? null : "NONE",
        endedAt: day(p.resolved),
        // MDCDX2 names MEDIS 病名管理番号 (8 digits), not the 交換用コード the seed uses: kept as sent
        codeSystem: p.code ? p.codeSystem || "local" : "",
        code: p.code,
        display: p.fullName ?? p.display ?? p.code,
        icd10: p.icd10,
        suspected: p.suspected,
        major: p.principal,
        // the known 転帰 as the record's codes; any other is kept as the sender wrote it
        outcome: p.outcome ? (OUTCOME[p.outcome] ?? p.outcome) : null,
        sensitivity: sensitivityOf({ icd10: p.icd10, facilityCategory: c.careCategory }),
        sourceRef: c.relative,
      }));
    c.rows.add("Condition", rows);
    return rows.map((r) => ({ table: "Condition" as const, id: r.id }));
  }
  if (c.key.kind === "ADT-61") return fileAllergies(c, fallback);
  if (c.key.kind === "OML-11" || c.key.kind === VITAL_SIGNS) return fileLabResults(c, fallback);
  // ADT-00: its AL1 allergies (a penicillin allergy must reach the banner), OBX height, weight and
  // blood type (JLAC10, as lab results), and how to reach the patient: telephones (PID-13/14), NK1
  // contacts and IN1 insurance. A newer ADT-00 replaces them whole, as the patient's current information.
  // ADT^A23 (患者基本情報の削除) files nothing: as a newer file of the same key, it removes what the last one filed.
  if (c.key.kind === "ADT-00") {
    if (messageType(c.m) === "ADT^A23") return [];
    return [...fileAllergies(c, fallback), ...fileLabResults(c, fallback), ...fileContacts(c)];
  }
  if (c.key.kind === "OMP-01" || c.key.kind === "OMP-02") {
    const items = named(c, readPrescriptionItems(c.m), "a drug (RXE-2 / RXC-2)", (i) => i.display);
    if (items.length === 0) return [];
    const first = items[0]!;
    const id = recordId(c.facilityId, c.sourceKey, "rx");
    addPrescription(
      c.rows,
      {
        patientId: c.patientId,
        id,
        facilityId: c.facilityId,
        kind: "PRESCRIPTION",
        occurredAt: first.orderedAt ?? fallback,
        prescriberName: first.prescriberName,
        department: first.department,
        sensitivity: sensitivityOf({ yjCodes: items.map((i) => drugCode(i).yjCode), department: first.department, facilityCategory: c.careCategory }),
        sourceRef: c.relative,
      },
      items.map((i) => ({
        id: `${id}-${String(i.position).padStart(2, "0")}`,
        rp: i.rp ?? 1,
        ...drugCode(i),
        dose: i.dose,
        doseUnit: i.doseUnit,
        usageCode: i.usageCode,
        usageText: i.usageText,
        days: i.days,
        // JAMI 用法コード: the first digit 1 is 内服 with a fixed schedule; 頓用 texts say so
        asNeeded: /頓用|頓服|必要時/.test(i.usageText ?? ""),
      })),
    );
    linkDispenses(c, id);
    return [{ table: "Prescription", id }];
  }
  if (c.key.kind === "ADT-22" && visit) {
    const id = recordId(c.facilityId, c.sourceKey, "enc");
    await tx.encounter.create({
      data: {
        patientId: c.patientId,
        id,
        facilityId: c.facilityId,
        class: "INPATIENT",
        occurredAt: visit.admittedAt ?? visit.eventAt ?? fallback,
        endedAt: visit.dischargedAt,
        // PV1-10 is a code of the sender's 診療科 table: kept as sent (no verified table to name it)
        department: visit.department,
        reason: visit.reason,
        sensitivity: sensitivityOf({ department: visit.department, facilityCategory: c.careCategory }),
        sourceRef: c.relative,
      },
    });
    // a resent admission keeps the discharge that already completed it
    const ended = await tx.ingestDocument.findFirst({ where: { facilityId: c.facilityId, patientId: c.patientId, status: "CURRENT", records: { array_contains: [{ table: "EncounterEnd", id }] } } });
    const at = (ended?.records as Recs | undefined)?.find((r) => r.table === "EncounterEnd" && r.id === id)?.at;
    if (at) await tx.encounter.update({ where: { patientId_id: { patientId: c.patientId, id } }, data: { endedAt: new Date(at) } });
    return [{ table: "Encounter", id, ...(visit.visitNumber ? { visit: visit.visitNumber } : {}) }];
  }
  if (c.key.kind === "ADT-12" && visit) {
    // 外来診察の受付 (ADT^A04): a visit, at its 来院日時 (PV1-44 carries the arrival for A04)
    const id = recordId(c.facilityId, c.sourceKey, "enc");
    // an outpatient's 診療科 is PV1-3 (<診療科コード>^^^^^C); PV1-10 only where the sender gives it
    const department = visit.department ?? visit.location;
    await tx.encounter.create({
      data: {
        ...ownRow(c, id),
        class: visit.patientClass === "E" ? "EMERGENCY" : "OUTPATIENT",
        occurredAt: visit.admittedAt ?? visit.eventAt ?? visit.recordedAt ?? fallback,
        department,
        reason: visit.reason,
        sensitivity: sensitivityOf({ department, facilityCategory: c.careCategory }),
      },
    });
    return [{ table: "Encounter", id, ...(visit.visitNumber ? { visit: visit.visitNumber } : {}) }];
  }
  if (c.key.kind === "ADT-52" && visit) {
    const at = visit.dischargedAt ?? visit.eventAt ?? fallback;
    // the stay its admission made: by the visit number when given, else this patient's latest open stay here
    let stayId: string | null = null;
    if (visit.visitNumber) {
      const adm = (await ledgerOf(tx, c, "ADT-22")).find((d) => d.recs.some((r) => r.table === "Encounter" && r.visit === visit.visitNumber));
      stayId = adm?.recs.find((r) => r.table === "Encounter")?.id ?? null;
    } else {
      const open = await tx.encounter.findFirst({ where: { patientId: c.patientId, facilityId: c.facilityId, class: "INPATIENT", endedAt: null, occurredAt: { lte: at } }, orderBy: { occurredAt: "desc" } });
      stayId = open?.id ?? null;
    }
    if (!stayId) {
      c.warnings.push(`DISCHARGE_UNMATCHED: no open admission of this patient here${visit.visitNumber ? ` with visit ${visit.visitNumber}` : ""} before ${at.toISOString()}; nothing filed`);
      return [];
    }
    await tx.encounter.update({ where: { patientId_id: { patientId: c.patientId, id: stayId } }, data: { endedAt: at } });
    return [{ table: "EncounterEnd", id: stayId, at: at.toISOString(), ...(visit.visitNumber ? { visit: visit.visitNumber } : {}) }];
  }
  if (c.key.kind === "OMP-11" || c.key.kind === "OMP-12") {
    // CP complete and PA partial were given; NA not given, RE refused and a deletion were not
    const given = named(c, readAdministrations(c.m), "a given drug (RXA-5)", (a) => a.display).filter((a) => a.action !== "D" && (a.completion === "" || a.completion === "CP" || a.completion === "PA"));
    if (given.length === 0) return [];
    const first = given[0]!;
    const id = recordId(c.facilityId, c.sourceKey, "dsp");
    const fillsOrder = first.orderNo ? `${FILLS_KIND[c.key.kind]}|${first.orderNo}` : undefined;
    addPrescription(
      c.rows,
      {
        patientId: c.patientId,
        id,
        facilityId: c.facilityId,
        kind: "DISPENSE",
        occurredAt: first.startedAt ?? first.orderedAt ?? fallback,
        status: "COMPLETED",
        prescriberName: first.prescriberName,
        department: first.department,
        sensitivity: sensitivityOf({ yjCodes: given.map((a) => drugCode(a).yjCode), department: first.department, facilityCategory: c.careCategory }),
        sourceRef: c.relative,
        fillsId: fillsOrder ? await prescriptionOfOrder(tx, c, fillsOrder) : null,
      },
      given.map((a) => ({
        id: `${id}-${String(a.position).padStart(2, "0")}`,
        rp: 1,
        ...drugCode(a),
        dose: a.amount,
        doseUnit: a.unit,
        // RAS^O17 carries what was given and when, not a 用法 or days of supply
        usageText: a.rate,
        days: null,
      })),
    );
    return [{ table: "Prescription", id, ...(fillsOrder ? { fillsOrder } : {}) }];
  }
  const documentKind = EXAM_DOCUMENT[c.key.kind];
  if (documentKind) {
    const exam = readExam(c.m);
    const title = examTitle(exam);
    if (!title) {
      c.warnings.push(`NO_EXAM: a ${c.key.kind} that names no examination (OBR-4); nothing filed`);
      return [];
    }
    const id = recordId(c.facilityId, c.sourceKey, "doc");
    c.rows.add("Document", [
      {
        ...ownRow(c, id),
        occurredAt: exam.performedAt ?? fallback,
        kind: documentKind,
        title,
        authorName: exam.parts.find((p) => p.performer)?.performer ?? null,
        body: examBody(exam),
        // the department that ordered it (an obstetric ultrasound is reproductive care), else the facility's
        sensitivity: sensitivityOf({ department: exam.department, facilityCategory: c.careCategory }),
      },
    ]);
    return [{ table: "Document", id }];
  }
  if (c.key.kind === "ADT-12" || c.key.kind === "ADT-22" || c.key.kind === "ADT-52") c.warnings.push(`NO_PV1: a ${c.key.kind} without a visit (PV1); nothing filed`);
  return [];
}

/**
 * The lines of a file that name something: a code, or at least words. A line named only in words is
 * filed with no code (as the FHIR reader files a text-only one) and reported; a line with neither is
 * reported and not filed — never dropped without a word.
 */
function named<T extends { code: string }>(c: WriteContext, lines: readonly T[], what: string, nameOf: (x: T) => string | null): T[] {
  return lines.filter((x) => {
    if (x.code) return true;
    const name = nameOf(x);
    c.warnings.push(name ? `UNCODED: ${what}「${name}」has no code; filed by its name` : `UNNAMED: ${what} with neither a code nor a name; not filed`);
    return Boolean(name);
  });
}

/** The message's allergies (IAM, AL1) as the record's, never withheld by inheritance. */
function fileAllergies(c: WriteContext, fallback: Date): Recs {
  const rows = readAllergies(c.m)
    .filter((a) => (a.code || a.display) && a.action !== "D")
    .map((a, i) => ({
      patientId: c.patientId,
      id: recordId(c.facilityId, c.sourceKey, `alg${i + 1}`),
      facilityId: c.facilityId,
      occurredAt: partialDate(a.onset) ?? fallback,
      occurredPrecision: precisionOf(a.onset),
      kind: allergyKind(c, a),
      codeSystem: a.codeSystem === "JC10" ? CODE_SYSTEM.JLAC10 : a.codeSystem === "HOT9" ? CODE_SYSTEM.HOT9 : a.codeSystem || null,
      code: a.code || null,
      display: a.display || a.code,
      reaction: a.reaction,
      severity: SEVERITY[a.severity] ?? ("UNKNOWN" as const),
      // allergies are never withheld by inheritance (lib/access/sensitivity): the banner must show them
      sensitivity: "NORMAL" as const,
      sourceRef: c.relative,
    }));
  c.rows.add("Allergy", rows);
  return rows.map((r) => ({ table: "Allergy" as const, id: r.id }));
}

/** The patient's telephones, contacts (NK1) and insurance (IN1), in the order sent. */
function fileContacts(c: WriteContext): Recs {
  const rows = readContacts(c.m).map((x, i) => ({ ...ownRow(c, recordId(c.facilityId, c.sourceKey, `ct${i + 1}`)), ...x, position: i + 1 }));
  c.rows.add("PatientContact", rows);
  return rows.map((r) => ({ table: "PatientContact" as const, id: r.id }));
}

/**
 * The message's OBX results with a code, as lab results. One without a code is reported, not filed: a
 * result is read by its code (trends, flowsheet), and uncoded ones would all read as one test.
 */
function fileLabResults(c: WriteContext, fallback: Date): Recs {
  const results = readLabResults(c.m).filter((r) => {
    if (!r.code && r.status !== "D" && (r.display || r.valueText || r.valueNumeric !== null)) c.warnings.push(`UNCODED_RESULT: OBX ${r.setId} ${r.display ? `「${r.display}」` : ""}has no test code (OBX-3); not filed`);
    return r.code && r.status !== "D";
  });
  const rows = results.map((r, i) => ({
    patientId: c.patientId,
    id: recordId(c.facilityId, c.sourceKey, `lab${i + 1}`),
    facilityId: c.facilityId,
    occurredAt: r.observedAt ?? fallback,
    codeSystem: r.codeSystem === "JC10" ? CODE_SYSTEM.JLAC10 : r.codeSystem || "local",
    code: r.code,
    display: r.display || r.code,
    valueNumeric: r.valueNumeric,
    // an NTE comment is kept with its value: beside a number it is the row's text (FHIR: note)
    valueText: [r.valueText, r.comment].filter(Boolean).join("\n") || null,
    unit: r.unit,
    refLow: r.refLow,
    refHigh: r.refHigh,
    refText: r.refText,
    flag: r.flag,
    sensitivity: sensitivityOf({ facilityCategory: c.careCategory }),
    sourceRef: c.relative,
  }));
  c.rows.add("LabResult", rows);
  return rows.map((r) => ({ table: "LabResult" as const, id: r.id }));
}

/** The prescription filed from an order (kind|order number), same patient and facility, if it is filed. */
async function prescriptionOfOrder(tx: Tx, c: WriteContext, fillsOrder: string): Promise<string | null> {
  const [kind, orderNo] = fillsOrder.split("|") as [string, string];
  const doc = await tx.ingestDocument.findFirst({ where: { facilityId: c.facilityId, patientId: c.patientId, status: "CURRENT", sourceKey: { startsWith: `ss2|${c.key.patientId}|`, endsWith: `|${kind}|${orderNo}` } } });
  return (doc?.records as Recs | undefined)?.find((r) => r.table === "Prescription")?.id ?? null;
}

/**
 * A prescription filed after the dispenses that fill it (files are applied in the order they were
 * made): the dispenses of this patient here whose current documents name its order (their ledger
 * records' fillsOrder) point at it. Set in the prescription's own statement (RecordRows.alsoChange),
 * not a query and an update of their own: every OMP-01 file asks this, and it was a third of an
 * SS-MIX2 tree's statements.
 */
function linkDispenses(c: WriteContext, prescriptionId: string) {
  if (!c.key.orderNo || !DISPENSE_OF[c.key.kind]) return;
  const order = JSON.stringify([{ fillsOrder: `${c.key.kind}|${c.key.orderNo}` }]);
  c.rows.alsoChange(Prisma.sql`
    UPDATE "Prescription" SET "fillsId" = ${prescriptionId}
     WHERE "patientId" = ${c.patientId} AND "facilityId" = ${c.facilityId} AND kind = 'DISPENSE'
       AND id IN (SELECT r.rec->>'id'
                    FROM "IngestDocument" d CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(d.records) WHEN 'array' THEN d.records END) AS r(rec)
                   WHERE d."facilityId" = ${c.facilityId} AND d."patientId" = ${c.patientId} AND d.status = 'CURRENT'
                     AND d.records @> ${order}::jsonb AND r.rec->>'table' = 'Prescription')`,
    // it reads the ledger entries of dispenses (records naming the order they fill): only those must be written before it
    (held) => held.fillsOrder !== undefined,
  );
}
