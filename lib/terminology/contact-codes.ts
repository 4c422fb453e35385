import type { Locale } from "../i18n/messages";

/**
 * The codes of an SS-MIX2 ADT-00's contacts, named in each UI language: the telephone's use (HL7 0201,
 * XTN-2) and the contact's relationship to the patient (HL7 0063, NK1-3). A code not here is shown with
 * the sender's own text, or as sent.
 */
const PHONE_USE: Readonly<Record<string, Record<Locale, string>>> = {
  PRN: { ja: "自宅", en: "Home" },
  ORN: { ja: "その他", en: "Other" },
  WPN: { ja: "勤務先", en: "Work" },
  VHN: { ja: "別荘", en: "Holiday home" },
  ASN: { ja: "留守番電話", en: "Answering service" },
  EMR: { ja: "緊急連絡先", en: "Emergency" },
  BPN: { ja: "ポケットベル", en: "Pager" },
};

const RELATIONSHIP: Readonly<Record<string, Record<Locale, string>>> = {
  SEL: { ja: "本人", en: "Self" },
  SPO: { ja: "配偶者", en: "Spouse" },
  DOM: { ja: "パートナー", en: "Partner" },
  CHD: { ja: "子", en: "Child" },
  SON: { ja: "息子", en: "Son" },
  DAU: { ja: "娘", en: "Daughter" },
  PAR: { ja: "親", en: "Parent" },
  MTH: { ja: "母", en: "Mother" },
  FTH: { ja: "父", en: "Father" },
  SIB: { ja: "兄弟姉妹", en: "Sibling" },
  BRO: { ja: "兄弟", en: "Brother" },
  SIS: { ja: "姉妹", en: "Sister" },
  GRP: { ja: "祖父母", en: "Grandparent" },
  GCH: { ja: "孫", en: "Grandchild" },
  EXF: { ja: "親族", en: "Extended family" },
  GRD: { ja: "後見人", en: "Guardian" },
  EMC: { ja: "緊急連絡先", en: "Emergency contact" },
  FND: { ja: "友人", en: "Friend" },
  CGV: { ja: "介護者", en: "Care giver" },
  EMR: { ja: "雇用主", en: "Employer" },
  OTH: { ja: "その他", en: "Other" },
};

const named = (table: Readonly<Record<string, Record<Locale, string>>>) => (code: string | null, text: string | null, locale: Locale) =>
  (code && table[code]?.[locale]) ?? text ?? code ?? "";

/** A telephone's use (PRN → 自宅 / Home). */
export const phoneUse = named(PHONE_USE);
/** A contact's relationship to the patient (SPO → 配偶者 / Spouse); the sender's text when the code is not known. */
export const relationship = named(RELATIONSHIP);
