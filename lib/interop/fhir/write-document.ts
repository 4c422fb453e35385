import { coding, compact, jstDateTime, referenceTo, resourceBase, type Resource, type RowMeta } from "./write-common";

export interface DocumentRow extends RowMeta {
  id: string;
  patientId: string;
  occurredAt: Date;
  kind: keyof typeof DOCUMENT_TYPES;
  title: string;
  /** the document type as the sender coded it (a CDA's ClinicalDocument/code), when it did */
  codeSystem?: string | null;
  code?: string | null;
  codeDisplay?: string | null;
  authorName: string | null;
  recipient: string | null;
  body: string;
}

/**
 * LOINC document types (the JP 文書区分コード uses the same codes) where a kind has one; the others
 * (a 健診結果報告書, an SS-MIX2 実施通知, a document of a type the record has no kind for) are text,
 * beside the code the sender gave, when it gave one.
 */
export const DOCUMENT_TYPES = {
  REFERRAL: ["57133-1", "診療情報提供書"],
  DISCHARGE_SUMMARY: ["18842-5", "退院時サマリー"],
  CHECKUP_REPORT: [null, "健診結果報告書"],
  IMAGING_REPORT: ["18748-4", "画像診断報告書"],
  PATHOLOGY_REPORT: ["11526-1", "病理診断報告書"],
  RADIOLOGY_EXAM: [null, "放射線検査実施記録"],
  ENDOSCOPY_EXAM: [null, "内視鏡検査実施記録"],
  PHYSIOLOGY_REPORT: [null, "生理検査結果"],
  PROGRESS_NOTE: ["11506-3", "経過記録"],
  CLINICAL_DOCUMENT: [null, "診療文書"],
} as const;

/** The document's type: the code the sender gave, then the kind's LOINC code beside it (once); and the kind's name. */
export function documentType(d: DocumentRow) {
  const [loinc, label] = DOCUMENT_TYPES[d.kind];
  const codings = [
    ...(d.code ? [coding(d.codeSystem, d.code, d.codeDisplay)] : []),
    ...(loinc && !(d.codeSystem === "http://loinc.org" && d.code === loinc) ? [coding("http://loinc.org", loinc, label)] : []),
  ];
  return { coding: codings, label };
}

/**
 * JP_DocumentReference: a letter or report as Tsunagu holds it — its text (the sections under their
 * 【heading】 lines) as a UTF-8 plain-text attachment, its type, date, author and recipient. Tsunagu
 * keeps the text, not the sender's structured Composition, so the letter goes out as the text it is.
 */
export function writeDocument(d: DocumentRow): Resource {
  const { coding, label } = documentType(d);
  return compact({
    ...resourceBase("DocumentReference", d.id, "JP_DocumentReference", d, `${label}: ${d.title}`),
    status: "current",
    type: compact({ coding, text: d.codeDisplay ?? label }),
    subject: referenceTo("Patient", d.patientId),
    date: jstDateTime(d.occurredAt),
    author: d.authorName ? [{ display: d.authorName }] : null,
    description: d.recipient ? `${d.title}（宛先: ${d.recipient}）` : d.title,
    content: [{ attachment: { contentType: "text/plain; charset=utf-8", language: "ja", data: Buffer.from(d.body, "utf8").toString("base64"), title: d.title, creation: jstDateTime(d.occurredAt) } }],
  });
}
