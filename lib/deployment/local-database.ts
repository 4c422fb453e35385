import { isLoopbackHost } from "../env";

/**
 * Whether the database is on this machine: embedded PGlite (no DATABASE_URL), or PostgreSQL reached
 * over loopback or a Unix socket. `npm run dev` seeds demo accounts with a published password only into
 * such a database, so a developer's shell that still points at a shared server cannot plant them there.
 * A socket is a host that is a directory (`?host=/var/run/postgresql`) or no host at all.
 */
export function isLocalDatabase(databaseUrl: string | undefined): boolean {
  if (!databaseUrl) return true;
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return false; // not clearly local, then
  }
  // node-postgres lets ?host= override the authority, so that is the host it will really reach
  const host = url.searchParams.get("host") ?? url.hostname;
  return host === "" || host.startsWith("/") || isLoopbackHost(host);
}

/**
 * Why the automatic demo seed of `npm run dev` / `npm start` does not run here, or null when it does.
 * Only `dev` seeds, and only a database on this machine: the demo accounts share a published password,
 * so a server started with `npm start` (whatever NODE_ENV says) or a developer's shell still pointing at
 * a shared server must never get them. An explicit `npm run db:seed` is not automatic and not decided here.
 */
export function autoSeedSkipReason(mode: "dev" | "start", config: { DATABASE_URL?: string; TSUNAGU_SEED?: string }): string | null {
  if (mode !== "dev") return "`npm start` never seeds the demo network";
  if (config.TSUNAGU_SEED === "0") return "TSUNAGU_SEED=0";
  if (!isLocalDatabase(config.DATABASE_URL)) return "DATABASE_URL is not on this machine (localhost, 127.0.0.1, ::1 or a socket); run `npm run db:seed` to seed it on purpose";
  return null;
}
