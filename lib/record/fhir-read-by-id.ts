import { getDb } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { Actor } from "../auth/actor";
import type { RecordKind } from "../format/record-kinds";
import type { Resource } from "../interop/fhir/write-common";
import { pageRequest, readGuardedPage, type RecordSelection } from "./export";
import { searchSelection, type SearchType } from "./fhir-search";
import { resourcesOf } from "./kinds";

/**
 * GET {type}/{id}: one resource, read as the type's search reads it (lib/record/fhir-search.ts) with
 * the selection narrowed to that id. So the same decision (consent, profession, withheld categories,
 * under break-glass the emergency dataset) and the same audit ("fhir-read") apply, through
 * readGuardedPage. An id that names no record, and a record the decision does not let out, are both
 * null: a withheld record cannot be told from an unknown one. A refused patient is refused (403) as
 * the search is.
 */

/** A FHIR id as Tsunagu writes them (write-common fhirId); anything else names no record. */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

/** The selection's condition on each of its kinds, AND the resource's id (a drug's or a checkup item's where the row has items). */
function narrowedTo(sel: RecordSelection, id: string): RecordSelection {
  const narrow: Partial<Record<RecordKind, Prisma.Sql>> = {};
  for (const kind of sel.kinds) {
    const own = Prisma.sql`${resourcesOf(kind).id} = ${id}`;
    const asked = sel.narrow?.[kind];
    narrow[kind] = asked ? Prisma.sql`(${asked}) AND ${own}` : own;
  }
  return { ...sel, narrow, withPatient: false, includePatient: false };
}

/**
 * The patient whose record holds this resource, before any decision (as the search by identifier finds
 * its candidates): ids are the importers' and unique per resource, so one at most. Null for an id that
 * names no record of the type.
 */
export async function patientOfResource(type: SearchType, id: string): Promise<string | null> {
  if (!FHIR_ID.test(id)) return null;
  const sel = narrowedTo(searchSelection(type), id);
  const perKind = sel.kinds.map((k) => Prisma.sql`(SELECT t."patientId" AS "patientId" ${resourcesOf(k).from} WHERE ${sel.narrow![k]!} LIMIT 1)`);
  const db = await getDb();
  const rows = await db.$queryRaw<{ patientId: string }[]>(Prisma.sql`SELECT "patientId" FROM (${Prisma.join(perKind, " UNION ALL ")}) found LIMIT 1`);
  return rows[0]?.patientId ?? null;
}

/** The resource of this patient's record, as this clinician may see it (decided and audited), or null when there is none they may see. */
export async function readResourceById(actor: Actor, patientId: string, type: SearchType, id: string): Promise<Resource | null> {
  const page = await readGuardedPage(actor, patientId, { what: "fhir-read", asked: { type, id }, selection: narrowedTo(searchSelection(type), id), page: pageRequest({ _count: 2 }), purpose: "UNSTATED" });
  return page.resources.find((r) => r.resourceType === type && r.id === id) ?? null;
}
