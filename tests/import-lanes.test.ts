import { describe, expect, it } from "vitest";
import { runInLanes } from "../lib/ingest/lanes";

/**
 * The order an import keeps when patients go in parallel (lib/ingest/lanes): a patient's files one
 * after another in their order, wherever they come in the input; a file without a patient after
 * everything before it and before everything after it; never more patients at once than asked.
 * The import tests show the same on the database (tests/ingest-*.test.ts); this one drives the
 * scheduler with files that finish in an order of our choosing (a later file of another patient
 * first), so a scheduler that only happened to keep the order cannot pass.
 */
type F = { name: string; lane?: string; turns: number };

async function run(files: F[], width: number) {
  const events: string[] = [];
  let running = 0;
  let most = 0;
  const lanesRunning = new Set<string>();
  let mostLanes = 0;
  await runInLanes(
    (async function* () {
      yield* files;
    })(),
    width,
    async (f) => {
      events.push(`start ${f.name}`);
      running++;
      most = Math.max(most, running);
      if (f.lane) lanesRunning.add(f.lane);
      mostLanes = Math.max(mostLanes, lanesRunning.size);
      for (let i = 0; i < f.turns; i++) await new Promise((r) => setImmediate(r));
      running--;
      if (f.lane) lanesRunning.delete(f.lane);
      events.push(`end ${f.name}`);
    },
  );
  return { events, most, mostLanes };
}

const at = (events: string[], e: string) => events.indexOf(e);

describe("import lanes", () => {
  const files: F[] = [
    { name: "a1", lane: "A", turns: 30 },
    { name: "b1", lane: "B", turns: 1 },
    { name: "a2", lane: "A", turns: 1 },
    { name: "c1", lane: "C", turns: 5 },
    { name: "b2", lane: "B", turns: 20 },
    { name: "delete", turns: 1 },
    { name: "a3", lane: "A", turns: 1 },
    { name: "c2", lane: "C", turns: 1 },
  ];

  it("runs one patient's files in their order, patients at the same time", async () => {
    const { events, most } = await run(files, 3);
    for (const [x, y] of [["a1", "a2"], ["a2", "a3"], ["b1", "b2"], ["c1", "c2"]]) expect(at(events, `end ${x}`)).toBeLessThan(at(events, `start ${y}`));
    // another patient's file finished while a1 was still running
    expect(at(events, "end b1")).toBeLessThan(at(events, "end a1"));
    expect(most).toBeGreaterThan(1);
  });

  it("runs a file without a patient alone, after all before it and before all after it", async () => {
    const { events } = await run(files, 3);
    for (const x of ["a1", "b1", "a2", "c1", "b2"]) expect(at(events, `end ${x}`)).toBeLessThan(at(events, "start delete"));
    for (const y of ["a3", "c2"]) expect(at(events, "end delete")).toBeLessThan(at(events, `start ${y}`));
  });

  it("never runs more patients at once than asked, and one at a time when asked", async () => {
    expect((await run(files, 2)).mostLanes).toBeLessThanOrEqual(2);
    const one = await run(files, 1);
    expect(one.most).toBe(1);
    expect(one.events.filter((e) => e.startsWith("start"))).toEqual(files.map((f) => `start ${f.name}`));
  });

  it("stops starting files after one throws, and throws that error", async () => {
    const started: string[] = [];
    const input = (async function* () {
      yield* files;
    })();
    await expect(
      runInLanes(input, 3, async (f) => {
        started.push(f.name);
        await new Promise((r) => setImmediate(r));
        if (f.name === "b1") throw new Error("onFile failed");
      }),
    ).rejects.toThrow("onFile failed");
    expect(started).not.toContain("a3");
  });
});
