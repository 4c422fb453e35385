/**
 * `$everything` for the heavy patient, as the bench's data-function section measures it: the first
 * page (_count=100) against the same statements replayed by hand (its floor), and the whole record
 * page by page — time, resources/s and how far the process's memory grew (flat means it streams).
 */
import type { SqlClient } from "./database";
import type { Actor } from "../lib/auth/actor";
import { captureStatements } from "./plans";
import { replayReads, type FloorActor } from "./floor";
import { summarize, type Summary } from "./stats";

export interface EverythingFigures {
  firstPage: Summary & { resources: number; statements: number | null };
  /** null on the embedded database: nothing beside the app's own client can send statements to it */
  firstPageReplayed: Summary | null;
  ratio: number | null;
  whole: Summary & { pages: number; resources: number; resourcesPerS: number; heapGrowthMb: number };
}

const PAGE = 100;

export async function measureEverything(client: SqlClient | null, actor: Actor & FloorActor, patientId: string, iterations: number): Promise<EverythingFigures> {
  const { getExportPage } = await import("../lib/record/export");
  const first = () => getExportPage(actor, patientId, { _count: PAGE });
  const { value: page, sent } = await captureStatements(first);
  // on PGlite the capture sees nothing (it listens on node-postgres): the count is then null
  const firstTimes: number[] = [];
  const replayTimes: number[] = [];
  for (let i = 0; i < iterations; i++) {
    let s = performance.now();
    await first();
    firstTimes.push(performance.now() - s);
    if (!client) continue;
    s = performance.now();
    await replayReads(client, sent, actor, patientId);
    replayTimes.push(performance.now() - s);
  }
  const firstPage = summarize(firstTimes);
  const firstPageReplayed = client ? summarize(replayTimes) : null;

  // the whole record, a page at a time, as a client following link[next] would; heap sampled per page
  const wholeTimes: number[] = [];
  let pages = 0;
  let resources = 0;
  let heapGrowth = 0;
  for (let i = 0; i < Math.max(3, Math.ceil(iterations / 20)); i++) {
    const heap0 = process.memoryUsage().heapUsed;
    const s = performance.now();
    pages = 0;
    resources = 0;
    for (let cursor: string | null = null; ; ) {
      const p: { resources: unknown[]; next: string | null } = await getExportPage(actor, patientId, { _count: PAGE, ...(cursor ? { cursor } : {}) });
      pages++;
      resources += p.resources.length;
      heapGrowth = Math.max(heapGrowth, process.memoryUsage().heapUsed - heap0);
      if (!p.next) break;
      cursor = p.next;
    }
    wholeTimes.push(performance.now() - s);
  }
  const whole = summarize(wholeTimes);
  return {
    firstPage: { ...firstPage, resources: page.resources.length, statements: client ? sent.length : null },
    firstPageReplayed,
    ratio: firstPageReplayed ? Math.round((firstPage.p50 / firstPageReplayed.p50) * 100) / 100 : null,
    whole: { ...whole, pages, resources, resourcesPerS: Math.round(resources / (whole.p50 / 1000)), heapGrowthMb: Math.round(heapGrowth / 1048576) },
  };
}
