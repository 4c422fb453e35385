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

/**
 * Every RXE of a prescription message, each with the ORC before it and the TQ1 and RXR after it.
 * 頓用 is not decided here: it is in the 用法 code and text, which the canonical mapping reads.
 */
export function readPrescriptionItems(m: Hl7Message): Hl7PrescriptionItem[] {
  const out: Hl7PrescriptionItem[] = [];
  let orc: { orderNo: string; rp: number | null; orderedAt: Date | null; prescriberName: string | null; department: string | null } | null = null;
  let current: Hl7PrescriptionItem | null = null;
  for (const s of m.segments) {
    if (s.name === "ORC") {
      const name = [valueAt(m, s, 12, 2), valueAt(m, s, 12, 3)].filter(Boolean).join(" ");
      orc = { orderNo: valueAt(m, s, 2), rp: num(valueAt(m, s, 4)), orderedAt: hl7Time(valueAt(m, s, 9)), prescriberName: name || null, department: valueAt(m, s, 17, 2) || null };
    } else if (s.name === "RXE") {
      current = {
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
        usageText: null,
        days: null,
        route: null,
        totalAmount: num(valueAt(m, s, 10)),
      };
      out.push(current);
    } else if (s.name === "TQ1" && current) {
      current.usageCode = valueAt(m, s, 3, 1, 1) || null;
      current.usageText = valueAt(m, s, 3, 1, 2) || null;
      current.days = num(valueAt(m, s, 6, 1));
    } else if (s.name === "RXR" && current) {
      current.route = valueAt(m, s, 1, 2) || valueAt(m, s, 1, 1) || null;
    }
  }
  return out;
}
