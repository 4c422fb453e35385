import { readInstant } from "./dates";
import { readConcept, recordBase } from "./elements";
import { field, type Issues, type Node } from "./json";
import type { FhirLetter } from "./types";
import { DOCUMENT_TYPES } from "./write-document";

type Kind = keyof typeof DOCUMENT_TYPES;
const KINDS = Object.entries(DOCUMENT_TYPES) as [Kind, readonly [string | null, string]][];
const LOINC = "http://loinc.org";
/** The recipient as Tsunagu writes it into the description: 「title（宛先: recipient）」 */
const ADDRESSED = /^(.*)（宛先: (.+)）$/s;

/**
 * A DocumentReference whose content is text (text/plain, as Tsunagu writes a letter or report) as a
 * document: its kind from the LOINC type (else the type's text, as written for kinds LOINC has no code
 * for), the sender's own type code beside it, title, date, author, recipient and the text. null, with a
 * warning, when there is no text to file (a PDF or an image is not read).
 */
export function readDocumentReference(res: Node, issues: Issues): FhirLetter | null {
  const base = recordBase(res, issues);
  const type = readConcept(field(res, "type"), issues);
  const kind = KINDS.find(([, [loinc]]) => loinc !== null && type.codings.some((c) => c.system === LOINC && c.code === loinc))?.[0] ?? KINDS.find(([, [, label]]) => label === type.text)?.[0] ?? "CLINICAL_DOCUMENT";
  const [kindLoinc, label] = DOCUMENT_TYPES[kind];
  // the sender's own code: any coding other than the kind's LOINC code, which the writer adds itself
  const own = type.codings.find((c) => c.code && !(c.system === LOINC && c.code === kindLoinc)) ?? null;
  const attachment = issues.objects(field(res, "content")).map((c) => field(c, "attachment")).find((a) => issues.object(a) && /^text\/plain\b/.test(issues.string(field(a, "contentType")) ?? ""));
  const data = attachment ? issues.string(field(attachment, "data")) : null;
  if (!attachment || data === null) {
    issues.warn("not-supported", `${res.at}.content`, `${res.at}.content に本文（text/plain）がないため、文書として取り込めません。`, `${res.at}.content holds no text (text/plain) attachment, so there is no document text to file.`);
    return null;
  }
  const description = issues.string(field(res, "description"));
  const addressed = description ? ADDRESSED.exec(description) : null;
  const author = issues.objects(field(res, "author"))[0];
  return {
    ...base,
    occurredAt: readInstant(field(res, "date"), issues),
    kind,
    title: issues.string(field(attachment, "title")) ?? addressed?.[1] ?? description ?? type.text ?? label,
    codeSystem: own?.system ?? null,
    code: own?.code ?? null,
    codeDisplay: own ? (own.display ?? (type.text !== label ? type.text : null)) : null,
    authorName: author ? issues.string(field(author, "display")) : null,
    recipient: addressed?.[2] ?? null,
    body: Buffer.from(data, "base64").toString("utf8"),
  };
}
