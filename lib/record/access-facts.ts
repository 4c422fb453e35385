import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import { headerColumns, type HeaderRow } from "./identity";
import type { ConsentFact, GrantFact, Profession, Scope, Sensitivity } from "../access/decide";

/** A consent as the guard reads it: the facts decide() weighs, and its id (a self-recorded consent is flagged). */
/** useFlagged: its use was flagged for review already (Consent.selfUseAt) */
export type GuardConsent = ConsentFact & { id: string; capturedById: string; useFlagged: boolean };

/** What lib/access decides an audited read on, read for one patient and one user. */
export interface AccessFactsRead {
  /** every facility's consents: their withheld categories hold under break-glass */
  consents: GuardConsent[];
  /** this user's break-glass grants for the patient */
  grants: GrantFact[];
  /** facilities suspended with their records withheld: read every time, so the administrator's choice holds from the next read on */
  withheldFacilities: string[];
  /** the patient's header row, when asked for (a page that shows the header) */
  header: HeaderRow | null;
}

interface Row extends Partial<Omit<HeaderRow, "links">> {
  links?: string | HeaderRow["links"];
  consents: string | RawConsent[];
  grants: string | RawGrant[];
  withheld: string[];
}
type Stamp = string | null;
interface RawConsent { id: string; facilityId: string; scope: Scope; status: "ACTIVE" | "WITHDRAWN"; expiresAt: Stamp; withheldCategories: Sensitivity[]; capturedAt: string; capturedById: string; capturedByProfession?: Profession; useFlagged: boolean }
interface RawGrant { userId: string; patientId: string; startedAt: string; expiresAt: string; endedAt: Stamp }

/** json renders a timestamp without time zone as ISO text without an offset; Prisma stores UTC. */
const utc = (s: string) => new Date(`${s}Z`);
const utcOrNull = (s: Stamp) => (s === null ? null : utc(s));
// json arrives parsed from node-postgres and as text from PGlite's driver adapter
const parsed = <T>(v: string | T[]): T[] => (typeof v === "string" ? (JSON.parse(v) as T[]) : v);

/**
 * The patient's consents, this user's grants and the network's withheld facilities, in one statement
 * (each read apart, they were three round trips before every audited read); with the patient's header
 * row when the page shows it. Null: no such patient.
 */
export async function readAccessFacts(tx: Tx, patientId: string, userId: string, withHeader = false): Promise<AccessFactsRead | null> {
  const [row] = await tx.$queryRaw<Row[]>(Prisma.sql`
    SELECT
      COALESCE((SELECT json_agg(json_build_object('id', c.id, 'facilityId', c."facilityId", 'scope', c.scope, 'status', c.status, 'expiresAt', c."expiresAt",
                 'withheldCategories', c."withheldCategories", 'capturedAt', c."capturedAt", 'capturedById', c."capturedById",
                 'capturedByProfession', (SELECT u.profession FROM "User" u WHERE u.id = c."capturedById"), 'useFlagged', c."selfUseAt" IS NOT NULL))
                FROM "Consent" c WHERE c."patientId" = p.id), '[]') AS consents,
      COALESCE((SELECT json_agg(json_build_object('userId', g."userId", 'patientId', g."patientId", 'startedAt', g."startedAt", 'expiresAt', g."expiresAt", 'endedAt', g."endedAt"))
                FROM "BreakGlass" g WHERE g."patientId" = p.id AND g."userId" = ${userId}), '[]') AS grants,
      ARRAY(SELECT f.id FROM "Facility" f WHERE f."recordsWithheld" ORDER BY f.id) AS withheld
      ${withHeader ? Prisma.sql`, ${headerColumns}` : Prisma.empty}
    FROM "Patient" p WHERE p.id = ${patientId}`);
  if (!row) return null;
  const { consents, grants, withheld, links, ...patient } = row;
  return {
    header: withHeader ? ({ ...patient, links: parsed(links!) } as HeaderRow) : null,
    consents: parsed(consents).map((c) => ({ ...c, expiresAt: utcOrNull(c.expiresAt), capturedAt: utc(c.capturedAt) })),
    grants: parsed(grants).map((g) => ({ ...g, startedAt: utc(g.startedAt), expiresAt: utc(g.expiresAt), endedAt: utcOrNull(g.endedAt) })),
    withheldFacilities: [...withheld],
  };
}
