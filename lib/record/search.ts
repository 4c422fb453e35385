import { z } from "zod";
import { getDb } from "../db/client";
import { now } from "../clock";
import { recordAudit } from "../audit";
import type { Actor } from "../auth/actor";
import { InvalidInputError } from "./errors";
import { patientBasics, type PatientBasics } from "./identity";
import { isRealDay, likeLiteral } from "./input";

/** Full-width katakana without spaces: how kana names are stored and compared. */
export function normaliseKana(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60))
    .replace(/[\s\u3000]+/g, " ")
    .trim();
}

/** Longer than any name in kanji or kana with a space; longer input is a paste gone wrong. */
export const SEARCH_NAME_MAX = 60;

export const searchSchema = z.object({
  q: z.string().trim().max(SEARCH_NAME_MAX).optional().default(""),
  birthDate: z
    .string()
    .trim()
    .optional()
    .default("")
    // isRealDay, not Date.parse: that rolls 1948-06-31 over to 07-01 and finds someone else
    .refine((s) => s === "" || isRealDay(s), "birthDate"),
});

export interface PatientHit extends PatientBasics {
  /** does this facility hold an active consent (or is the patient its own)? */
  access: "CONSENTED" | "OWN_PATIENT";
}

/** At most this many patients are listed; a clinician narrows by birth date rather than scrolling. */
export const SEARCH_LIMIT = 50;

export interface SearchResult {
  hits: PatientHit[];
  /** matching patients this facility may see, listed or not: above hits.length the list was cut at SEARCH_LIMIT */
  visibleCount: number;
  /** matching patients this facility has no consent for: revealed only as a count */
  othersCount: number;
}

function nameWhere(q: string) {
  if (!q) return {};
  const parts = normaliseKana(q).split(" ").filter(Boolean).map(likeLiteral);
  const [family, given] = parts;
  if (!family) return {};
  const isKana = /^[\u30A0-\u30FF ]+$/.test(parts.join(" "));
  const [f, g] = isKana ? (["familyNameKana", "givenNameKana"] as const) : (["familyName", "givenName"] as const);
  if (given) return { [f]: { startsWith: family }, [g]: { startsWith: given } };
  return { OR: [{ [f]: { startsWith: family } }, { [g]: { startsWith: family } }] };
}

/**
 * Patient search. Returns identity only, and only for patients this facility may see (active consent,
 * or the facility's own patients); others that match are counted, never listed. Audited.
 */
export async function searchPatients(actor: Actor, input: unknown): Promise<SearchResult> {
  const parsed = searchSchema.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(String(parsed.error.issues[0]?.path[0] ?? "q"), "invalid search");
  const { q, birthDate } = parsed.data;
  if (!q && !birthDate) return { hits: [], visibleCount: 0, othersCount: 0 };
  const db = await getDb();
  const at = now();
  const where = { ...nameWhere(q), ...(birthDate ? { birthDate: new Date(`${birthDate}T00:00:00Z`) } : {}) };
  const visible = {
    OR: [
      { consents: { some: { facilityId: actor.facilityId, status: "ACTIVE" as const, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] } } },
      { links: { some: { facilityId: actor.facilityId } } },
    ],
  };
  return db.$transaction(async (tx) => {
    const rows = await tx.patient.findMany({
      where: { AND: [where, visible] },
      orderBy: [{ familyNameKana: "asc" }, { givenNameKana: "asc" }, { birthDate: "asc" }],
      take: SEARCH_LIMIT,
      include: {
        consents: { where: { facilityId: actor.facilityId }, orderBy: { capturedAt: "desc" }, take: 1 },
      },
    });
    const visibleCount = rows.length < SEARCH_LIMIT ? rows.length : await tx.patient.count({ where: { AND: [where, visible] } });
    const total = await tx.patient.count({ where });
    await recordAudit(tx, {
      actor: { userId: actor.userId, name: actor.name, profession: actor.profession, facilityId: actor.facilityId },
      action: "PATIENT_SEARCH",
      outcome: "SUCCESS",
      purpose: "TREATMENT",
      at,
      detail: { q, birthDate, hits: rows.length },
    });
    const hits: PatientHit[] = rows.map((p) => {
      const c = p.consents[0];
      const consented = c && c.status === "ACTIVE" && (!c.expiresAt || c.expiresAt > at);
      return {
        ...patientBasics(p),
        access: consented ? "CONSENTED" : "OWN_PATIENT",
      };
    });
    // the others are those without consent, not those past the list's end
    return { hits, visibleCount, othersCount: Math.max(0, total - visibleCount) };
  });
}
