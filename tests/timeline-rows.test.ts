import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { forBrowser, getTimelinePage, type TimelineEntry } from "../lib/record";
import { renderParts } from "../lib/format/detail-parts";
import { messages } from "../lib/i18n/messages";

/**
 * How the timeline groups records into rows a clinician reads: a prescription and the dispense that
 * fills it as one row (where the source links them; nothing disappears when the prescription is not
 * shown), and a facility's lab results for one specimen time as one panel row.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const doctorA = testActor("fA", "DOCTOR", { userId: "dr-a", name: "dr-a" });
const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 0, day, hour));

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  for (const [id, code, kind] of [["fA", "2210000001", "HOSPITAL"], ["ph", "2240000001", "PHARMACY"]] as const) await db.facility.create({ data: { id, code, name: `施設${id}`, kind } });
  await db.user.create({ data: { id: "dr-a", loginId: "dr-a", name: "dr-a", profession: "DOCTOR", facilityId: "fA", passwordHash: "x", credentialVerifiedAt: at(1) } });
  await db.patient.create({ data: { id: "t1", familyName: "対", givenName: "太郎", familyNameKana: "ツイ", givenNameKana: "タロウ", sex: "MALE", birthDate: new Date("1960-01-01") } });
  await db.consent.create({ data: { patientId: "t1", id: "c1", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", withheldCategories: ["PSYCHIATRIC"], capturedById: "dr-a" } });
  const rx = (id: string, kind: "PRESCRIPTION" | "DISPENSE", facilityId: string, when: Date, display: string, extra: object = {}) =>
    db.prescription.create({ data: { patientId: "t1", id, facilityId, kind, occurredAt: when, ...extra, items: { create: [{ id: `${id}-1`, codeSystem: "YJ", code: "2171022F2025", display, days: 28 }] } } });
  await rx("rx-1", "PRESCRIPTION", "fA", at(10), "ノルバスク錠5mg");
  await rx("dsp-1", "DISPENSE", "ph", at(10, 11), "ノルバスク錠5mg", { fillsId: "rx-1" });
  await rx("dsp-free", "DISPENSE", "ph", at(12), "カロナール錠500"); // no link: a row of its own
  await rx("rx-psy", "PRESCRIPTION", "fA", at(14), "精神科の薬", { sensitivity: "PSYCHIATRIC" });
  await rx("dsp-psy", "DISPENSE", "ph", at(14, 11), "薬局で受け取った薬", { fillsId: "rx-psy" }); // its prescription is withheld
  const lab = (id: string, facilityId: string, when: Date, code: string, display: string, value: number, flag: string | null, extra: object = {}) =>
    db.labResult.create({ data: { patientId: "t1", id, facilityId, occurredAt: when, codeSystem: "JLAC10", code, display, valueNumeric: value, unit: "u", flag, ...extra } });
  await lab("lab-a1", "fA", at(20), "3D046000001906202", "HbA1c", 7.4, "H", { refLow: 4.6, refHigh: 6.2 });
  await lab("lab-a2", "fA", at(20), "3F077000002327101", "LDL", 120, "N");
  await lab("lab-a3", "fA", at(20), "8A065000002391901", "eGFR", 55, "L");
  await lab("lab-a4", "fA", at(20), "3J065000002302201", "リチウム", 0.8, null, { sensitivity: "PSYCHIATRIC" });
  await lab("lab-b1", "ph", at(20), "3D046000001906202", "HbA1c", 7.0, "H"); // another facility, same time
  for (let d = 1; d <= 9; d++) await db.encounter.create({ data: { patientId: "t1", id: `enc-${d}`, facilityId: "fA", occurredAt: at(d), class: "OUTPATIENT" } });
});
afterAll(async () => {
  await ctx?.close();
});

async function all(input: Record<string, unknown>, limit = 200): Promise<TimelineEntry[]> {
  const out: TimelineEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await getTimelinePage(doctorA, "t1", { ...input, limit, ...(cursor ? { cursor } : {}) });
    out.push(...page.entries);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

describe("prescribe and dispense in the timeline", () => {
  it("draws a linked dispense as the prescription's second line, not as its own row", async () => {
    const rows = await all({ kinds: "prescription" });
    expect(rows.map((e) => e.id)).toEqual(["dsp-psy", "dsp-free", "rx-1"]);
    expect(rows.find((e) => e.id === "rx-1")!.dispenses).toEqual([{ id: "dsp-1", occurredAt: at(10, 11).toISOString(), facilityId: "ph", summary: "ノルバスク錠5mg" }]);
    expect(rows.find((e) => e.id === "dsp-free")!.dispenses).toBeUndefined();
    // the expanded line follows the UI language: 28日分 in Japanese, 28 days in English
    const line = rows.find((e) => e.id === "rx-1")!.detail.find(([label]) => label.startsWith("Rp"))![1];
    expect(renderParts(line, messages.ja)).toBe("28日分");
    expect(renderParts(line, messages.en)).toBe("28 days");
  });

  it("keeps a dispense as its own row when its prescription is not shown: withheld, or filtered out", async () => {
    // dsp-psy's prescription is withheld: the dispense stays (it is not itself withheld)
    expect((await all({})).map((e) => e.id)).toContain("dsp-psy");
    // the pharmacy's own records: dsp-1 is a row, since its prescription (fA) is filtered out
    expect((await all({ facility: "ph", kinds: "prescription" })).map((e) => e.id)).toEqual(["dsp-psy", "dsp-free", "dsp-1"]);
    // filtered to the hospital: the prescription without the pharmacy's line
    expect((await all({ facility: "fA", kinds: "prescription" })).map((e) => [e.id, e.dispenses?.length ?? 0])).toEqual([["rx-1", 0]]);
  });

  it("pages one row at a time with none repeated, none skipped, the pairing the same on every page", async () => {
    const whole = await all({}, 200);
    const paged = await all({}, 1);
    expect(paged.map((e) => e.id)).toEqual(whole.map((e) => e.id));
    expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);
    expect(paged.map((e) => e.id)).not.toContain("dsp-1");
    expect(paged.find((e) => e.id === "rx-1")!.dispenses?.map((d) => d.id)).toEqual(["dsp-1"]);
  });
});

describe("lab panels in the timeline", () => {
  it("draws one facility's results for one specimen time as one row, flagged if any analyte is out of range", async () => {
    const rows = await all({ kinds: "lab" });
    expect(rows.map((e) => [e.id, e.facilityId, e.tag])).toEqual([["lab-b1", "ph", "H"], ["lab-a1", "fA", "ABNORMAL"]]);
    const panel = rows.find((e) => e.id === "lab-a1")!;
    expect(panel.detail.map(([label]) => label)).toEqual(["HbA1c", "LDL", "eGFR"]); // the withheld analyte is not in it
    // flags in the viewer's language, as the summary panels show them: never H here and 高 there
    expect(renderParts(panel.detail[0]![1], messages.ja)).toMatch(/^7\.4 u \(高\)/);
    expect(renderParts(panel.detail[0]![1], messages.en)).toMatch(/^7\.4 u \(High\)/);
    expect(renderParts(panel.summaryParts!, messages.ja)).toBe("HbA1c 7.4 u (高) · eGFR 55.0 u (低) · LDL 120 u");
    expect(renderParts(panel.summaryParts!, messages.en)).toBe("HbA1c 7.4 u (High) · eGFR 55.0 u (Low) · LDL 120 u");
    // the out-of-range analytes come first in the collapsed row, so none hides behind "(+n)"
    expect(panel.summary).toBe("HbA1c 7.4 u (H) · eGFR 55.0 u (L) · LDL 120 u");
    expect(panel.codes.map(([, code]) => code)).not.toContain("3J065000002302201");
  });

  it("goes to the browser with a panel's line once, in pieces, and reads the same in both languages", async () => {
    const page = forBrowser(await getTimelinePage(doctorA, "t1", { kinds: "lab", limit: 200 }));
    const panel = page.entries.find((e) => e.id === "lab-a1")!;
    expect(panel.summary).toBe(""); // the plain-text copy is not sent: the row draws summaryParts
    expect(renderParts(panel.summaryParts!, messages.ja)).toBe("HbA1c 7.4 u (高) · eGFR 55.0 u (低) · LDL 120 u");
    // a single result has no pieces and keeps its line
    expect(page.entries.find((e) => e.id === "lab-b1")!.summary).toBe("HbA1c 7.0 u"); // (its flag is the row's tag)
  });

  it("says a regular supply in days and a 頓用 one as 頓用, in the viewer's language", async () => {
    const rx = (await all({ kinds: "prescription" })).find((e) => e.id === "rx-1")!;
    const [, parts] = rx.detail.find(([label]) => label.startsWith("Rp"))!;
    expect(renderParts(parts, messages.ja)).toContain("28日分");
    expect(JSON.stringify(parts)).not.toContain("asNeeded"); // said only when true
  });

  it("names each code system once per page, and every row's codes by it", async () => {
    const page = await getTimelinePage(doctorA, "t1", { limit: 200 });
    expect([...page.systems].sort()).toEqual(["JLAC10", "YJ"]);
    const panel = page.entries.find((e) => e.id === "lab-a1")!;
    expect(panel.codes.map(([system, code]) => `${page.systems[system]} ${code}`)).toEqual(panel.codes.map(([, code]) => `JLAC10 ${code}`));
    const rx = page.entries.find((e) => e.kind === "prescription")!;
    expect(rx.codes.map(([system, code]) => [page.systems[system], code])).toEqual([["YJ", "2171022F2025"]]);
  });

  it("pages through many panels, two facilities sharing times, one or two rows a page, exactly as one long page lists them", async () => {
    // a second patient with 30 specimen times over 60 days: panels at fA every time, at ph every third
    await db.patient.create({ data: { id: "t2", familyName: "頁", givenName: "花子", familyNameKana: "ページ", givenNameKana: "ハナコ", sex: "FEMALE", birthDate: new Date("1970-01-01") } });
    await db.consent.create({ data: { patientId: "t2", id: "c2", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: "dr-a" } });
    const rows = [];
    for (let i = 0; i < 30; i++) {
      const when = new Date(Date.UTC(2025, 0, 1 + i * 2, 0, 30));
      rows.push({ patientId: "t2", id: `p-${String(i).padStart(2, "0")}-a`, facilityId: "fA", occurredAt: when, codeSystem: "JLAC10", code: "3D046000001906202", display: "HbA1c", valueNumeric: 6 + i / 10 });
      rows.push({ patientId: "t2", id: `p-${String(i).padStart(2, "0")}-b`, facilityId: "fA", occurredAt: when, codeSystem: "JLAC10", code: "3F077000002327101", display: "LDL", valueNumeric: 100 + i });
      if (i % 3 === 0) rows.push({ patientId: "t2", id: `p-${String(i).padStart(2, "0")}-c`, facilityId: "ph", occurredAt: when, codeSystem: "JLAC10", code: "3D046000001906202", display: "HbA1c", valueNumeric: 6 });
    }
    await db.labResult.createMany({ data: rows });
    const pages = async (limit: number) => {
      const out: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await getTimelinePage(doctorA, "t2", { kinds: "lab", limit, ...(cursor ? { cursor } : {}) });
        out.push(...page.entries.map((e) => `${e.id}:${e.detail.length}`));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    };
    const whole = await pages(200);
    expect(whole).toHaveLength(40); // 30 panels at fA (2 analytes each), 10 at ph (1)
    expect(await pages(1)).toEqual(whole);
    expect(await pages(2)).toEqual(whole);
    expect(await pages(7)).toEqual(whole);
  });

  it("does not flag a susceptibility as abnormal: S is the answer a prescriber hopes for, R is a warning; each letter still shown", async () => {
    await db.patient.create({ data: { id: "t3", familyName: "菌", givenName: "太郎", familyNameKana: "キン", givenNameKana: "タロウ", sex: "MALE", birthDate: new Date("1950-01-01") } });
    await db.consent.create({ data: { patientId: "t3", id: "c3", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: "dr-a" } });
    const mic = (id: string, day: number, display: string, value: number, flag: string) => ({ patientId: "t3", id, facilityId: "fA", occurredAt: at(day), codeSystem: "JLAC10", code: `6B${id}`, display, valueNumeric: value, unit: "μg/mL", flag });
    await db.labResult.createMany({
      data: [
        mic("s1", 3, "CEZ", 2, "S"), mic("s2", 3, "LVFX", 0.5, "S"), mic("s3", 3, "MEPM", 0.25, "MS"), // all susceptible
        mic("r1", 5, "CEZ", 32, "R"), mic("r2", 5, "LVFX", 0.5, "S"), // one resistant
        mic("o1", 7, "ABPC", 1, "S"), // a single result
      ],
    });
    const rows = await getTimelinePage(doctorA, "t3", { kinds: "lab", limit: 200 });
    expect(rows.entries.map((e) => [e.id, e.tag])).toEqual([["o1", null], ["r1", "ABNORMAL"], ["s1", null]]);
    const susceptible = rows.entries.find((e) => e.id === "s1")!;
    expect(susceptible.detail.map(([label, value]) => `${label} ${renderParts(value, messages.ja)}`)).toEqual(["CEZ 2 μg/mL (S)", "LVFX 0.5 μg/mL (S)", "MEPM 0.25 μg/mL (MS)"]);
    // the resistant drug comes first in the collapsed row, as any warning does
    expect(rows.entries.find((e) => e.id === "r1")!.summary).toBe("CEZ 32 μg/mL (R) · LVFX 0.5 μg/mL (S)");
  });

  it("narrows a panel to the analytes a search matches", async () => {
    const rows = await all({ kinds: "lab", q: "LDL" });
    expect(rows.map((e) => [e.id, e.summary])).toEqual([["lab-a2", "LDL 120 u"]]);
  });
});
