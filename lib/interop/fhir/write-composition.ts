import { sectionsOf } from "../../format/document-sections";
import { documentType, type DocumentRow } from "./write-document";
import { compact, institutionExtension, jstDateTime, narrative, referenceTo, resourceBase, type Resource } from "./write-common";

/** The letters a Composition is written for: a referral (診療情報提供書) and a discharge summary (退院時サマリー). */
export const COMPOSED_KINDS = ["REFERRAL", "DISCHARGE_SUMMARY"] as const;

/**
 * A referral letter or a discharge summary as a FHIR R4 Composition: its type, date, author, title and
 * one section per 【heading】 of the text Tsunagu keeps, each section's words as its narrative. JP-CLINS's
 * eReferral and eDischargeSummary profiles are not claimed: they require coded entries (structured
 * problems, medicines, the encounter, the custodian) that a letter kept as text does not have. The
 * same letter is also the DocumentReference of the same id, with the whole text attached.
 */
export function writeComposition(d: DocumentRow): Resource {
  const { coding, label } = documentType(d);
  const sections = sectionsOf(d.body);
  return compact({
    ...resourceBase("Composition", d.id, null, d, `${label}: ${d.title}`),
    status: "final",
    type: compact({ coding, text: d.codeDisplay ?? label }),
    subject: referenceTo("Patient", d.patientId),
    date: jstDateTime(d.occurredAt),
    // Composition.author is required (1..*): the author's name when the letter gives it, else the facility that wrote it
    author: [d.authorName ? { display: d.authorName } : d.facilityCode ? { identifier: institutionExtension(d.facilityCode)[0]!.valueIdentifier } : { display: "記載なし" }],
    title: d.title,
    section: (sections.length ? sections : [{ title: null, text: d.body }]).map((s) => compact({ title: s.title, text: narrative(s.text) })),
  });
}
