// `npm run dev` / `npm start`: check the configuration, apply migrations, seed the demo network (dev
// only), then hand over to Next.js. Each step runs in its own process and closes the database before the
// server opens it (embedded PGlite allows one process).
// Only `npm run dev` seeds, and only an empty database on this machine (scripts/seed.ts --auto decides):
// the demo accounts share a published password, so `npm start` never creates them, whatever NODE_ENV
// says, and a production server refuses to start while one exists (lib/startup, from instrumentation.ts).
import { spawn, spawnSync } from "node:child_process";
import { SERVER_NODE_FLAGS } from "./server-node-flags.mjs";

const mode = process.argv[2] === "start" ? "start" : "dev";
const tsx = ["--import", "tsx"];

function step(script, args = []) {
  const r = spawnSync(process.execPath, [...tsx, script, ...args], { stdio: "inherit", env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

step("scripts/check-env.ts");
step("scripts/migrate.ts");
step("scripts/seed.ts", ["--auto", mode]);

const port = process.env.PORT ?? "3000";
// The heap settings the server is measured with (scripts/server-node-flags.mjs). `next dev` runs the
// app in a child it starts with this process's flags in NODE_OPTIONS, where Node refuses any flag not
// in allowedNodeEnvironmentFlags (--heap-growing-percent is not), and the child exits before it
// listens: the dev server keeps only the flags NODE_OPTIONS allows.
const flags = mode === "dev" ? SERVER_NODE_FLAGS.filter((f) => process.allowedNodeEnvironmentFlags.has(f.split("=")[0])) : SERVER_NODE_FLAGS;
// next-auth builds its redirects (the one after ログアウト) on NEXTAUTH_URL, and without it on port 3000:
// a dev server on another PORT sent the browser to a port nothing listens on. Production must set it
// (lib/env refuses to start without it).
const env = mode === "dev" && !process.env.NEXTAUTH_URL ? { ...process.env, NEXTAUTH_URL: `http://localhost:${port}` } : process.env;
const child = spawn(process.execPath, [...flags, "node_modules/next/dist/bin/next", mode, "-p", port], { stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
