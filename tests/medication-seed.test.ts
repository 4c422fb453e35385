import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import { setClockForTests } from "../lib/clock";
import { getMedicationHistory } from "../lib/record";

/**
 * The pharmacist's page on the demo network, as a pharmacist opens it: 佐藤 花子 (pat-0002) gets
 * amlodipine from two prescribers (アムロジン from みなみ内科 via さくら調剤薬局, ノルバスク from つなぐ中央病院
 * via あおば薬局) and loxoprofen as a tablet and a tape from きた整形外科.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
const NOW = new Date("2026-12-01T00:00:00Z"); // 09:00 JST, the seed's "now"
const pharmacist1 = testActor("fac-06", "PHARMACIST", { userId: "usr-pharmacist1", facilityName: "あおば薬局 本町店" });

beforeAll(async () => {
  ctx = await freshDatabase();
  const { seed } = await import("../prisma/seed/index");
  await seed(ctx.db, { patients: 5, now: NOW });
  setClockForTests(NOW);
}, 180_000);
afterAll(async () => {
  setClockForTests(null);
  await ctx?.close();
});

describe("佐藤 花子's strips (seeded network)", () => {
  it("draws ノルバスク and アムロジン as two strips under amlodipine, each with its prescriber and pharmacy", async () => {
    const v = await getMedicationHistory(pharmacist1, "pat-0002");
    const amlodipine = v.strips.filter((s) => s.ingredient === "2171022");
    expect(amlodipine.map((s) => [s.display, s.prescribers, s.pharmacies, s.current]).sort()).toEqual([
      ["アムロジン錠5mg", ["fac-03"], ["fac-07"], true],
      ["ノルバスク錠5mg", ["fac-01"], ["fac-06"], true],
    ]);
    // under one heading: the two are next to each other
    const at = v.strips.findIndex((s) => s.ingredient === "2171022");
    expect(v.strips[at + 1]!.ingredient).toBe("2171022");
    expect(amlodipine[0]!.ingredientName).toBe("アムロジピンベシル酸塩");
  });

  it("the same-ingredient warning names both products and links to strips that exist", async () => {
    const v = await getMedicationHistory(pharmacist1, "pat-0002");
    const dup = v.duplicates.find((d) => d.type === "SAME_INGREDIENT" && d.key === "2171022")!;
    expect(dup.drugs.map((d) => d.display).sort()).toEqual(["アムロジン錠5mg", "ノルバスク錠5mg"]);
    const anchors = new Set(v.strips.map((s) => s.anchor));
    for (const d of dup.drugs) expect(anchors.has(d.anchor), d.anchor).toBe(true);
    for (const c of v.conflicts) expect(anchors.has(c.drug.anchor), c.drug.anchor).toBe(true);
  });
});
