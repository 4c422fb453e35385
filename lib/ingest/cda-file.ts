import type { Transactor } from "./batches";
import { sensitivityOf } from "../access/sensitivity";
import { readCda, type CdaDocument } from "../interop/cda/read";
import { folderDocumentKind } from "../interop/cda/codes";
import type { StorageKey } from "../interop/ssmix2/storage";
import type { DocumentKind } from "../db/generated/enums";
import { recordId } from "./records";
import { fileOutcome, fileStorageDocument, storageFallbackTime, type FileOutcome } from "./storage-document";
import type { IngestSource } from "./source";

/** The extended storage's 主文書ファイル when it is a CDA document (NHO 医師記録等: 経過記録, 退院時サマリー, 診療情報提供書). */
export const MAIN_DOCUMENT_CDA = "main_document.xml";

/** JAHIS / JP-CLINS: a facility's patient id is under 1.2.392.100495.20.3.51.1 followed by its 医療機関コード. */
const FACILITY_PATIENT_ID = "1.2.392.100495.20.3.51.1";
/** 保険者番号, 被保険者証記号・番号, 枝番 (1.2.392.100495.20.3.61…): the insurance's ids, not the facility's patient id. */
const INSURANCE_ID = /^1\.2\.392\.100495\.20\.3\.6\d/;

const TITLE: Readonly<Record<DocumentKind, string>> = {
  REFERRAL: "診療情報提供書",
  DISCHARGE_SUMMARY: "退院時サマリー",
  PROGRESS_NOTE: "経過記録",
  CLINICAL_DOCUMENT: "診療文書",
  CHECKUP_REPORT: "健診報告書",
  IMAGING_REPORT: "画像診断報告書",
  PATHOLOGY_REPORT: "病理診断報告書",
  RADIOLOGY_EXAM: "放射線検査",
  ENDOSCOPY_EXAM: "内視鏡検査",
  PHYSIOLOGY_REPORT: "生理検査結果",
};

/**
 * The facility's own patient id in recordTarget/patientRole: the one under this facility's OID; else,
 * when the document names no facility at all, its first id that is not an insurance id (the local
 * roots many systems use). An id under another facility's OID is that facility's patient: refused.
 */
function patientIdOf(doc: CdaDocument, facilityCode: string): { id: string } | { rejected: string } {
  const where = `/ClinicalDocument/recordTarget/patientRole/id${doc.patient.line ? ` (line ${doc.patient.line})` : ""}`;
  const ids = doc.patient.ids.filter((i) => i.extension);
  const own = ids.find((i) => i.root === `${FACILITY_PATIENT_ID}${facilityCode}`);
  if (own) return { id: own.extension! };
  const other = ids.find((i) => i.root?.startsWith(FACILITY_PATIENT_ID) && /^\d{10}$/.test(i.root.slice(FACILITY_PATIENT_ID.length)));
  if (other) return { rejected: `PATIENT_ID_OF_ANOTHER_FACILITY: ${where} is facility ${other.root!.slice(FACILITY_PATIENT_ID.length)}'s patient ${other.extension}, the sender is ${facilityCode}` };
  const local = ids.find((i) => !INSURANCE_ID.test(i.root ?? ""));
  if (local) return { id: local.extension! };
  return { rejected: `NO_PATIENT_ID: ${where} names no patient id` };
}

/**
 * An extended-storage CDA main document, filed as an SS-MIX2 file is (lib/ingest/storage-document):
 * the same key, condition flag, identity rules and audit. The document must be readable CDA with a
 * body, and its patient id must be the storage folder's patient; else it is rejected with the reason.
 * It becomes one Document of the record's kind for its type code — or, for a type the record has no
 * kind for, a 診療文書 that keeps the sender's code — with its sections as the text a clinician opens.
 */
export async function importCdaFile(db: Transactor, source: IngestSource, relative: string, key: StorageKey, bytes: Uint8Array): Promise<FileOutcome> {
  const read = readCda(bytes);
  if (!read.ok) return fileOutcome(relative, "rejected", read.reason);
  const doc = read.doc;
  const pid = patientIdOf(doc, source.facilityCode);
  if ("rejected" in pid) return fileOutcome(relative, "rejected", pid.rejected);
  if (pid.id !== key.patientId) return fileOutcome(relative, "rejected", `PATIENT_MISMATCH: /ClinicalDocument/recordTarget/patientRole/id${doc.patient.line ? ` (line ${doc.patient.line})` : ""} says ${pid.id}, the storage folder is patient ${key.patientId}`);
  if (key.flag === 2) return fileOutcome(relative, "superseded", "condition flag 2: superseded by a newer file");

  const kind: DocumentKind = doc.kind ?? "CLINICAL_DOCUMENT";
  const warnings = [...doc.warnings];
  const folderKind = folderDocumentKind(key.kind);
  if (folderKind && doc.kind && folderKind !== doc.kind) warnings.push(`KIND_MISMATCH: the data kind folder ${key.kind} is a ${folderKind}, the document's code ${doc.code?.code} a ${doc.kind}; filed as the document says`);
  if (doc.code && !doc.kind) warnings.push(`DOCUMENT_TYPE: code ${doc.code.code} (${doc.code.system ?? "no system"}${doc.code.display ? ` ${doc.code.display}` : ""}) has no kind in the record; filed as a 診療文書 with its code`);
  const fallback = storageFallbackTime(key);
  if (!doc.effectiveTime) warnings.push(`NO_DATE: filed at the content folder's time ${fallback.toISOString()}`);
  const { familyName, givenName, familyNameKana, givenNameKana, birthDate, sex } = doc.patient;
  const identity = { localId: pid.id, familyName, givenName, familyNameKana, givenNameKana, birthDate, sex, fields: { birth: "recordTarget/patientRole/patient/birthTime", sex: "recordTarget/patientRole/patient/administrativeGenderCode" } };

  return fileStorageDocument(db, source, relative, key, { identity, format: "SS-MIX2 CDA", warnings }, async (tx, f) => {
    const id = recordId("ss2", source.facilityId, f.sourceKey, "doc");
    // a letter is as sensitive as the diagnoses it codes; else its department's, else the facility's
    const signals = { department: doc.department ?? key.department, facilityCategory: source.careCategory };
    const sensitivity = doc.icd10.map((icd10) => sensitivityOf({ ...signals, icd10 })).find((s) => s !== "NORMAL") ?? sensitivityOf(signals);
    await tx.document.create({
      data: {
        patientId: f.patientId,
        id,
        facilityId: source.facilityId,
        occurredAt: doc.effectiveTime?.at ?? fallback,
        kind,
        title: doc.title ?? doc.code?.display ?? TITLE[kind],
        // the facility is the record's own column: the author is the person, else the organization that wrote it
        authorName: doc.authorName ?? doc.department ?? doc.organization,
        recipient: doc.recipient,
        codeSystem: doc.code?.system ?? null,
        code: doc.code?.code ?? null,
        codeDisplay: doc.code?.display ?? null,
        body: doc.body,
        sensitivity,
        sourceRef: relative,
      },
    });
    return { records: [{ table: "Document", id }] };
  });
}
