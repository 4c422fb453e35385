import { type Hl7Message, type Segment, personName, repetitions, subcomponents, valueAt } from "../hl7v2/message";
import { hl7Time } from "../hl7v2/datetime";

/**
 * SS-MIX2's examination messages that say what happened (標準化ストレージ仕様書, 表 1-1): OMG-11
 * 放射線検査の実施通知 and OMG-12 内視鏡検査の実施通知 (OMI^Z23: what was performed, by whom, with which
 * drugs and devices, and the images' DICOM study), and OMG-13 生理検査結果通知 (ORU^R01: the findings and
 * measurements of an ECG and the like). Their orders (OMG-01/02/03, OMG^O19) are not read here.
 *
 * The message's parts in order: an OBR is the exam as ordered (after ORC NW or PA), one performed
 * item (after ORC CH), or — with no ORC at all, as in ORU^R01 — the result; a ZE1 (the 実施 segment) is
 * one item as actually performed. Each OBX belongs to the part before it. Nothing is interpreted or
 * dropped: codes and values are kept as the sender wrote them.
 */
export interface Coded {
  codeSystem: string;
  code: string;
  display: string;
}

export interface ExamObservation extends Coded {
  /** OBX-2 as sent (TX, NM, CWE, XCN, TS, ZRD…) */
  valueType: string;
  /** the value as text: a number with its unit, a coded value's name, a person's name, a time in Japan */
  value: string;
  /** OBX-11: F final, P preliminary, C corrected… */
  status: string;
}

export interface ExamPart {
  /** ORDER: the exam as ordered; PERFORMED: an item performed (ORC CH's OBR, or a ZE1); RESULT: ORU's OBR */
  role: "ORDER" | "PERFORMED" | "RESULT";
  item: Coded;
  /** ZE1-7: who performed it */
  performer: string | null;
  observations: ExamObservation[];
}

export interface Hl7Exam {
  /** MSH-9.1^MSH-9.2, e.g. OMI^Z23 */
  messageType: string;
  /** the first ORC-2 (else OBR-2): the order this carries out */
  orderNo: string | null;
  /** the first OBR-4: the exam as ordered */
  exam: Coded | null;
  /** the first OBR-7 (検査日時), else the first ORC-9 */
  performedAt: Date | null;
  /** ORC-12 (else OBR-16): the doctor who ordered it; ORC-17's display: the department */
  orderedBy: string | null;
  department: string | null;
  parts: ExamPart[];
  /** IPC: the images' accession number, DICOM study instance UID and modality, once each */
  images: { accession: string; studyUid: string; modality: string }[];
}

const coded = (m: Hl7Message, s: Segment, field: number): Coded => ({ code: valueAt(m, s, field, 1), display: valueAt(m, s, field, 2), codeSystem: valueAt(m, s, field, 3) });
const or = (v: string) => v || null;

