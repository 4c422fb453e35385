import { auditActorOf, recordAudit } from "../audit";
import type { Actor } from "../auth/actor";
import { withFacilityAdmin } from "./guard";

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * One facility as its administration page shows it: the details the edit form starts from, what a
 * suspension would stop (users, open sessions, live push keys), and every key with its last use.
 * The read is audited.
 */
export async function getFacility(actor: Actor, facilityId: string) {
  return withFacilityAdmin(actor, {
    kind: "VIEW_ONE",
    facilityId,
    work: async (tx, at, f) => {
      const [activeUsers, openSessions, keys] = await Promise.all([
        tx.user.count({ where: { facilityId, active: true } }),
        tx.session.count({ where: { endedAt: null, user: { facilityId } } }),
        tx.facilityApiKey.findMany({ where: { facilityId }, orderBy: { createdAt: "desc" }, select: { id: true, createdAt: true, createdBy: true, revokedAt: true, revokedBy: true, lastUsedAt: true } }),
      ]);
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
        },
        effect: { activeUsers, openSessions, liveKeys: keys.filter((k) => !k.revokedAt).length },
        keys: keys.map((k) => ({ id: k.id, createdAt: k.createdAt.toISOString(), createdBy: k.createdBy, revokedAt: iso(k.revokedAt), revokedBy: k.revokedBy, lastUsedAt: iso(k.lastUsedAt) })),
      };
    },
  });
}
export type FacilityPage = Awaited<ReturnType<typeof getFacility>>;
