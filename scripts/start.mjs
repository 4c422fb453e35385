// `npm run dev` / `npm start`: check the configuration, apply migrations, seed the demo network when
// the database is empty (never in production), then hand over to Next.js. Each step runs in its own
// process and closes the database before the server opens it (embedded PGlite allows one process).
import { spawn, spawnSync } from "node:child_process";

const mode = process.argv[2] === "start" ? "start" : "dev";
const tsx = ["--import", "tsx"];

function step(script, args = []) {
  const r = spawnSync(process.execPath, [...tsx, script, ...args], { stdio: "inherit", env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

step("scripts/check-env.ts");
step("scripts/migrate.ts");
if (process.env.NODE_ENV !== "production" && process.env.TSUNAGU_SEED !== "0") step("scripts/seed.ts", ["--if-empty"]);

const port = process.env.PORT ?? "3000";
const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", mode, "-p", port], { stdio: "inherit", env: process.env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