/** A time as a clinician reads it in Japan: 2011-11-20 14:45. */
function japanTime(v: string): string | null {
  const t = hl7Time(v);
  if (!t) return null;
  const text = new Date(t.getTime() + 9 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
  return v.trim().length <= 8 ? text.slice(0, 10) : text;
}

/** OBX-5 as text, by its OBX-2 type. */
function observationValue(m: Hl7Message, s: Segment): string {
  const c = (n: number) => valueAt(m, s, 5, n);
  const unit = valueAt(m, s, 6, 2) || valueAt(m, s, 6, 1);
  switch (valueAt(m, s, 2)) {
    case "NM":
      return [c(1), unit].filter(Boolean).join(" ");
    case "CWE":
    case "CE":
    case "CNE":
      return c(2) || c(1);
    case "XCN":
      return personName(m, s, 5) ?? c(1);
    case "TS":
    case "DTM":
    case "DT":
      return japanTime(c(1)) ?? c(1);
    case "ZRD": {
      // JAHIS's drug used: code^name^system^amount^unit (unit as code&name&system)
      const amount = [c(4), subcomponents(m, s, 5, 5)[1] || subcomponents(m, s, 5, 5)[0]].filter(Boolean).join("");
      return [c(2) || c(1), amount].filter(Boolean).join(" ");
    }
    default: {
      // text: each repetition is a line (HL7 TX / FT)
      const n = Math.max(1, repetitions(m, s, 5));
      return Array.from({ length: n }, (_, r) => valueAt(m, s, 5, 1, 1, r)).join("\n");
    }
  }
}

export function readExam(m: Hl7Message): Hl7Exam {
  const msh = m.segments.find((s) => s.name === "MSH");
  const out: Hl7Exam = {
    messageType: msh ? `${valueAt(m, msh, 9, 1)}^${valueAt(m, msh, 9, 2)}` : "",
    orderNo: null,
    exam: null,
    performedAt: null,
    orderedBy: null,
    department: null,
    parts: [],
    images: [],
  };
  let control: string | null = null; // ORC-1 of the ORC in force; null before any ORC
  let orderedAt: Date | null = null;
  let part: ExamPart | null = null;
  for (const s of m.segments) {
    if (s.name === "ORC") {
      control = valueAt(m, s, 1);
      out.orderNo ??= or(valueAt(m, s, 2));
      out.orderedBy ??= personName(m, s, 12);
      out.department ??= or(valueAt(m, s, 17, 2));
      orderedAt ??= hl7Time(valueAt(m, s, 9));
    } else if (s.name === "OBR") {
      const item = coded(m, s, 4);
      out.exam ??= item;
      out.orderNo ??= or(valueAt(m, s, 2));
      out.orderedBy ??= personName(m, s, 16);
      out.performedAt ??= hl7Time(valueAt(m, s, 7));
      part = { role: control === null ? "RESULT" : control === "CH" ? "PERFORMED" : "ORDER", item, performer: null, observations: [] };
      out.parts.push(part);
    } else if (s.name === "ZE1") {
      // the item as performed: it stands for the ordered child item before it when that says nothing of its own
      if (part?.role === "PERFORMED" && part.observations.length === 0 && !part.performer && out.parts.at(-1) === part) out.parts.pop();
      part = { role: "PERFORMED", item: coded(m, s, 3), performer: personName(m, s, 7), observations: [] };
      out.parts.push(part);
    } else if (s.name === "OBX") {
      if (!part) {
        part = { role: "RESULT", item: { code: "", display: "", codeSystem: "" }, performer: null, observations: [] };
        out.parts.push(part);
      }
      part.observations.push({
        code: subcomponents(m, s, 3, 1).join("&"),
        // "QTc 時間&Bazzet": every sub-component of the name says something
        display: subcomponents(m, s, 3, 2).filter(Boolean).join(" "),
        codeSystem: valueAt(m, s, 3, 3),
        valueType: valueAt(m, s, 2),
        value: observationValue(m, s),
        status: valueAt(m, s, 11),
      });
    } else if (s.name === "IPC") {
      const image = { accession: valueAt(m, s, 1), studyUid: valueAt(m, s, 3), modality: valueAt(m, s, 5, 1) };
      if (!out.images.some((i) => i.accession === image.accession && i.studyUid === image.studyUid)) out.images.push(image);
    }
  }
  out.performedAt ??= orderedAt;
  return out;
}

/** A JJ1017 / JED name without its empty levels: 検査.上部.-.-.上部通常内視鏡.- is 検査.上部.上部通常内視鏡. */
const itemName = (c: Coded) => c.display.split(".").filter((p) => p && p !== "-").join(".") || c.code;

/** The document's title: the first item performed (the most specific name), else the exam ordered. */
export function examTitle(e: Hl7Exam): string | null {
  const first = e.parts.find((p) => p.role === "PERFORMED") ?? (e.exam ? { item: e.exam } : null);
  return first ? itemName(first.item) || null : null;
}

const SECTION: Record<ExamPart["role"], string> = { ORDER: "依頼情報", PERFORMED: "実施", RESULT: "結果" };
/** OBX-11 values that change how a value is read (D: deleted, not shown at all). */
const STATUS_NOTE: Record<string, string> = { P: "（暫定）", C: "（訂正）" };

/**
 * The exam as a document body, in 【sections】 (lib/format/document-sections): the exam and who ordered
 * it, each part with its observations (an order's part only when it says something), and the images.
 * The source's own wording throughout, as a report is read.
 */
export function examBody(e: Hl7Exam): string {
  const lines: string[] = [];
  if (e.exam) lines.push(`【検査】${itemName(e.exam)}${e.exam.code ? `（${[e.exam.codeSystem, e.exam.code].filter(Boolean).join(" ")}）` : ""}`);
  const ordered = [e.orderedBy, e.department].filter(Boolean).join("・");
  if (ordered) lines.push(`【依頼】${ordered}`);
  for (const p of e.parts) {
    const shown = p.observations.filter((o) => o.status !== "D");
    if (p.role !== "PERFORMED" && shown.length === 0) continue;
    lines.push(`【${SECTION[p.role]}】${p.role === "PERFORMED" || p.item.display ? itemName(p.item) : ""}`);
    if (p.performer) lines.push(`実施者: ${p.performer}`);
    for (const o of shown) lines.push(`${o.display || o.code}: ${o.value}${STATUS_NOTE[o.status] ?? ""}`);
  }
  if (e.images.length) lines.push(`【画像】`, ...e.images.map((i) => [i.modality, i.studyUid, i.accession ? `（受付番号 ${i.accession}）` : ""].filter(Boolean).join(" ")));
  return lines.join("\n");
}
