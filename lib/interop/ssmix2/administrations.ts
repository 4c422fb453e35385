import { type Hl7Message, personName, valueAt } from "../hl7v2/message";
import { hl7Time } from "../hl7v2/datetime";

/**
 * One RXA of a RAS^O17 message: SS-MIX2's OMP-11 処方実施通知 and OMP-12 注射実施通知, the record
 * that a prescribed (or injected) medicine was given, with the order (ORC) it carries out.
 */
export interface Hl7Administration {
  /** ORC-2, the placer order number: the order (OMP-01 / OMP-02) this carries out */
  orderNo: string;
  /** ORC-4, the placer group number (the Rp, or the injection's order line), as sent */
  group: string;
  /** the n-th RXA of the message, 1-based */
  position: number;
  orderedAt: Date | null;
  /** ORC-12 the ordering doctor, ORC-17 the department's display */
  prescriberName: string | null;
  department: string | null;
  /** RXA-3 / RXA-4: when the administration started and ended */
  startedAt: Date | null;
  endedAt: Date | null;
  /** RXA-5: HOT9 code, display and coding system as sent */
  codeSystem: string;
  code: string;
  display: string;
  /** RXA-6 the amount given, RXA-7 its unit */
  amount: number | null;
  unit: string | null;
  /** RXA-9: the administration notes' text (e.g. 左手に実施) */
  note: string | null;
  /** RXA-10: who gave it */
  administeredBy: string | null;
  /** RXA-12: the rate, as written (102ml/hr) */
  rate: string | null;
  /** RXA-20: CP complete, PA partial, NA not given, RE refused (HL7 0322); RXA-21: A add, D delete, U update */
  completion: string;
  action: string;
  /** RXR-1 after the RXA group: the route's text (口, 静脈内) */
  route: string | null;
}

const num = (v: string) => {
  const t = v.normalize("NFKC").trim();
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : null;
};

/** Every RXA, with the ORC before it and the RXR that closes its group. */
export function readAdministrations(m: Hl7Message): Hl7Administration[] {
  const out: Hl7Administration[] = [];
  let orc: Pick<Hl7Administration, "orderNo" | "group" | "orderedAt" | "prescriberName" | "department"> | null = null;
  let open: Hl7Administration[] = []; // the RXA group waiting for its RXR
  for (const s of m.segments) {
    if (s.name === "ORC") {
      orc = { orderNo: valueAt(m, s, 2), group: valueAt(m, s, 4), orderedAt: hl7Time(valueAt(m, s, 9)), prescriberName: personName(m, s, 12), department: valueAt(m, s, 17, 2) || null };
      open = [];
    } else if (s.name === "RXA") {
      const a: Hl7Administration = {
        orderNo: orc?.orderNo ?? "",
        group: orc?.group ?? "",
        position: out.length + 1,
        orderedAt: orc?.orderedAt ?? null,
        prescriberName: orc?.prescriberName ?? null,
        department: orc?.department ?? null,
        startedAt: hl7Time(valueAt(m, s, 3)),
        endedAt: hl7Time(valueAt(m, s, 4)),
        codeSystem: valueAt(m, s, 5, 3),
        code: valueAt(m, s, 5, 1),
        display: valueAt(m, s, 5, 2),
        amount: num(valueAt(m, s, 6)),
        unit: valueAt(m, s, 7, 2) || valueAt(m, s, 7, 1) || null,
        note: valueAt(m, s, 9, 2) || valueAt(m, s, 9, 1) || null,
        administeredBy: personName(m, s, 10),
        rate: valueAt(m, s, 12) || null,
        completion: valueAt(m, s, 20),
        action: valueAt(m, s, 21),
        route: null,
      };
      out.push(a);
      open.push(a);
    } else if (s.name === "RXR" && open.length) {
      const route = valueAt(m, s, 1, 2) || valueAt(m, s, 1, 1) || null;
      for (const a of open) a.route = route;
      open = [];
    }
  }
  return out;
}
