/**
 * The screens' reads, in process, through the lib/record functions the pages call (grep app/ for them):
 * patient search, the 統合ビュー's first screen, the timeline's next page, the lab trend, the medication
 * history and the emergency page. Each is timed for the heavy patient (the worst case) and over the
 * many-patient mix (a fixed pseudo-random walk, so no one record stays hot), and, on PostgreSQL, against
 * the statements it sent for the heavy patient replayed by hand (bench/floor.ts replayReads): the
 * database's cost of exactly what the app asks, the floor its ratio is taken against.
 */
import type { Actor } from "../lib/auth/actor";
import { captureStatements } from "./plans";
import { replayReads, type FloorActor } from "./floor";
import type { SqlClient } from "./database";
import { summarize, type Summary } from "./stats";
import { pathWalker } from "./walk";

export interface ReadFigures {
  heavy: Summary;
  /** the heavy patient's statements by hand (PostgreSQL only) */
  replayed: Summary | null;
  /** heavy ÷ replayed, p50 */
  ratio: number | null;
  statements: number | null;
  /** distinct patients the mix's calls read (for search: distinct names searched for) */
  mix: Summary & { patients: number };
}

/**
 * One read: `prepare` (untimed) returns the call to time for a patient, and what it reads (the patient,
 * or the name searched for) — so that what a call needs first (the next page's cursor) is not counted.
 * `audited` says whether its audit event names the patient (search's names none).
 */
export interface Read {
  name: string;
  prepare(patientId: string, heavy: boolean): Promise<{ call: () => Promise<unknown>; key: string }>;
  audited: "patient" | "none";
}

export async function screenReads(actor: Actor, searchTerms: { heavy: string; mix: readonly string[] }): Promise<Read[]> {
  const r = await import("../lib/record");
  let term = 0;
  return [
    {
      name: "search",
      audited: "none",
      // the heavy case searches for the heavy patient's name; the mix cycles through common family names
      prepare: async (_id, heavy) => {
        const q = heavy ? searchTerms.heavy : searchTerms.mix[term++ % searchTerms.mix.length]!;
        return { call: () => r.searchPatients(actor, { q }), key: q };
      },
    },
    { name: "firstScreen", audited: "patient", prepare: async (id) => ({ call: () => r.getPatientView(actor, id), key: id }) },
    {
      name: "timelineNext",
      audited: "patient",
      // the page after the first screen's; a record that fits one page is read from its start
      prepare: async (id) => {
        const cursor = (await r.getPatientView(actor, id)).timeline.nextCursor;
        return { call: () => r.getTimelinePage(actor, id, cursor ? { cursor } : {}), key: id };
      },
    },
    { name: "labTrend", audited: "patient", prepare: async (id) => ({ call: () => r.getLabTrend(actor, id, {}), key: id }) },
    { name: "medicationHistory", audited: "patient", prepare: async (id) => ({ call: () => r.getMedicationHistory(actor, id, {}), key: id }) },
    { name: "emergency", audited: "patient", prepare: async (id) => ({ call: () => r.getEmergencySummary(actor, id), key: id }) },
  ];
}

const WARMUP = 5;

export async function measureRead(
  read: Read,
  o: { heavyId: string; mix: readonly string[]; iterations: number; floor: { client: SqlClient; actor: FloorActor } | null },
): Promise<ReadFigures> {
  const { call: heavyCall } = await read.prepare(o.heavyId, true);
  for (let i = 0; i < WARMUP; i++) await heavyCall();
  const sent = o.floor ? (await captureStatements(heavyCall)).sent : null;
  const auditPatient = read.audited === "patient" ? o.heavyId : null;
  const walk = pathWalker(o.mix);
  const heavy: number[] = [];
  const replayed: number[] = [];
  const mix: number[] = [];
  const seen = new Set<string>();
  // alternated, so that background load and cache state hit them alike
  for (let i = 0; i < o.iterations; i++) {
    let s = performance.now();
    await heavyCall();
    heavy.push(performance.now() - s);
    if (o.floor && sent) {
      s = performance.now();
      await replayReads(o.floor.client, sent, o.floor.actor, auditPatient);
      replayed.push(performance.now() - s);
    }
    const { call, key } = await read.prepare(walk(), false);
    seen.add(key);
    s = performance.now();
    await call();
    mix.push(performance.now() - s);
  }
  const h = summarize(heavy);
  const rp = replayed.length ? summarize(replayed) : null;
  return {
    heavy: h,
    replayed: rp,
    ratio: rp ? Math.round((h.p50 / rp.p50) * 100) / 100 : null,
    statements: sent ? sent.length : null,
    mix: { ...summarize(mix), patients: seen.size },
  };
}
