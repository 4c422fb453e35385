import { type Hl7Message, repetitions, type Segment, textOf, valueAt } from "../hl7v2/message";
import { hl7Time } from "../hl7v2/datetime";
import { labFlag } from "../lab-flag";

/** One lab result of an OUL^R22 (OML-11) message, as the sender coded it: nothing dropped or guessed. */
export interface Hl7LabResult {
  /** OBX-3: code, display and the coding system as sent (JC10 is JLAC10) */
  codeSystem: string;
  code: string;
  display: string;
  /** OBX-2: NM numeric, SN structured numeric, ST/TX/FT text, CWE coded */
  valueType: string;
  valueNumeric: number | null;
  valueText: string | null;
  unit: string | null;
  /** OBX-7 as sent, and its bounds when it is "low-high", "<=high" or ">=low" */
  refText: string | null;
  refLow: number | null;
  refHigh: number | null;
  /** OBX-8 as the record's H, L, N, A (HH is H…), any other code as sent; null when empty */
  flag: string | null;
  /** OBX-14, else the specimen's collection time (SPM-17), else the order's OBR-7 */
  observedAt: Date | null;
  /** OBR-2 / OBR-3: the order's placer and filler numbers, the result's source key with OBX-1 */
  placerOrder: string;
  setId: string;
  specimen: string | null;
  /** OBX-11: F final, C corrected, P preliminary, D delete… */
  status: string;
  /** the NTE comments after the OBX (JAHIS: 溶血, 再検…), one per line, or null */
  comment: string | null;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** "1.2-2.0", "6.70-8.3", "<=30", "≥40" → bounds; anything else keeps only its text. */
export function parseRange(text: string): { low: number | null; high: number | null } {
  // NFKC folds full-width digits and ～, not the wave dash 〜 (U+301C) or the minus sign − (U+2212)
  // that Japanese text written in UTF-8 uses between the bounds
  const t = text.normalize("NFKC").replace(/\s/g, "").replace(/\u301c/g, "~").replace(/\u2212/g, "-");
  const two = /^([+-]?\d*\.?\d+)[-~]([+-]?\d*\.?\d+)$/.exec(t);
  if (two) return { low: Number(two[1]), high: Number(two[2]) };
  // the words Japanese laboratories write after a bound (NHO's SS-MIX2 rules list them): 30以下, 0.5未満, 40以上
  const upper = /^(?:<=|≦|<|-|~)([+-]?\d*\.?\d+)$|^([+-]?\d*\.?\d+)(?:以下|未満)$/.exec(t);
  if (upper) return { low: null, high: Number(upper[1] ?? upper[2]) };
  const lower = /^(?:>=|≧|>)([+-]?\d*\.?\d+)$|^([+-]?\d*\.?\d+)(?:[-~]|以上|超)$/.exec(t);
  if (lower) return { low: Number(lower[1] ?? lower[2]), high: null };
  return { low: null, high: null };
}

const flagOf = (v: string): string | null => (v.trim() ? (labFlag(v) ?? v.trim()) : null);

const numberIn = (v: string): number | null => {
  const t = v.normalize("NFKC").trim();
  return NUMBER.test(t) ? Number(t) : null;
};

/**
 * OBX-5 read by its OBX-2 value type, so that no type loses its value:
 * - NM: the number.
 * - SN (JAHIS 臨床検査データ交換規約: comparator^num1^separator/suffix^num2): a plain "^5" or "=^5" is the number
 *   5; anything else is its text as a clinician reads it: "<^0.5" <0.5, "^10^-^20" 10-20, "^2^+" 2+,
 *   "^^-" -, "^1^:^128" 1:128. A value below a detection limit is never filed as that limit's number.
 * - CWE / CE: what each code means (its text), else the code as sent; repetitions joined.
 * - ST, TX, FT and any other: the whole text, every repetition on its own line.
 */
function observationValue(m: Hl7Message, s: Segment, type: string): { numeric: number | null; text: string | null } {
  // whatever a type's reading leaves empty, the field as written is still the value
  // (NHO writes SN as ST with spaces for ^: "  +-" is +-)
  const whole = textOf(m, s, 5).trim() || null;
  if (type === "NM") {
    // the first component, as HL7 reads a primitive ("7.2^" is 7.2); a list of values is text
    const numeric = repetitions(m, s, 5) <= 1 ? numberIn(valueAt(m, s, 5)) : null;
    return { numeric, text: numeric === null ? whole : null };
  }
  if (type === "SN") {
    const [comparator, first, separator, second] = [1, 2, 3, 4].map((c) => valueAt(m, s, 5, c).trim()) as [string, string, string, string];
    const plain = (comparator === "" || comparator === "=") && separator === "" && second === "" ? numberIn(first) : null;
    const text = `${comparator === "=" ? "" : comparator}${first}${separator}${second}`;
    return { numeric: plain, text: plain === null ? text || whole : null };
  }
  if (type === "CWE" || type === "CE" || type === "CNE") {
    const meaning = (r: number) => valueAt(m, s, 5, 2, 1, r) || valueAt(m, s, 5, 9, 1, r) || valueAt(m, s, 5, 5, 1, r) || valueAt(m, s, 5, 1, 1, r);
    const all = Array.from({ length: repetitions(m, s, 5) }, (_, r) => meaning(r)).filter(Boolean);
    return { numeric: null, text: all.join("、") || whole };
  }
  return { numeric: null, text: whole };
}

/** Every OBX of a lab result message, with the order and specimen they belong to. */
export function readLabResults(m: Hl7Message): Hl7LabResult[] {
  const out: Hl7LabResult[] = [];
  let placerOrder = "";
  let orderTime: Date | null = null;
  let specimen: string | null = null;
  let collected: Date | null = null;
  let afterObx = false;
  let parent: string | null = null;
  for (const s of m.segments) {
    if (s.name === "SPM") {
      specimen = valueAt(m, s, 4, 2) || valueAt(m, s, 4, 1) || null;
      collected = hl7Time(valueAt(m, s, 17));
    } else if (s.name === "OBR") {
      placerOrder = valueAt(m, s, 2);
      orderTime = hl7Time(valueAt(m, s, 7));
      // OBR-26 親結果 (JAHIS 臨床検査: a susceptibility test's organism, 培養同定菌名&…^sub-id^2001&E.coli&JANIS)
      parent = valueAt(m, s, 26, 3, 2) || valueAt(m, s, 26, 3, 1) || null;
    } else if (s.name === "OBX") {
      const type = valueAt(m, s, 2);
      const { numeric, text } = observationValue(m, s, type);
      const refText = valueAt(m, s, 7) || null;
      const range = refText ? parseRange(refText) : { low: null, high: null };
      out.push({
        codeSystem: valueAt(m, s, 3, 3),
        code: valueAt(m, s, 3, 1),
        // a result of a parent's (an MIC of the organism the culture found) says whose it is: PIPC（E.coli）
        display: parent ? `${valueAt(m, s, 3, 2) || valueAt(m, s, 3, 1)}（${parent}）` : valueAt(m, s, 3, 2),
        valueType: type,
        valueNumeric: numeric,
        valueText: text,
        // OBX-6 identifier (ISO+ / JHSP code), else its text when a sender gives only that
        unit: valueAt(m, s, 6, 1) || valueAt(m, s, 6, 2) || null,
        refText,
        refLow: range.low,
        refHigh: range.high,
        // HL7 0078: HH/LL/AA are the critical H/L/A; a code outside the table is kept as sent
        flag: flagOf(valueAt(m, s, 8)),
        observedAt: hl7Time(valueAt(m, s, 14)) ?? collected ?? orderTime,
        placerOrder,
        setId: valueAt(m, s, 1),
        specimen,
        status: valueAt(m, s, 11),
        comment: null,
      });
    } else if (s.name === "NTE" && out.length && afterObx) {
      // a comment on the result before it; an NTE after OBR or ORC is about the order, not a value
      const text = textOf(m, s, 3).trim();
      const last = out.at(-1)!;
      if (text) last.comment = last.comment ? `${last.comment}\n${text}` : text;
    }
    afterObx = s.name === "OBX" || (afterObx && s.name === "NTE");
  }
  return out;
}

