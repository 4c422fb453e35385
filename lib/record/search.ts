import { z } from "zod";
import { getDb } from "../db/client";
import { now } from "../clock";
import { auditActorOf, recordAudit } from "../audit";
import type { Scope } from "../access/decide";
import { decideSearch } from "../access/duties";
import { consentInForce } from "../access/consent-in-force";
import { actorFacts } from "../auth/to-actor";
import { refuse } from "./refuse";
import type { Actor } from "../auth/actor";
import { InvalidInputError } from "./errors";
import { patientBasics, type PatientBasics } from "./identity";
import { cardNumber, isRealDay, likeLiteral, searchText } from "./input";

import { normaliseKana } from "../format/kana";

export { normaliseKana };

/** Longer than any name in kanji or kana with a space; longer input is a paste gone wrong. */
export const SEARCH_NAME_MAX = 60;

export const searchSchema = z.object({
  // searchText refuses control characters (a NUL breaks PostgreSQL's text), as the timeline's box does
  q: searchText(SEARCH_NAME_MAX).optional().default(""),
  birthDate: z
    .string()
    .trim()
    .optional()
    .default("")
    // isRealDay, not Date.parse: that rolls 1948-06-31 over to 07-01 and finds someone else
    .refine((s) => s === "" || isRealDay(s), "birthDate"),
});

export interface PatientHit extends PatientBasics {
  /** what the consent in force lets this facility open */
  scope: Scope;
}

/** At most this many patients are listed; a clinician narrows by birth date rather than scrolling. */
export const SEARCH_LIMIT = 50;

export interface SearchResult {
  hits: PatientHit[];
  /** matching patients this facility may open, listed or not: above hits.length the list was cut at SEARCH_LIMIT */
  visibleCount: number;
}

/** Splits of a name typed without a space: ヤマダタロウ → ヤ|マダタロウ, ヤマ|ダタロウ, … (the family name is never empty). */
const SPLIT_MAX = 20;

function nameWhere(q: string) {
  if (!q) return {};
  const raw = normaliseKana(q).split(" ").filter(Boolean);
  const parts = raw.map(likeLiteral);
  const [family, given] = parts;
  if (!family) return {};
  const isKana = /^[\u30A0-\u30FF ]+$/.test(parts.join(" "));
  const [f, g] = isKana ? (["familyNameKana", "givenNameKana"] as const) : (["familyName", "givenName"] as const);
  if (given) return { [f]: { startsWith: family }, [g]: { startsWith: given } };
  // One word: a family or given name's start, or a whole family name followed by the start of the
  // given name, as clinicians type it from a card without the space (ヤマダタロウ, 山田太郎).
  const word = raw[0]!;
  const chars = [...word];
  const splits =
    chars.length > 1 && chars.length <= SPLIT_MAX
      ? chars.slice(1).map((_, i) => ({ [f]: chars.slice(0, i + 1).join(""), [g]: { startsWith: likeLiteral(chars.slice(i + 1).join("")) } }))
      : [];
  return { OR: [{ [f]: { startsWith: family } }, { [g]: { startsWith: family } }, ...splits] };
}

/** A word of the box that is a number from the insurance card: digits, perhaps with hyphens (full-width already made ASCII by NFKC). */
const CARD_NUMBER_WORD = /^\d[\d\-‐−]*$/;

/**
 * The box holds a name, the numbers on the patient's insurance card, or both: a clinician at the desk
 * types what is in front of them (ヤマダ タロウ, or 39221010 00123456 from the card). Each number is a
 * 保険者番号, 被保険者記号 (when it is digits) or 被保険者番号, in any order, as normalised as the
 * consent card's fields; the other words are the name.
 */
export function splitSearch(q: string): { name: string; numbers: string[] } {
  const words = q.normalize("NFKC").split(/\s+/).filter(Boolean);
  const isNumber = (w: string) => CARD_NUMBER_WORD.test(w);
  return { name: words.filter((w) => !isNumber(w)).join(" "), numbers: [...new Set(words.filter(isNumber).map(cardNumber))] };
}

/**
 * Every number typed is on the card: its 保険者番号, 記号 or 番号 (exact, as stored). Each column has an
 * index (insurerNumber leads the (insurer, insured) one), so the OR is a bitmap of three index scans.
 */
const numbersWhere = (numbers: string[]) => numbers.map((n) => ({ OR: [{ insurerNumber: n }, { insuredSymbol: n }, { insuredNumber: n }] }));

/**
 * Patient search, for clinicians (lib/access.decideSearch; a refusal is audited). It lists identity
 * only, and only patients this facility may open now: the consent in force for it, by the same
 * definition the access decision uses. Nobody else is listed or counted — the owner's decision:
 * search shows nothing it may not open, so it cannot confirm that a named person is a patient
 * somewhere. Audited.
 */
export async function searchPatients(actor: Actor, input: unknown): Promise<SearchResult> {
  const at = now();
  const d = decideSearch(actorFacts(actor));
  if (!d.allow) await refuse(actor, { action: "PATIENT_SEARCH", reason: d.reason, purpose: "TREATMENT", what: "patient-search", at });
  const parsed = searchSchema.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(String(parsed.error.issues[0]?.path[0] ?? "q"), "invalid search");
  const { q, birthDate } = parsed.data;
  if (!q && !birthDate) return { hits: [], visibleCount: 0 };
  const db = await getDb();
  const { name, numbers } = splitSearch(q);
  const where = { AND: [nameWhere(name), ...numbersWhere(numbers), birthDate ? { birthDate: new Date(`${birthDate}T00:00:00Z`) } : {}] };
  // A candidate has an active row for this facility; consentInForce then applies the full rule (the
  // newest row decides), so a superseded row never lists a patient the decision would refuse.
  const candidates = { consents: { some: { facilityId: actor.facilityId, status: "ACTIVE" as const, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] } } };
  return db.$transaction(async (tx) => {
    const rows = await tx.patient.findMany({
      where: { AND: [where, candidates] },
      orderBy: [{ familyNameKana: "asc" }, { givenNameKana: "asc" }, { birthDate: "asc" }],
      take: SEARCH_LIMIT,
      include: { consents: { where: { facilityId: actor.facilityId } } },
    });
    const hits: PatientHit[] = rows.flatMap((p) => {
      const c = consentInForce(p.consents, actor.facilityId, at);
      return c.state === "IN_FORCE" ? [{ ...patientBasics(p), scope: c.consent!.scope }] : [];
    });
    const visibleCount = rows.length < SEARCH_LIMIT ? hits.length : await tx.patient.count({ where: { AND: [where, candidates] } });
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "PATIENT_SEARCH",
      outcome: "SUCCESS",
      purpose: "TREATMENT",
      at,
      detail: { q, birthDate, hits: hits.length },
    });
    return { hits, visibleCount };
  });
}
