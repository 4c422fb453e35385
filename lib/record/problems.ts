import { Prisma, type Condition } from "../db/generated/client";

/**
 * A condition that is still going on: no end date and no outcome (転帰). A source may say a condition
 * is resolved without saying when (FHIR clinicalStatus resolved, no abatement): it is history, not a
 * current problem, even without an end date. The one definition every current-problem list uses.
 */
export const ONGOING = { endedAt: null, outcome: null } as const;
export const isOngoing = (c: { endedAt: Date | null; outcome: string | null }) => c.endedAt === null && c.outcome === null;
/** The same in raw SQL, on a Condition table's alias. */
export const ongoingSql = (alias: string) => Prisma.raw(`${alias}."endedAt" IS NULL AND ${alias}.outcome IS NULL`);

/** One active problem, merged across the facilities that record it. */
export interface Problem {
  /** the most recent record's id */
  id: string;
  display: string;
  icd10: string | null;
  code: string;
  codeSystem: string;
  /** the earliest onset any facility recorded */
  since: string;
  /** how much of `since` the source gave (YEAR, MONTH, NONE), null for a day */
  sincePrecision: string | null;
  /** suspected only while no facility has confirmed it */
  suspected: boolean;
  major: boolean;
  /** every facility recording it, the most recent first */
  facilityIds: string[];
  /** a facility says the patient has not been told (未告知): whoever reads it must not tell them by accident */
  uninformed: boolean;
}

/**
 * Active conditions as a problem list: the same diagnosis (same code in the same system) recorded by
 * several facilities is one line naming them all — a clinician reads "本態性高血圧症" once, with where it
 * is treated, not once per hospital. Order is kept: the input's first record of each problem decides its
 * place (major first, then most recent).
 */
export function mergeProblems(conditions: readonly Condition[]): Problem[] {
  const byCode = new Map<string, Problem>();
  for (const c of conditions) {
    const key = `${c.codeSystem}|${c.code}`;
    const seen = byCode.get(key);
    if (!seen) {
      byCode.set(key, {
        id: c.id,
        display: c.display,
        icd10: c.icd10,
        code: c.code,
        codeSystem: c.codeSystem,
        since: c.occurredAt.toISOString(),
        sincePrecision: c.occurredPrecision,
        suspected: c.suspected,
        major: c.major,
        facilityIds: [c.facilityId],
        uninformed: c.uninformed,
      });
      continue;
    }
    // an onset nobody gave (NONE) never stands for the earliest one
    if (c.occurredPrecision !== "NONE" && (seen.sincePrecision === "NONE" || c.occurredAt.toISOString() < seen.since)) {
      seen.since = c.occurredAt.toISOString();
      seen.sincePrecision = c.occurredPrecision;
    }
    seen.suspected &&= c.suspected;
    seen.major ||= c.major;
    seen.icd10 ??= c.icd10;
    // one facility's 未告知 holds for the line: telling the patient is what must not happen by accident
    seen.uninformed ||= c.uninformed;
    if (!seen.facilityIds.includes(c.facilityId)) seen.facilityIds.push(c.facilityId);
  }
  return [...byCode.values()];
}
