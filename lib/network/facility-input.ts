import { z } from "zod";
import { PREFECTURES } from "./prefectures";
import { institutionCodeProblem, normaliseInstitutionCode, type FacilityKind } from "./institution-code";
import { isFacilityFieldCode, type FacilityFieldCode } from "./errors";

export const FACILITY_KINDS = ["HOSPITAL", "CLINIC", "DENTAL_CLINIC", "PHARMACY", "CARE_FACILITY"] as const satisfies readonly FacilityKind[];

/** An empty form field is "not given", so an optional field left blank is stored as null, not "". */
const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);
const optionalText = (max: number) => z.preprocess(blankToNull, z.string().trim().max(max, "TOO_LONG").nullable());

/**
 * A facility as the add and edit forms send it. Each message is a code the form shows in Japanese
 * and English (lib/i18n facilities.errors), next to its field.
 */
const facilityFields = z.object({
  // full-width digits (１３１２…, as many Japanese keyboards type them) are the same code
  code: z.string().transform(normaliseInstitutionCode),
  name: z.string().trim().min(1, "REQUIRED").max(80, "TOO_LONG"),
  nameKana: z.preprocess(blankToNull, z.string().trim().max(80, "TOO_LONG").regex(/^[\p{Script=Katakana}ー・\s　]+$/u, "KANA").nullable()),
  kind: z.enum(FACILITY_KINDS, "REQUIRED"),
  prefecture: z.enum(PREFECTURES, "REQUIRED"),
  discloses: z.boolean(),
  views: z.boolean(),
  canBreakGlass: z.boolean(),
  address: optionalText(120),
  phone: z.preprocess(blankToNull, z.string().trim().regex(/^0\d{1,4}-?\d{1,4}-?\d{3,4}$/, "PHONE").nullable()),
  contactName: optionalText(60),
  contactEmail: z.preprocess(blankToNull, z.email("EMAIL").max(120, "TOO_LONG").nullable()),
  joinedOn: z.iso.date("DATE"),
});

export type FacilityInput = z.infer<typeof facilityFields>;

/** The rules across fields, checked even when another field is wrong so the form shows every problem at once. */
function crossFieldProblems(raw: Record<string, unknown>): Record<string, FacilityFieldCode> {
  const fields: Record<string, FacilityFieldCode> = {};
  const kind = FACILITY_KINDS.find((k) => k === raw.kind) ?? null;
  const prefecture = PREFECTURES.find((p) => p === raw.prefecture) ?? null;
  const problem = institutionCodeProblem(typeof raw.code === "string" ? normaliseInstitutionCode(raw.code) : "", kind, prefecture);
  if (problem) fields.code = problem;
  if (!raw.discloses && !raw.views) fields.roles = "ROLE_REQUIRED";
  // break-glass is an emergency read: a facility that does not view cannot open anything
  else if (raw.canBreakGlass && !raw.views) fields.roles = "BREAK_GLASS_NEEDS_VIEWS";
  return fields;
}

/** The form's fields, or each field's first problem by name (never a half-valid facility). */
export function parseFacilityInput(input: unknown): { ok: true; data: FacilityInput } | { ok: false; fields: Record<string, FacilityFieldCode> } {
  const raw = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  const p = facilityFields.safeParse(raw);
  const fields = crossFieldProblems(raw);
  if (!p.success) for (const i of p.error.issues) fields[String(i.path[0] ?? "form")] ??= isFacilityFieldCode(i.message) ? i.message : "INVALID";
  return p.success && Object.keys(fields).length === 0 ? { ok: true, data: p.data } : { ok: false, fields };
}
