import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Actor } from "../lib/auth/actor";
import type { Db } from "../lib/db/client";
import { getPatientView, getTimelinePage } from "../lib/record";

/**
 * Item 13 on the demo seed: 佐藤 花子 (pat-0002) withholds psychiatric records from みなみ内科 (fac-03).
 * The 不眠症 G47.0 diagnosed at つなぐ中央病院 with her うつ病 F32.9 is psychiatric care too, although
 * its own code is not in chapter F.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const NOW = new Date("2026-12-01T00:00:00Z");
const doctor2 = testActor("fac-03", "DOCTOR", { userId: "usr-doctor2", facilityName: "みなみ内科クリニック" });
/** the twin: the same read from つなぐ中央病院, whose consent withholds nothing */
const doctor1 = testActor("fac-01", "DOCTOR", { userId: "usr-doctor1", facilityName: "つなぐ中央病院" });

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  const { seed } = await import("../prisma/seed/index");
  await seed(db, { patients: 5, now: NOW });
}, 180_000);
afterAll(async () => ctx?.close());

/** every diagnosis the actor's timeline shows, page by page */
async function diagnoses(actor: Actor): Promise<string[]> {
  const view = await getPatientView(actor, "pat-0002", { kinds: "condition" });
  const entries = [...view.timeline.entries];
  for (let c = view.timeline.nextCursor; c; ) {
    const p = await getTimelinePage(actor, "pat-0002", { kinds: "condition", cursor: c });
    entries.push(...p.entries);
    c = p.nextCursor;
  }
  return entries.map((e) => JSON.stringify(e));
}

describe("withholding follows the care (seeded network)", () => {
  it("the seed classified the insomnia of the depression visit as psychiatric, by the one classifier", async () => {
    const rows = await db.condition.findMany({ where: { patientId: "pat-0002", facilityId: "fac-01", icd10: { in: ["F32.9", "G47.0"] } } });
    expect(rows.map((r) => [r.icd10, r.sensitivity]).sort()).toEqual([["F32.9", "PSYCHIATRIC"], ["G47.0", "PSYCHIATRIC"]]);
    // the hypnotic of that care is withheld as well, by its class (YJ 112)
    const myslee = await db.prescription.findMany({ where: { patientId: "pat-0002", items: { some: { yjCode: "1129009F1025" } } } });
    expect(myslee.length).toBeGreaterThan(0);
    expect(myslee.every((r) => r.sensitivity === "PSYCHIATRIC")).toBe(true);
  });

  it("doctor2 (みなみ内科) does not see the 不眠症 G47.0, nor the うつ病", async () => {
    const seen = await diagnoses(doctor2);
    expect(seen.length).toBeGreaterThan(0); // the hypertension and the knee are there
    expect(seen.some((e) => e.includes("不眠症"))).toBe(false);
    expect(seen.some((e) => e.includes("うつ病"))).toBe(false);
    const view = await getPatientView(doctor2, "pat-0002");
    expect(JSON.stringify(view)).not.toMatch(/不眠症|うつ病|マイスリー|ジェイゾロフト/);
  });

  it("twin: doctor1 (つなぐ中央病院, nothing withheld) sees both", async () => {
    const seen = await diagnoses(doctor1);
    expect(seen.some((e) => e.includes("不眠症"))).toBe(true);
    expect(seen.some((e) => e.includes("うつ病"))).toBe(true);
  });
});

describe("the facility's kind (seeded network)", () => {
  it("everything from the psychiatric clinic fac-10 is psychiatric, although it is recorded as 内科 with a G47.0", async () => {
    const [enc, cond, rx] = await Promise.all([
      db.encounter.findMany({ where: { patientId: "pat-0002", facilityId: "fac-10" } }),
      db.condition.findMany({ where: { patientId: "pat-0002", facilityId: "fac-10" } }),
      db.prescription.findMany({ where: { patientId: "pat-0002", facilityId: "fac-10" } }),
    ]);
    expect(enc.length).toBeGreaterThan(5);
    expect(enc.every((e) => e.department === "内科")).toBe(true);
    expect(cond.map((c) => c.icd10)).toEqual(["G47.0"]);
    expect([...enc, ...cond, ...rx].every((r) => r.sensitivity === "PSYCHIATRIC")).toBe(true);
  });

  it("doctor2's header does not name the psychiatric clinic; twin: doctor1's does", async () => {
    const names = async (a: Actor) => (await getPatientView(a, "pat-0002")).patient.facilities.map((f) => f.id);
    expect(await names(doctor2)).toEqual(["fac-01", "fac-03", "fac-04", "fac-06", "fac-07"]);
    expect(await names(doctor1)).toEqual(["fac-01", "fac-03", "fac-04", "fac-06", "fac-07", "fac-10"]);
  });
});
