import { type Hl7Message, valueAt } from "../hl7v2/message";
import { hl7Time } from "../hl7v2/datetime";

/** One item (RXE with its TQ1 and RXR) of an RDE^O11 (OMP-01/02) message, as the sender coded it. */
export interface Hl7PrescriptionItem {
  /** ORC-2, the placer order number; with the RXE's position, the item's source key */
  orderNo: string;
  /** the n-th RXE of the message, 1-based */
  position: number;
  /** ORC-4: the Rp group (処方箋の Rp 番号) */
  rp: number | null;
  orderedAt: Date | null;
  /** ORC-12 the prescriber's name as family given; ORC-17 the department's display */
  prescriberName: string | null;
  department: string | null;
  /** RXE-2: HOT9 (or YJ) code, display, and the coding system as sent */
  codeSystem: string;
  code: string;
  display: string;
  /** RXE-3 the amount per dose (1回量), RXE-5 its unit */
  dose: number | null;
  doseUnit: string | null;
  /** TQ1-3: the JAMI 用法 code and text */
  usageCode: string | null;
  usageText: string | null;
  /** TQ1-6 "5^d": days of supply (or, for 頓用, times) */
  days: number | null;
  /** RXR-1: route, e.g. PO 口 */
  route: string | null;
  /** RXE-10 the total dispensed amount, RXE-11 its unit */
  totalAmount: number | null;
}

const num = (v: string) => {
  const t = v.normalize("NFKC").trim();
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : null;
};

interface Timing {
  /** TQ1-3: the JAMI 用法 code and text */
  code: string;
  text: string;
  /** TQ1-2: the amount at this time, when the sender states one per timing */
  amount: number | null;
  unit: string;
  /** TQ1-6 */
  days: number | null;
}

/**
 * The RXE's timings on one item. One TQ1 is the 用法. 不均等投与 (JAHIS 処方データ交換規約: e.g. 朝 2錠, 夕 1錠)
 * repeats TQ1, one per time of day with its own amount: every timing is kept in the 用法 text, and the
 * dose is one number only when every timing gives the same — never the last timing's alone.
 */
function applyTimings(item: Hl7PrescriptionItem, timings: Timing[], amountIsDose: boolean) {
  const [first] = timings;
  if (!first) return;
  item.days = timings.find((t) => t.days !== null)?.days ?? null;
  if (timings.length === 1) {
    item.usageCode = first.code || item.usageCode;
    item.usageText = first.text || item.usageText;
    if (amountIsDose && item.dose === null && first.amount !== null) item.dose = first.amount;
    return;
  }
  item.usageCode = timings.every((t) => t.code === first.code) ? first.code || null : null;
  item.usageText = timings.map((t) => [t.text || t.code, t.amount !== null ? `${t.amount}${t.unit}` : ""].filter(Boolean).join(" ")).join(" / ");
  const amounts = timings.map((t) => t.amount);
  if (amountIsDose && amounts.some((a) => a !== null)) item.dose = amounts.every((a) => a === amounts[0]) ? amounts[0]! : null;
}

/**
 * Every RXE of a prescription message, each with the ORC before it and the TQ1 and RXR after it.
 * 頓用 is not decided here: it is in the 用法 code and text, which the canonical mapping reads.
 *
 * An injection order (OMP-02) names no drug in its RXE: RXE-2 says only the order's type (00 一般),
 * and the drugs are its RXC components (B the base solution, A what is added), each with its HOT
 * code and amount. Each component becomes its own item, so that every drug is listed, coded and
 * checked like any other; they share the RXE's timing, route and the 手技 text and rate (RXE-7,
 * RXE-23/24), which stand for the 用法 when TQ1 gives none.
 */
export function readPrescriptionItems(m: Hl7Message): Hl7PrescriptionItem[] {
  const out: Hl7PrescriptionItem[] = [];
  let orc: { orderNo: string; rp: number | null; orderedAt: Date | null; prescriberName: string | null; department: string | null } | null = null;
  /** the items of the current RXE: itself, or its RXC components */
  let group: Hl7PrescriptionItem[] = [];
  let components = 0;
  /** the current RXE's timings (TQ1): one, or one per time of day when the doses are uneven */
  let timings: Timing[] = [];
  for (const s of m.segments) {
    if (s.name === "ORC") {
      const name = [valueAt(m, s, 12, 2), valueAt(m, s, 12, 3)].filter(Boolean).join(" ");
      orc = { orderNo: valueAt(m, s, 2), rp: num(valueAt(m, s, 4)), orderedAt: hl7Time(valueAt(m, s, 9)), prescriberName: name || null, department: valueAt(m, s, 17, 2) || null };
      group = [];
    } else if (s.name === "RXE") {
      const rate = [valueAt(m, s, 23), valueAt(m, s, 24, 1)].filter(Boolean).join(" ");
      const instructions = [valueAt(m, s, 7, 2) || valueAt(m, s, 7, 1), rate].filter(Boolean).join(" ");
      const item: Hl7PrescriptionItem = {
        orderNo: orc?.orderNo ?? "",
        position: out.length + 1,
        rp: orc?.rp ?? null,
        orderedAt: orc?.orderedAt ?? null,
        prescriberName: orc?.prescriberName ?? null,
        department: orc?.department ?? null,
        codeSystem: valueAt(m, s, 2, 3),
        code: valueAt(m, s, 2, 1),
        display: valueAt(m, s, 2, 2),
        dose: num(valueAt(m, s, 3)),
        doseUnit: valueAt(m, s, 5, 2) || valueAt(m, s, 5, 1) || null,
        usageCode: null,
        usageText: instructions || null,
        days: null,
        route: null,
        totalAmount: num(valueAt(m, s, 10)),
      };
      out.push(item);
      group = [item];
      components = 0;
      timings = [];
    } else if (s.name === "RXC" && group.length) {
      const base = group[0]!;
      const component = {
        codeSystem: valueAt(m, s, 2, 3),
        code: valueAt(m, s, 2, 1),
        display: valueAt(m, s, 2, 2),
        dose: num(valueAt(m, s, 3)),
        doseUnit: valueAt(m, s, 4, 2) || valueAt(m, s, 4, 1) || null,
        totalAmount: null,
      };
      if (components++ === 0) Object.assign(base, component);
      else {
        const item = { ...base, ...component, position: out.length + 1 };
        out.push(item);
        group.push(item);
      }
    } else if (s.name === "TQ1" && group.length) {
      timings.push({ code: valueAt(m, s, 3, 1, 1), text: valueAt(m, s, 3, 1, 2), amount: num(valueAt(m, s, 2, 1)), unit: valueAt(m, s, 2, 2, 2) || valueAt(m, s, 2, 2, 1), days: num(valueAt(m, s, 6, 1)) });
      // an injection's components share its timing; an amount per timing is a drug's own dose
      for (const item of group) applyTimings(item, timings, group.length === 1);
    } else if (s.name === "RXR") {
      for (const item of group) item.route = valueAt(m, s, 1, 2) || valueAt(m, s, 1, 1) || null;
    }
  }
  return out;
}
