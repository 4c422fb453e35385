import { type Hl7Message, textOf, valueAt } from "../hl7v2/message";
import { hl7Date } from "../hl7v2/datetime";

/** One diagnosis (PRB, with the ZPR after it) of a PPR^ZD1 (PPR-01) message, as the sender coded it. */
export interface Hl7Problem {
  /** PRB-1: AD add, UP update, DE delete */
  action: string;
  /** PRB-3: the MEDIS 病名 code, its display and coding system as sent (MDCDX2) */
  codeSystem: string;
  code: string;
  display: string;
  /** ZPR-5, when the diagnosis has modifiers: the full name as written (e.g. 左下肢深部静脈血栓症の疑い) */
  fullName: string | null;
  /** PRB-10: the ICD-10 code */
  icd10: string | null;
  /** PRB-4: the problem's instance id, its source key */
  instanceId: string;
  /** PRB-16 date of onset, else PRB-7 established */
  onset: string | null;
  /** PRB-9: actual resolution date (転帰日) */
  resolved: string | null;
  /** PRB-14: life-cycle status display (治癒, 死亡, 中止, 回復せず…) */
  outcome: string | null;
  /** PRB-13: confirmation status; SS-MIX2 sends 疑い here for a suspected diagnosis */
  suspected: boolean;
  /** PRB-18: 1 is the 主診断 */
  principal: boolean;
}

export function readProblems(m: Hl7Message): Hl7Problem[] {
  const out: Hl7Problem[] = [];
  for (const s of m.segments) {
    if (s.name === "PRB") {
      const confirmation = `${valueAt(m, s, 13, 1)} ${valueAt(m, s, 13, 2)}`;
      out.push({
        action: valueAt(m, s, 1),
        codeSystem: valueAt(m, s, 3, 3),
        code: valueAt(m, s, 3, 1),
        display: valueAt(m, s, 3, 2),
        fullName: null,
        icd10: valueAt(m, s, 10, 1) || null,
        instanceId: valueAt(m, s, 4),
        onset: hl7Date(valueAt(m, s, 16)) ?? hl7Date(valueAt(m, s, 7)),
        resolved: hl7Date(valueAt(m, s, 9)),
        outcome: valueAt(m, s, 14, 2) || null,
        suspected: /疑い|^\s*S\b|suspect/i.test(confirmation),
        principal: valueAt(m, s, 18, 1) === "1",
      });
    } else if (s.name === "ZPR" && out.length) {
      out.at(-1)!.fullName = valueAt(m, s, 5, 2) || null;
    }
  }
  return out;
}

/** One allergy: an IAM of ADT-61 (ADT^A60), or an AL1 of ADT-00's patient information (ADT^A08). */
export interface Hl7Allergy {
  /** IAM-2 / AL1-2: DA drug, FA food, EA environment, LA pollen (HL7 0127) */
  type: string;
  codeSystem: string;
  code: string;
  display: string;
  /** IAM-4 / AL1-4: SV severe, MO moderate, MI mild (HL7 0128) */
  severity: string;
  reaction: string | null;
  /** IAM-6: A add, D delete, U update (AL1 has none: empty) */
  action: string;
  /** IAM-11 onset, AL1-6 the date it was identified (YYYY[MM[DD]]), as written; IAM-12 the onset as text */
  onset: string | null;
  onsetText: string | null;
  setId: string;
}

/** Every IAM and AL1 of the message, in order. AL1 is the older segment: the same fields, fewer of them. */
export function readAllergies(m: Hl7Message): Hl7Allergy[] {
  return m.segments.flatMap((s): Hl7Allergy[] => {
    if (s.name !== "IAM" && s.name !== "AL1") return [];
    const iam = s.name === "IAM";
    return [
      {
        type: valueAt(m, s, 2, 1),
        codeSystem: valueAt(m, s, 3, 3),
        code: valueAt(m, s, 3, 1),
        display: valueAt(m, s, 3, 2),
        severity: valueAt(m, s, 4, 1),
        // IAM-5 / AL1-5 repeat: every reaction, not the first
        reaction: textOf(m, s, 5).split("\n").filter(Boolean).join("、") || null,
        action: iam ? valueAt(m, s, 6, 1) : "",
        onset: valueAt(m, s, iam ? 11 : 6) || null,
        onsetText: iam ? valueAt(m, s, 12) || null : null,
        setId: valueAt(m, s, 1),
      },
    ];
  });
}
