import { type Hl7Message, segmentsNamed, repetitions, valueAt } from "../hl7v2/message";
import { hl7Date } from "../hl7v2/datetime";
import { insurerNumberOf } from "./contacts";

/** Who a message is about, as PID says: what identity matching compares (it decides, not this). */
export interface PidIdentity {
  /** PID-3: the sending facility's patient id */
  localId: string;
  familyName: string | null;
  givenName: string | null;
  familyNameKana: string | null;
  givenNameKana: string | null;
  birthDate: string | null;
  sex: "MALE" | "FEMALE" | "OTHER" | "UNKNOWN";
  address: string | null;
  postalCode: string | null;
}

const SEX: Record<string, PidIdentity["sex"]> = { M: "MALE", F: "FEMALE", O: "OTHER", U: "UNKNOWN" };

/**
 * PID's identity. PID-5 repeats the name: the repetition whose XPN-8 is "I" (ideographic) is kanji,
 * "P" (phonetic) is kana; SS-MIX2 sends both, in either order. Kana are kept as written here; matching normalises.
 * null when the message has no PID or no PID-3.
 */
export function readPid(m: Hl7Message): PidIdentity | null {
  const pid = segmentsNamed(m, "PID")[0];
  if (!pid) return null;
  // PID-3 repeats when the sender lists other ids too (an insured number, an old id): the patient id
  // is the repetition typed PI (CX-5), as SS-MIX2 sends it; an untyped list's first
  const ids = Array.from({ length: repetitions(m, pid, 3) }, (_, r) => ({ id: valueAt(m, pid, 3, 1, 1, r), type: valueAt(m, pid, 3, 5, 1, r) }));
  const localId = (ids.find((i) => i.type === "PI") ?? ids[0])?.id ?? "";
  if (!localId) return null;
  const names = Array.from({ length: repetitions(m, pid, 5) }, (_, r) => ({ name: [valueAt(m, pid, 5, 1, 1, r), valueAt(m, pid, 5, 2, 1, r)] as [string, string], rep: valueAt(m, pid, 5, 8, 1, r) }));
  // the one typed I is kanji even after an alphabetic (A) one; an untyped name stands in for it
  const kanji = (names.find((n) => n.rep === "I") ?? names.find((n) => n.rep !== "P" && n.rep !== "A") ?? names.find((n) => n.rep !== "P"))?.name ?? null;
  const kana = names.find((n) => n.rep === "P")?.name ?? null;
  const or = (s: string | undefined) => (s ? s : null);
  return {
    localId,
    familyName: or(kanji?.[0]),
    givenName: or(kanji?.[1]),
    familyNameKana: or(kana?.[0]),
    givenNameKana: or(kana?.[1]),
    birthDate: hl7Date(valueAt(m, pid, 7)),
    sex: SEX[valueAt(m, pid, 8)] ?? "UNKNOWN",
    address: or(valueAt(m, pid, 11, 8) || valueAt(m, pid, 11, 1)),
    postalCode: or(valueAt(m, pid, 11, 5)),
  };
}

/**
 * The 保険者番号 (IN1-3) of the message's first insurance that gives one (ADT-00 sends IN1). Only the
 * insurer: the 記号・番号・枝番 are not read from SS-MIX2, so this shows an administrator who checks a
 * held identity which insurer the file names, and never links a patient by itself (an automatic link
 * needs the whole 被保険者個人識別子 with its 枝番: lib/ingest/patient-identity).
 */
export function readInsurerNumber(m: Hl7Message): string | null {
  for (const s of segmentsNamed(m, "IN1")) {
    const insurer = insurerNumberOf(m, s);
    if (insurer) return insurer;
  }
  return null;
}
