import { type Hl7Message, segmentsNamed, repetitions, valueAt } from "../hl7v2/message";
import { hl7Date } from "../hl7v2/datetime";

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
 * "P" (phonetic) is kana; SS-MIX2 sends both. Kana are kept as written here; matching normalises.
 * null when the message has no PID or no PID-3.
 */
export function readPid(m: Hl7Message): PidIdentity | null {
  const pid = segmentsNamed(m, "PID")[0];
  if (!pid) return null;
  const localId = valueAt(m, pid, 3);
  if (!localId) return null;
  let kanji: [string, string] | null = null;
  let kana: [string, string] | null = null;
  for (let r = 0; r < repetitions(m, pid, 5); r++) {
    const name: [string, string] = [valueAt(m, pid, 5, 1, 1, r), valueAt(m, pid, 5, 2, 1, r)];
    const rep = valueAt(m, pid, 5, 8, 1, r);
    if (rep === "P") kana ??= name;
    else kanji ??= name;
  }
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
