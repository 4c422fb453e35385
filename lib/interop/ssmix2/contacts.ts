import { type Hl7Message, type Segment, repetitions, segmentsNamed, valueAt } from "../hl7v2/message";
import { hl7Date } from "../hl7v2/datetime";

/**
 * What an ADT-00 (患者基本情報) says about reaching the patient and who pays, as the sender wrote it:
 * the patient's own telephones (PID-13 home and emergency, PID-14 work), the people to contact (NK1)
 * and the insurance (IN1). Kept as sent: a clinician calls the number the facility holds, and the
 * relationship and plan are shown with the sender's own text when the code is not one we name.
 */
export interface Hl7Contact {
  /** PHONE: the patient's own number (PID-13/14); NEXT_OF_KIN: an NK1 person; INSURANCE: an IN1 plan */
  kind: "PHONE" | "NEXT_OF_KIN" | "INSURANCE";
  /** PHONE: the XTN use code (PRN home, EMR emergency, WPN work, ORN other…); NEXT_OF_KIN: HL7 0063 relationship (SEL, SPO…); INSURANCE: the JHSD0001 plan code */
  code: string | null;
  /** the sender's text for that code (本人, 配偶者, 国民健康保険退職者…) */
  text: string | null;
  /** NEXT_OF_KIN: the person's name, kanji and kana; INSURANCE: null */
  name: string | null;
  nameKana: string | null;
  /** a telephone number as written (054-000-0000) */
  phone: string | null;
  /** NEXT_OF_KIN: a second number (NK1-6, work) */
  workPhone: string | null;
  /** NEXT_OF_KIN: the address as written */
  address: string | null;
  /** INSURANCE: 保険者番号 (IN1-3), the relationship to the insured (IN1-17, its HL7 0063 code) and the plan's validity (IN1-12/13) */
  insurerNumber: string | null;
  insuredRelation: string | null;
  validFrom: string | null;
  validTo: string | null;
}

const blank = (v: string) => (v.trim() ? v.trim() : null);

/** An XTN repetition's number: XTN-12 (unformatted number, what SS-MIX2 writes), else the deprecated XTN-1. */
const phoneAt = (m: Hl7Message, s: Segment, field: number, rep: number) => blank(valueAt(m, s, field, 12, 1, rep)) ?? blank(valueAt(m, s, field, 1, 1, rep));

/** Every number of an XTN field, with its use code (XTN-2), in the order sent. */
function phonesOf(m: Hl7Message, s: Segment, field: number, defaultUse: string): { use: string; phone: string }[] {
  const out: { use: string; phone: string }[] = [];
  for (let r = 0; r < repetitions(m, s, field); r++) {
    const phone = phoneAt(m, s, field, r);
    if (phone) out.push({ use: blank(valueAt(m, s, field, 2, 1, r)) ?? defaultUse, phone });
  }
  return out;
}

/** An XPN's kanji (XPN-8 I, or unmarked) and kana (P) names, each "family given". */
function namesOf(m: Hl7Message, s: Segment, field: number): { kanji: string | null; kana: string | null } {
  let kanji: string | null = null;
  let kana: string | null = null;
  for (let r = 0; r < repetitions(m, s, field); r++) {
    const name = blank([valueAt(m, s, field, 1, 1, r), valueAt(m, s, field, 2, 1, r)].filter(Boolean).join(" "));
    if (!name) continue;
    if (valueAt(m, s, field, 8, 1, r) === "P") kana ??= name;
    else kanji ??= name;
  }
  return { kanji, kana };
}

/** An XAD repetition as one line: the JAHIS way puts the whole address in XAD-8 (other designation), else street and city. */
function addressOf(m: Hl7Message, s: Segment, field: number): string | null {
  for (let r = 0; r < repetitions(m, s, field); r++) {
    const postal = blank(valueAt(m, s, field, 5, 1, r));
    const line = blank(valueAt(m, s, field, 8, 1, r)) ?? blank([1, 3, 4].map((c) => valueAt(m, s, field, c, 1, r)).join(""));
    if (line) return postal ? `〒${postal} ${line}` : line;
  }
  return null;
}

/** An IN1's 保険者番号 (IN1-3), as written; null when it gives none. */
export const insurerNumberOf = (m: Hl7Message, in1: Segment): string | null => blank(valueAt(m, in1, 3, 1));

const none = { name: null, nameKana: null, phone: null, workPhone: null, address: null, insurerNumber: null, insuredRelation: null, validFrom: null, validTo: null } as const;

export function readContacts(m: Hl7Message): Hl7Contact[] {
  const out: Hl7Contact[] = [];
  const pid = segmentsNamed(m, "PID")[0];
  if (pid) {
    for (const p of [...phonesOf(m, pid, 13, "PRN"), ...phonesOf(m, pid, 14, "WPN")]) out.push({ ...none, kind: "PHONE", code: p.use, text: null, phone: p.phone });
  }
  for (const s of segmentsNamed(m, "NK1")) {
    const { kanji, kana } = namesOf(m, s, 2);
    const phones = phonesOf(m, s, 5, "PRN");
    out.push({
      ...none,
      kind: "NEXT_OF_KIN",
      code: blank(valueAt(m, s, 3, 1)),
      text: blank(valueAt(m, s, 3, 2)),
      // NK1-13: an organisation named as the contact (an employer, a care home) when no person is
      name: kanji ?? blank(valueAt(m, s, 13, 1)),
      nameKana: kana,
      phone: phones[0]?.phone ?? null,
      workPhone: phonesOf(m, s, 6, "WPN")[0]?.phone ?? null,
      address: addressOf(m, s, 4),
    });
  }
  for (const s of segmentsNamed(m, "IN1")) {
    const insurer = insurerNumberOf(m, s);
    const plan = blank(valueAt(m, s, 2, 1));
    if (!insurer && !plan) continue;
    out.push({
      ...none,
      kind: "INSURANCE",
      code: plan,
      text: blank(valueAt(m, s, 2, 2)),
      insurerNumber: insurer,
      // the HL7 0063 code (SEL), named in the UI's language; the sender's text when it gave no code
      insuredRelation: blank(valueAt(m, s, 17, 1)) ?? blank(valueAt(m, s, 17, 2)),
      validFrom: hl7Date(valueAt(m, s, 12)),
      validTo: hl7Date(valueAt(m, s, 13)),
    });
  }
  return out;
}
