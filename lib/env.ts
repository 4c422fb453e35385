import { z } from "zod";
import { parseIpRanges, type IpRanges } from "./http/ip-ranges";

/** TSUNAGU_TRUSTED_PROXIES: the proxies whose X-Forwarded-For is believed (none by default). */
const trustedProxies = z
  .string()
  .default("")
  .transform((text, ctx): IpRanges => {
    const r = parseIpRanges(text);
    if ("ranges" in r) return r.ranges;
    ctx.addIssue({ code: "custom", message: `must be a list of IP addresses or CIDR ranges (e.g. "10.0.0.5, 10.1.0.0/16"); "${r.invalid}" is neither` });
    return z.NEVER;
  });

/**
 * The one place configuration is read. A bad configuration stops the process with one line that
 * says what to set, rather than a stack trace from deep inside a driver.
 */
const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, "must be a PostgreSQL URL (postgresql://user:pass@host:5432/db), or unset for embedded PGlite")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /**
     * PostgreSQL only: the owner role's URL, used by migrations alone. The app (DATABASE_URL) then
     * connects as a role the migrate step grants only INSERT and SELECT on the audit table.
     */
    TSUNAGU_MIGRATION_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, "must be a PostgreSQL URL of the role that owns the tables (postgresql://owner:pass@host:5432/db)")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /**
     * PostgreSQL only: a read replica (hot standby) that the viewers' reads of clinical records go
     * to; decisions, audit writes and anything that must see its own writes stay on DATABASE_URL
     */
    DATABASE_REPLICA_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, "must be a PostgreSQL URL of a read replica of DATABASE_URL (postgresql://user:pass@replica:5432/db)")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    PGLITE_DIR: z.string().min(1).default(".data/pglite"),
    /** PostgreSQL connections per server process (node-postgres pool); PGlite has one */
    TSUNAGU_DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
    /**
     * how long a request waits for a connection to start its transaction before it fails (ms): a
     * bounded wait, so a burst beyond the pool fails fast instead of piling up
     */
    TSUNAGU_DB_TX_WAIT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
    /**
     * requests already waiting for a connection beyond which a new one is answered 503 Retry-After at
     * once (proxy.ts, lib/db/pressure.ts): the bounded queue
     */
    TSUNAGU_DB_QUEUE_MAX: z.coerce.number().int().min(1).max(10_000).default(40),
    /** the longest an interactive transaction may run before it is rolled back (ms) */
    TSUNAGU_DB_TX_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(5000),
    NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    NEXTAUTH_URL: z.url("must be a URL such as http://localhost:3000").optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /** how long a break-glass grant lasts */
    TSUNAGU_BREAK_GLASS_HOURS: z.coerce.number().min(0.25).max(24).default(4),
    /** the HMAC key of the audit checkpoints; without it a rewritten chain would re-hash cleanly */
    TSUNAGU_AUDIT_KEY: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
    /** the append-only JSON-lines file the keyed checkpoints go to, outside the database */
    TSUNAGU_AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
    /** a checkpoint after this many events (and at least hourly while events are written) */
    TSUNAGU_AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).max(1_000_000).default(1000),
    /** how long after an audit event the checkpoint check waits, so that the event's transaction has committed */
    TSUNAGU_AUDIT_CHECKPOINT_SETTLE_MS: z.coerce.number().int().min(10).max(3_600_000).default(200),
    /**
     * the most rows one audit export may hold; a larger export is refused whole (narrow the filters),
     * never sent cut short. It streams, so the bound is for the reader's tools, not the server's memory
     */
    TSUNAGU_AUDIT_EXPORT_MAX_ROWS: z.coerce.number().int().min(1).max(50_000_000).default(1_000_000),
    /** end-to-end tests only: lets the tests move the server's clock (session expiry without sleeping) */
    TSUNAGU_TEST_CLOCK: z.enum(["0", "1"]).default("0"),
    /** reverse proxies / load balancers in front of the app: only their X-Forwarded-For is believed */
    TSUNAGU_TRUSTED_PROXIES: trustedProxies,
    /** `1`: the operator accepts embedded PGlite in production (one process on one machine; see README) */
    TSUNAGU_EMBEDDED_PRODUCTION: z.enum(["0", "1"]).default("0"),
  })
  .superRefine((env, ctx) => {
    // A movable clock would defeat every expiry; tie it to a throw-away end-to-end database so a real
    // deployment cannot switch it on by accident.
    if (env.TSUNAGU_TEST_CLOCK === "1" && !isE2eDatabase(env)) {
      ctx.addIssue({ code: "custom", path: ["TSUNAGU_TEST_CLOCK"], message: "is only allowed on an end-to-end test database (PGlite directory …/e2e or a database named *_e2e)" });
    }
    if (env.NODE_ENV === "production" && !env.NEXTAUTH_SECRET && process.env.NEXT_PHASE !== "phase-production-build") {
      ctx.addIssue({ code: "custom", path: ["NEXTAUTH_SECRET"], message: "is required in production (e.g. `openssl rand -base64 32`)" });
    }
    if (env.DATABASE_REPLICA_URL && !env.DATABASE_URL) {
      ctx.addIssue({ code: "custom", path: ["DATABASE_REPLICA_URL"], message: "needs DATABASE_URL: a replica is of a PostgreSQL primary (embedded PGlite has none)" });
    }
    if (env.TSUNAGU_MIGRATION_DATABASE_URL) {
      const owner = new URL(env.TSUNAGU_MIGRATION_DATABASE_URL);
      const app = env.DATABASE_URL ? new URL(env.DATABASE_URL) : undefined;
      // Migrating one database and serving another would leave the served one without its grants.
      if (!app || owner.host !== app.host || owner.pathname !== app.pathname) {
        ctx.addIssue({ code: "custom", path: ["TSUNAGU_MIGRATION_DATABASE_URL"], message: "must name the same host and database as DATABASE_URL (only the role differs)" });
      }
    }
    if (env.NODE_ENV === "production" && !env.TSUNAGU_AUDIT_KEY && process.env.NEXT_PHASE !== "phase-production-build") {
      ctx.addIssue({ code: "custom", path: ["TSUNAGU_AUDIT_KEY"], message: "is required in production: it keys the audit checkpoints (e.g. `openssl rand -base64 32`)" });
    }
    // `next build` runs with NODE_ENV=production but serves nothing: the rules below are for a server.
    if (env.NODE_ENV !== "production" || process.env.NEXT_PHASE === "phase-production-build") return;
    // PGlite is one process holding one directory, and its only role is a superuser: there is no
    // second server behind a load balancer and no least-privileged role for the audit trail. Fine for a
    // single clinic machine, wrong for a network, so production must say it means it.
    if (!env.DATABASE_URL && env.TSUNAGU_EMBEDDED_PRODUCTION !== "1") {
      ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "is required in production (PostgreSQL); embedded PGlite is for one process on one machine — set TSUNAGU_EMBEDDED_PRODUCTION=1 only if that is really what you run" });
    }
    // Sign-in callbacks, cookies marked Secure and HSTS all follow the public URL; plain http would send
    // passwords and session cookies in the clear. Only a browser on the same machine is exempt.
    if (!env.NEXTAUTH_URL) {
      ctx.addIssue({ code: "custom", path: ["NEXTAUTH_URL"], message: "is required in production: the public https:// URL users open" });
    } else if (!isHttpsOrLocalhost(env.NEXTAUTH_URL)) {
      ctx.addIssue({ code: "custom", path: ["NEXTAUTH_URL"], message: "must be https:// in production (plain http only for localhost)" });
    }
  });

