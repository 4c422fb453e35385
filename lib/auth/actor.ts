import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { getDb } from "../db/client";
import { now } from "../clock";
import { authOptions, ABSOLUTE_SECONDS } from "./options";
import type { Profession } from "../access/decide";

/** The signed-in user as every lib/* call receives it: always re-read from the database. */
export interface Actor {
  userId: string;
  name: string;
  profession: Profession;
  facilityId: string;
  facilityName: string;
  facilityStatus: "ACTIVE" | "SUSPENDED";
  facilityViews: boolean;
  facilityCanBreakGlass: boolean;
  active: boolean;
  credentialVerified: boolean;
}

/**
 * The actor of this request, or null. The session cookie only names the user; whether they may still
 * act (deactivated, facility suspended, sessions revoked, absolute lifetime over) is decided here, on
 * every request, from the database.
 */
export async function currentActor(): Promise<Actor | null> {
  const session = await getServerSession(authOptions);
  const userId = session?.userId;
  const loginAt = session?.loginAt;
  if (!userId || typeof loginAt !== "number") return null;
  const t = now().getTime();
  if (t - loginAt * 1000 > ABSOLUTE_SECONDS * 1000) return null;
  const db = await getDb();
  const u = await db.user.findUnique({
    where: { id: userId },
    include: { facility: { select: { name: true, status: true, views: true, canBreakGlass: true } } },
  });
  if (!u || !u.active || u.facility.status !== "ACTIVE") return null;
  if (u.sessionsValidAfter.getTime() > loginAt * 1000 + 999) return null;
  return {
    userId: u.id,
    name: u.name,
    profession: u.profession,
    facilityId: u.facilityId,
    facilityName: u.facility.name,
    facilityStatus: u.facility.status,
    facilityViews: u.facility.views,
    facilityCanBreakGlass: u.facility.canBreakGlass,
    active: u.active,
    credentialVerified: u.credentialVerifiedAt !== null,
  };
}

/** Guard for pages and actions: the actor, or a redirect to the login page. Never returns without one. */
export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  return actor;
}
