// A facility's page shows its imports: the network administrator (or the facility's IT staff on the
// phone with them) sees when each ran, how, the counts, and every rejected file with its reason; a
// run that never finished says so. Read by a real import of the unmodified SS-MIX2 sample storage.
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { messages } from "../lib/i18n/messages";

const FIXTURES = path.resolve(import.meta.dirname, "../../shared/fixtures/ssmix2/sampleData");
const admin = testActor("fA", "ADMIN", { userId: "adm", loginId: "adm" });
const doctor = testActor("fA", "DOCTOR", { userId: "doc" });
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL" } });
  await db.facility.create({ data: { id: "fS", code: "2213000001", name: "登呂病院", kind: "HOSPITAL" } });
  await db.patient.create({ data: { id: "tp1", familyName: "患者", givenName: "太郎", familyNameKana: "カンジャ", givenNameKana: "タロウ", sex: "MALE", birthDate: new Date("1948-04-05") } });
  await db.patientLink.create({ data: { patientId: "tp1", id: "lk1", facilityId: "fS", localPatientId: "9999013" } });
  const { importSsmix2Tree } = await import("../lib/ingest/ssmix2-tree");
  await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "operator-yamada" });
  // a run killed part-way: opened, never finished
  await db.importLog.create({ data: { id: "log-killed", facilityId: "fS", via: "CLI", by: "operator-yamada", source: "/srv/ssmix2", startedAt: new Date(Date.now() + 1000), counts: {}, problems: [] } });
}, 120_000);
afterAll(async () => ctx?.close());

describe("a facility's imports", () => {
  it("the administrator sees each run with its counts and every rejection's reason, the newest first", async () => {
    const { getFacility } = await import("../lib/network");
    const page = await getFacility(admin, "fS");
    expect(page.imports.map((i) => i.id)[0]).toBe("log-killed");
    const run = page.imports[1]!;
    expect(run).toMatchObject({ via: "CLI", by: "operator-yamada", source: FIXTURES });
    expect(run.counts.rejected).toBeGreaterThan(0);
    expect(run.problems).toHaveLength(run.counts.rejected! + (run.counts.held ?? 0));
    expect(run.problems.every((p) => p.file && p.reason)).toBe(true);

    const html = renderToStaticMarkup(createElement((await import("../components/ImportLogTable")).ImportLogTable, { imports: page.imports, t: messages.ja }));
    expect(html).toContain("取り込み履歴");
    expect(html).toContain(`拒否 ${run.counts.rejected}`);
    expect(html).toContain("終了していません");
    expect(html).toContain(run.problems[0]!.reason.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;"));
    const en = renderToStaticMarkup(createElement((await import("../components/ImportLogTable")).ImportLogTable, { imports: page.imports, t: messages.en }));
    expect(en).toContain(`rejected ${run.counts.rejected}`);
    expect(en).toContain("Not finished");
  });

  it("a clinician is refused the facility's page, imports and all; the twin above is the administrator", async () => {
    const { getFacility } = await import("../lib/network");
    await expect(getFacility(doctor, "fS")).rejects.toThrow();
  });
});