/**
 * A throw-away end-to-end test database: a PGlite directory named `e2e`, or a PostgreSQL database
 * named `*_e2e` (scripts/e2e-server.mjs makes them). Test-only switches are allowed only there.
 */
export function isE2eDatabase(env: { DATABASE_URL?: string; PGLITE_DIR: string }): boolean {
  return env.DATABASE_URL ? /_e2e$/.test(new URL(env.DATABASE_URL).pathname) : /(^|\/)e2e$/.test(env.PGLITE_DIR);
}

/**
 * The benchmark's and the soak's throw-away database: `*_bench` or `*_soak` on this machine, which
 * `npm run bench` and `npm run soak` drop, recreate and seed with the demo network before serving it
 * with a production build. A real deployment would have to name its database so and run it on
 * localhost to be mistaken for one.
 */
export function isBenchDatabase(env: { DATABASE_URL?: string }): boolean {
  if (!env.DATABASE_URL) return false;
  const u = new URL(env.DATABASE_URL);
  return /_(bench|soak)$/.test(u.pathname) && isLoopbackHost(u.hostname);
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
/** Whether a host name is this machine's own loopback (the URL parser keeps IPv6 in brackets). */
export const isLoopbackHost = (host: string) => LOOPBACK_HOSTS.has(host.toLowerCase());

function isHttpsOrLocalhost(url: string): boolean {
  const u = new URL(url);
  return u.protocol === "https:" || (u.protocol === "http:" && isLoopbackHost(u.hostname));
}

/** Whether the public URL is https (then the browser is told to use nothing else: HSTS). */
export const publicUrlIsHttps = (url: string | undefined) => !!url && new URL(url).protocol === "https:";

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const r = schema.safeParse(source);
  if (!r.success) {
    const first = r.error.issues[0]!;
    throw new ConfigError(`Tsunagu configuration error: set ${first.path.join(".")} — it ${first.message}`);
  }
  return r.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Reads the environment again at the next env(): for a test that moves to a second database (tests/helpers/db.ts). */
export function forgetEnv(): void {
  cached = undefined;
}

/** The secret next-auth signs sessions with. Development falls back to a fixed, clearly-non-secret value. */
export function authSecret(): string {
  return env().NEXTAUTH_SECRET ?? "tsunagu-development-secret-not-for-production";
}

/** The audit checkpoints' HMAC key. Development falls back to a fixed, clearly-non-secret value. */
export function auditKey(): string {
  return env().TSUNAGU_AUDIT_KEY ?? "tsunagu-development-audit-key-not-for-production";
}

/**
 * Where the keyed audit checkpoints go. By default one file per database under .data/, so that the
 * embedded, e2e and PostgreSQL databases of one checkout never verify against each other's checkpoints.
 */
export function auditCheckpointFile(e: Env = env()): string {
  if (e.TSUNAGU_AUDIT_CHECKPOINT_FILE) return e.TSUNAGU_AUDIT_CHECKPOINT_FILE;
  const name = e.DATABASE_URL ? `postgresql-${new URL(e.DATABASE_URL).pathname.slice(1)}` : `pglite-${e.PGLITE_DIR.replace(/[\\/]+$/, "").split(/[\\/]/).pop()}`;
  return `.data/audit-checkpoints/${name.replace(/[^\w.-]/g, "_")}.jsonl`;
}

/** Whether the end-to-end tests may move this server's clock (lib/clock). */
export const testClockEnabled = () => env().TSUNAGU_TEST_CLOCK === "1";

/** The most rows an audit export may hold (TSUNAGU_AUDIT_EXPORT_MAX_ROWS). */
export const auditExportMaxRows = () => env().TSUNAGU_AUDIT_EXPORT_MAX_ROWS;
