import { auditActorOf, recordAudit } from "../audit";
import type { Actor } from "../auth/actor";
import { withFacilityAdmin } from "./guard";
import { inTurn } from "../db/in-turn";

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The import log on a facility's page: the latest runs (files and pushes), newest first. */
export const IMPORTS_SHOWN = 20;

/**
 * One facility as its administration page shows it: the details the edit form starts from, what a
 * suspension would stop (users, open sessions, their FHIR API tokens in force, live push keys), every key with its last use, and its
 * latest imports with what was rejected or held and why.
 * The read is audited.
 */
export async function getFacility(actor: Actor, facilityId: string) {
  return withFacilityAdmin(actor, {
    kind: "VIEW_ONE",
    facilityId,
    work: async (tx, at, f) => {
      const [activeUsers, openSessions, liveTokens, keys, imports] = await inTurn(
        () => tx.user.count({ where: { facilityId, active: true } }),
        () => tx.session.count({ where: { endedAt: null, user: { facilityId } } }),
        () => tx.apiToken.count({ where: { revokedAt: null, expiresAt: { gt: at }, user: { facilityId } } }),
        () => tx.facilityApiKey.findMany({ where: { facilityId }, orderBy: { createdAt: "desc" }, select: { id: true, createdAt: true, createdBy: true, revokedAt: true, revokedBy: true, lastUsedAt: true } }),
        () => tx.importLog.findMany({ where: { facilityId }, orderBy: { startedAt: "desc" }, take: IMPORTS_SHOWN }));
      await recordAudit(tx, { actor: auditActorOf(actor), action: "FACILITY_VIEW", outcome: "SUCCESS", purpose: "ADMINISTRATION", at, detail: { what: "facility", facilityId } });
      return {
        facility: {
          id: f.id,
          code: f.code,
          name: f.name,
          nameKana: f.nameKana,
          kind: f.kind,
          prefecture: f.prefecture,
          discloses: f.discloses,
          views: f.views,
          canBreakGlass: f.canBreakGlass,
          status: f.status,
          address: f.address,
          phone: f.phone,
          contactName: f.contactName,
          contactEmail: f.contactEmail,
          joinedOn: f.joinedOn?.toISOString().slice(0, 10) ?? null,
          suspendedAt: iso(f.suspendedAt),
          recordsWithheld: f.recordsWithheld,
        },
        effect: { activeUsers, openSessions, liveTokens, liveKeys: keys.filter((k) => !k.revokedAt).length },
        imports: imports.map((i) => ({
          id: i.id,
          via: i.via,
          by: i.by,
          source: i.source,
          startedAt: i.startedAt.toISOString(),
          finishedAt: iso(i.finishedAt),
          counts: (i.counts ?? {}) as Record<string, number>,
          problems: (Array.isArray(i.problems) ? i.problems : []) as { file: string; reason: string }[],
          warnings: i.warnings,
        })),
        keys: keys.map((k) => ({ id: k.id, createdAt: k.createdAt.toISOString(), createdBy: k.createdBy, revokedAt: iso(k.revokedAt), revokedBy: k.revokedBy, lastUsedAt: iso(k.lastUsedAt) })),
      };
    },
  });
}
export type FacilityPage = Awaited<ReturnType<typeof getFacility>>;
