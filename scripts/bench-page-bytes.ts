// npm run bench -- --page-bytes [--build] [--save DIR]
//
// Where the 統合ビュー's bytes go, for the heavy bench patient (20 years, > 5,000 records) and a demo
// patient: the HTML itself, the React flight data (self.__next_f.push scripts, the props the client
// components hydrate from), the class attributes, and the longest repeated strings. Bytes are
// deterministic, unlike timings: a change's effect shows exactly, on any machine. On DATABASE_URL's
// server, a fresh "<db>_pages_bench" database with the demo network and the heavy patient.
// The last line is `BENCH {json}`.
import fs from "node:fs";
import path from "node:path";
import { HEAVY_ID, HEAVY_NAME } from "../bench/heavy";
import { prepareBenchDatabase, SEEDED_PATIENTS } from "../bench/setup";
import { ensureBuild, freePort, login, startServer } from "../bench/http";

const DEMO_PATIENT = "pat-0001";

/** The page split into what the browser renders and what React hydrates from. */
export function pageParts(html: string) {
  const flight = [...html.matchAll(/<script[^>]*>self\.__next_f\.push\((.*?)\)<\/script>/gs)].reduce((n, m) => n + Buffer.byteLength(m[0]), 0);
  const classes = [...html.matchAll(/ class="[^"]*"/g)].reduce((n, m) => n + Buffer.byteLength(m[0]), 0);
  const otherScripts = [...html.matchAll(/<script\b[^>]*>.*?<\/script>/gs)].reduce((n, m) => n + Buffer.byteLength(m[0]), 0) - flight;
  const total = Buffer.byteLength(html);
  return { total, flight, html: total - flight - otherScripts, otherScripts, classes };
}

/** The class attributes that cost the most in all (value × times used): what a shared component or shorter class list would save. */
function topClasses(html: string, n: number) {
  const counts = new Map<string, number>();
  for (const m of html.matchAll(/ class="([^"]*)"/g)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  return [...counts]
    .map(([c, k]) => ({ cls: c.slice(0, 70), times: k, bytes: k * (c.length + 9) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, n);
}

export async function benchPageBytes(args: string[]): Promise<number> {
  if (!process.env.DATABASE_URL) {
    console.error("npm run bench -- --page-bytes needs DATABASE_URL (a PostgreSQL server it may create a database on)");
    return 2;
  }
  const { url } = await prepareBenchDatabase({ suffix: "pages_bench", patients: SEEDED_PATIENTS + 1, heavy: true });
  const env = { ...process.env, DATABASE_URL: url, NODE_ENV: "production" as const };
  const built = await ensureBuild(args.includes("--build"), env);
  if (built) console.log(`next build: ${built.toFixed(1)} s`);
  const port = await freePort(Number(process.env.BENCH_PORT ?? 3260));
  const server = await startServer(port, { ...env, NEXTAUTH_SECRET: "bench-secret-not-for-production-use", TSUNAGU_AUDIT_KEY: "bench-audit-key-not-for-production-use", PORT: String(port), NEXTAUTH_URL: `http://localhost:${port}` });
  try {
    const cookie = await login(server.url, "doctor1", "Tsunagu-demo-2026");
    const result: Record<string, ReturnType<typeof pageParts>> = {};
    for (const [label, id, name] of [["heavy", HEAVY_ID, HEAVY_NAME.familyName], ["demo", DEMO_PATIENT, ""]] as const) {
      const res = await fetch(`${server.url}/patients/${id}`, { headers: { cookie }, redirect: "manual" });
      const html = await res.text();
      if (res.status !== 200 || (name && !html.includes(name))) throw new Error(`GET /patients/${id} answered ${res.status}: not the integrated view`);
      const p = (result[label] = pageParts(html));
      const dir = args.includes("--save") ? args[args.indexOf("--save") + 1] : undefined;
      if (dir) fs.writeFileSync(path.join(dir, `${label}.html`), html);
      console.log(`${label} patient /patients/${id}: ${p.total.toLocaleString("en-US")} bytes — HTML ${p.html.toLocaleString("en-US")} (class attributes ${p.classes.toLocaleString("en-US")}), flight data ${p.flight.toLocaleString("en-US")}, other scripts ${p.otherScripts.toLocaleString("en-US")}`);
      if (label === "heavy") for (const c of topClasses(html, 8)) console.log(`    ${String(c.bytes).padStart(7)} B  ${String(c.times).padStart(4)}×  ${c.cls}`);
    }
    console.log(`BENCH ${JSON.stringify({ mode: "page-bytes", ...result, at: new Date().toISOString() })}`);
    return 0;
  } finally {
    await server.stop();
  }
}
