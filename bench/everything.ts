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

export interface FirstPageFigures {
  firstPage: EverythingFigures["firstPage"];
  firstPageReplayed: Summary | null;
  ratio: number | null;
}

/** The first page (_count=100) timed against the statements it sent, replayed by hand, alternated. */
export async function measureFirstPage(client: SqlClient | null, actor: Actor & FloorActor, patientId: string, iterations: number): Promise<FirstPageFigures> {
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
  return {
    firstPage: { ...firstPage, resources: page.resources.length, statements: client ? sent.length : null },
    firstPageReplayed,
    ratio: firstPageReplayed ? Math.round((firstPage.p50 / firstPageReplayed.p50) * 100) / 100 : null,
  };
}

export interface ExportWalk {
  pages: number;
  resources: number;
  /** wall time of the whole walk, ms */
  ms: number;
  /** each page's wall time, ms, in page order */
  pageTimes: number[];
  /** the most the heap grew over its size at the start, bytes */
  heapGrowth: number;
  /** the largest resident set seen after a page, bytes */
  peakRss: number;
}

/** The whole record, a page at a time, as a client following link[next] would; heap and RSS sampled per page. */
export async function walkExport(actor: Actor, patientId: string, count = PAGE): Promise<ExportWalk> {
  const { getExportPage } = await import("../lib/record/export");
  const heap0 = process.memoryUsage().heapUsed;
  const pageTimes: number[] = [];
  let resources = 0;
  let heapGrowth = 0;
  let peakRss = 0;
  const t0 = performance.now();
  for (let cursor: string | null = null; ; ) {
    const s = performance.now();
    const p: { resources: unknown[]; next: string | null } = await getExportPage(actor, patientId, { _count: count, ...(cursor ? { cursor } : {}) });
    pageTimes.push(performance.now() - s);
    resources += p.resources.length;
    const mem = process.memoryUsage();
    heapGrowth = Math.max(heapGrowth, mem.heapUsed - heap0);
    peakRss = Math.max(peakRss, mem.rss);
    if (!p.next) break;
    cursor = p.next;
  }
  return { pages: pageTimes.length, resources, ms: performance.now() - t0, pageTimes, heapGrowth, peakRss };
}

export async function measureEverything(client: SqlClient | null, actor: Actor & FloorActor, patientId: string, iterations: number): Promise<EverythingFigures> {
  const first = await measureFirstPage(client, actor, patientId, iterations);
  const walks: ExportWalk[] = [];
  for (let i = 0; i < Math.max(3, Math.ceil(iterations / 20)); i++) walks.push(await walkExport(actor, patientId));
  const whole = summarize(walks.map((w) => w.ms));
  const last = walks[walks.length - 1]!;
  const heapGrowth = Math.max(...walks.map((w) => w.heapGrowth));
  return {
    ...first,
    whole: { ...whole, pages: last.pages, resources: last.resources, resourcesPerS: Math.round(last.resources / (whole.p50 / 1000)), heapGrowthMb: Math.round(heapGrowth / 1048576) },
  };
}
