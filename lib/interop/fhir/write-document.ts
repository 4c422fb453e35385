import { coding, compact, jstDateTime, referenceTo, resourceBase, type Resource, type RowMeta } from "./write-common";

export interface DocumentRow extends RowMeta {
  id: string;
  patientId: string;
  occurredAt: Date;
  kind: "REFERRAL" | "DISCHARGE_SUMMARY" | "CHECKUP_REPORT" | "IMAGING_REPORT" | "PATHOLOGY_REPORT";
  title: string;
  authorName: string | null;
  recipient: string | null;
  body: string;
}

/** LOINC document types (the JP 文書区分コード uses the same codes); a 健診結果報告書 has none, so text only. */
const TYPE = {
  REFERRAL: ["57133-1", "診療情報提供書"],
  DISCHARGE_SUMMARY: ["18842-5", "退院時サマリー"],
  CHECKUP_REPORT: [null, "健診結果報告書"],
  IMAGING_REPORT: ["18748-4", "画像診断報告書"],
  PATHOLOGY_REPORT: ["11526-1", "病理診断報告書"],
} as const;

/**
 * JP_DocumentReference: a letter or report as Tsunagu holds it — its text (the sections under their
 * 【heading】 lines) as a UTF-8 plain-text attachment, its type, date, author and recipient. Tsunagu
 * keeps the text, not the sender's structured Composition, so the letter goes out as the text it is.
 */
export function writeDocument(d: DocumentRow): Resource {
  const [loinc, label] = TYPE[d.kind];
  return compact({
    ...resourceBase("DocumentReference", d.id, "JP_DocumentReference", d, `${label}: ${d.title}`),
    status: "current",
    type: compact({ coding: loinc ? [coding("http://loinc.org", loinc, label)] : [], text: label }),
    subject: referenceTo("Patient", d.patientId),
    date: jstDateTime(d.occurredAt),
    author: d.authorName ? [{ display: d.authorName }] : null,
    description: d.recipient ? `${d.title}（宛先: ${d.recipient}）` : d.title,
    content: [{ attachment: { contentType: "text/plain; charset=utf-8", language: "ja", data: Buffer.from(d.body, "utf8").toString("base64"), title: d.title, creation: jstDateTime(d.occurredAt) } }],
  });
}
