/**
 * CPU seconds spent by the web server and by the local PostgreSQL during a load run, from /proc (Linux
 * only; elsewhere, or with a remote database, the numbers are null). On a 2-core machine requests/s is
 * bounded by CPU per request, so this says which side to make cheaper.
 */
import fs from "node:fs";

const TICKS = 100; // USER_HZ on Linux

interface Proc {
  pid: number;
  pgrp: number;
  uid: number;
  /** utime + stime + cutime + cstime, seconds: reaped children (PostgreSQL's parallel workers) count too */
  cpu: number;
  comm: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cpu = (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS;
      out.push({ pid: Number(d), pgrp: Number(f[2]), uid: fs.statSync(`/proc/${d}`).uid, cpu, comm });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

function machine(): { busy: number; total: number } {
  const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0) / TICKS;
  return { busy: total - (f[3]! + f[4]!) / TICKS, total };
}

interface Sample {
  server: number;
  postgres: number;
  busy: number;
  total: number;
}

function sample(serverGroups: readonly number[]): Sample | null {
  if (process.platform !== "linux") return null;
  const ps = processes();
  const m = machine();
  return {
    server: ps.filter((p) => serverGroups.includes(p.pgrp)).reduce((s, p) => s + p.cpu, 0),
    postgres: ps.filter((p) => p.comm === "postgres").reduce((s, p) => s + p.cpu, 0),
    ...m,
  };
}

export interface CpuPerRequest {
  /** ms of CPU per request in the Next.js servers' process groups */
  server: number;
  /** ms per request in all local postgres processes (other users of the server count too) */
  postgres: number | null;
  /** ms per request of the whole machine: server, database, the load generator and anything else running */
  machine: number;
  /** share of all cores busy during the run, % */
  busyPercent: number;
}

/** Start measuring; call the returned function with the number of requests done when the run ends. */
export function cpuMeter(serverGroups: readonly number[]): (requests: number) => CpuPerRequest | null {
  const a = sample(serverGroups);
  return (requests) => {
    const b = sample(serverGroups);
    if (!a || !b || requests === 0) return null;
    const per = (s: number) => Math.round((s * 1000) / requests);
    return {
      server: per(b.server - a.server),
      postgres: b.postgres > 0 ? per(b.postgres - a.postgres) : null,
      machine: per(b.busy - a.busy),
      busyPercent: Math.round(((b.busy - a.busy) / (b.total - a.total)) * 100),
    };
  };
}

/**
 * The peak resident memory (VmHWM, MiB) of the largest process in each process group — `next start`'s
 * group holds the `next` wrapper and the `next-server` that serves, and the latter is what must stay
 * under 1 GiB. Read before the servers stop; null off Linux.
 */
export function peakRssMb(groups: readonly number[]): (number | null)[] {
  if (process.platform !== "linux") return groups.map(() => null);
  const ps = processes();
  return groups.map((g) => {
    let peak: number | null = null;
    for (const p of ps.filter((x) => x.pgrp === g)) {
      try {
        const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${p.pid}/status`, "utf8"))?.[1]);
        if (Number.isFinite(kb)) peak = Math.max(peak ?? 0, Math.round(kb / 1024));
      } catch {
        // exited meanwhile
      }
    }
    return peak;
  });
}
