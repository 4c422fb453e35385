import { type Hl7Message, segmentsNamed, valueAt } from "../hl7v2/message";
import { hl7Time } from "../hl7v2/datetime";

/**
 * The visit an ADT message (ADT-21…52) speaks of: what happened (MSH-9's trigger event), when, where
 * (PV1) and why (PV2). In SS-MIX2 a cancel is filed under the same kind as what it cancels, with its
 * own trigger event (標準化ストレージ仕様書, 表 1-1): ADT-22 入院実施 ADT^A01, its 取消 ADT^A11; ADT-42
 * 転科・転棟実施 A02 / A12; ADT-52 退院実施 A03 / A13; the 予定 kinds A14/A27, A15/A26, A16/A25; 外出泊
 * A21/A52 and A22/A53.
 */
export interface Hl7Visit {
  /** MSH-9.1 and MSH-9.2, e.g. ADT and A01 */
  messageType: string;
  trigger: string;
  /** the trigger this message cancels (A11 → A01), or null when it is not a cancel */
  cancels: string | null;
  /** PV1-2: I inpatient, O outpatient, E emergency… as sent */
  patientClass: string;
  /** PV1-3 (ward^room^bed) and PV1-6, the location before a transfer, as sent */
  location: string | null;
  priorLocation: string | null;
  /** PV1-10: the 診療科 code as sent (a code of the sender's table, not a name) */
  department: string | null;
  /** PV1-7: the attending doctor's name */
  attending: string | null;
  /** PV1-19: the visit number, when the sender gives one */
  visitNumber: string | null;
  /** PV1-44 admitted, PV1-45 discharged */
  admittedAt: Date | null;
  dischargedAt: Date | null;
  /** PV1-36: discharge disposition code as sent */
  dischargeDisposition: string | null;
  /** PV2-3: the admit reason's text (or code) */
  reason: string | null;
  /** EVN-2 when it was recorded, EVN-6 when the event occurred */
  recordedAt: Date | null;
  eventAt: Date | null;
}

/** Each cancel trigger of SS-MIX2's ADT kinds, and the trigger it cancels. */
export const CANCELLED_BY: Readonly<Record<string, string>> = { A11: "A01", A12: "A02", A13: "A03", A27: "A14", A26: "A15", A25: "A16", A52: "A21", A53: "A22" };

const or = (v: string) => v || null;

/** The message's visit; null when it has no PV1 (nothing to say about a visit). */
export function readVisit(m: Hl7Message): Hl7Visit | null {
  const msh = segmentsNamed(m, "MSH")[0];
  const pv1 = segmentsNamed(m, "PV1")[0];
  if (!msh || !pv1) return null;
  const evn = segmentsNamed(m, "EVN")[0];
  const pv2 = segmentsNamed(m, "PV2")[0];
  const trigger = valueAt(m, msh, 9, 2);
  const place = (field: number) => [1, 2, 3].map((c) => valueAt(m, pv1, field, c)).filter(Boolean).join("-") || null;
  const name = [valueAt(m, pv1, 7, 2), valueAt(m, pv1, 7, 3)].filter(Boolean).join(" ");
  return {
    messageType: valueAt(m, msh, 9, 1),
    trigger,
    cancels: CANCELLED_BY[trigger] ?? null,
    patientClass: valueAt(m, pv1, 2),
    location: place(3),
    priorLocation: place(6),
    department: or(valueAt(m, pv1, 10)),
    attending: or(name),
    visitNumber: or(valueAt(m, pv1, 19)),
    admittedAt: hl7Time(valueAt(m, pv1, 44)),
    dischargedAt: hl7Time(valueAt(m, pv1, 45)),
    dischargeDisposition: or(valueAt(m, pv1, 36)),
    reason: pv2 ? or(valueAt(m, pv2, 3, 2) || valueAt(m, pv2, 3, 1)) : null,
    recordedAt: evn ? hl7Time(valueAt(m, evn, 2)) : null,
    eventAt: evn ? hl7Time(valueAt(m, evn, 6)) : null,
  };
}
