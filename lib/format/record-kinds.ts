import type { Locale } from "../i18n/messages";

/**
 * The record kinds, each described once for the screens: its badge colour on the timeline, its name
 * and its one-glyph mark on the record map, in each UI language. Client-safe (no tables, no SQL): the
 * server's half of each kind (table, free-text columns, timeline reader) is lib/record/kinds.ts, and
 * who may see which kind is lib/access/data-kinds.ts — both keyed by the `RecordKind` defined here,
 * so a kind added here is a compile error until they describe it too.
 */
interface KindLook {
  /** the timeline badge's Tailwind classes */
  style: string;
  /** the kind's name (timeline badge, filters, the record map's key) */
  label: Record<Locale, string>;
  /** one glyph per kind on the record map: letters and kanji every clinic PC has a font for (emoji it may not) */
  icon: Record<Locale, string>;
}

const LOOK = {
  encounter: { style: "bg-slate-100 text-slate-900", label: { ja: "受診", en: "Visit" }, icon: { ja: "受", en: "V" } },
  condition: { style: "bg-violet-100 text-violet-900", label: { ja: "病名", en: "Diagnosis" }, icon: { ja: "病", en: "D" } },
  prescription: { style: "bg-emerald-100 text-emerald-900", label: { ja: "処方・調剤", en: "Medication" }, icon: { ja: "薬", en: "M" } },
  lab: { style: "bg-sky-100 text-sky-900", label: { ja: "検査", en: "Lab" }, icon: { ja: "検", en: "L" } },
  checkup: { style: "bg-teal-100 text-teal-900", label: { ja: "健診", en: "Checkup" }, icon: { ja: "健", en: "C" } },
  allergy: { style: "bg-red-100 text-red-900", label: { ja: "アレルギー", en: "Allergy" }, icon: { ja: "ア", en: "A" } },
  procedure: { style: "bg-orange-100 text-orange-900", label: { ja: "処置・手術", en: "Procedure" }, icon: { ja: "手", en: "P" } },
  document: { style: "bg-amber-100 text-amber-900", label: { ja: "文書", en: "Document" }, icon: { ja: "文", en: "R" } },
} as const satisfies Record<string, KindLook>;

export type RecordKind = keyof typeof LOOK;

/** Every kind, in the order above (the order lists and the record map's key use). */
export const RECORD_KINDS = Object.keys(LOOK) as [RecordKind, ...RecordKind[]];

export const isRecordKind = (value: string): value is RecordKind => Object.hasOwn(LOOK, value);

export const kindStyle = (kind: RecordKind): string => LOOK[kind].style;

/** kind → its name or glyph in one language, as lib/i18n's messages carry them */
const perKind = (pick: (look: KindLook) => string) => Object.fromEntries(RECORD_KINDS.map((k) => [k, pick(LOOK[k])])) as Record<RecordKind, string>;
export const kindLabels = (locale: Locale) => perKind((l) => l.label[locale]);
export const kindIcons = (locale: Locale) => perKind((l) => l.icon[locale]);
