import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededDatabase } from "./helpers/seeded";
import { testActor } from "./helpers/actor";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { facilityDirectory, getExportPage, getMedicationHistory, getPatientView, getTimelinePage, type MedicationHistory } from "../lib/record";
import { MedicationWarnings } from "../components/MedicationWarnings";
import { InteractionChecks } from "../components/InteractionChecks";
import { MedicationByMonth } from "../components/MedicationByMonth";
import { supplyAmount } from "../lib/format/medication";
import { renderParts } from "../lib/format/detail-parts";
import { CurrentMedications } from "../components/SummaryPanels";
import { messages } from "../lib/i18n/messages";

/**
 * The pharmacist's page on the demo network, as a pharmacist opens it: 佐藤 花子 (pat-0002) gets
 * amlodipine from two prescribers (アムロジン from みなみ内科 via さくら調剤薬局, ノルバスク from つなぐ中央病院
 * via あおば薬局) and loxoprofen as a tablet and a tape from きた整形外科.
 */
let ctx: Awaited<ReturnType<typeof seededDatabase>>;
const NOW = new Date("2026-12-01T00:00:00Z"); // 09:00 JST, the seed's "now"
const pharmacist1 = testActor("fac-06", "PHARMACIST", { userId: "usr-pharmacist1", facilityName: "あおば薬局 本町店" });
/** みなみ内科: her consent there withholds psychiatric records */
const doctor2 = testActor("fac-03", "DOCTOR", { userId: "usr-doctor2", facilityName: "みなみ内科クリニック" });
/** つなぐ中央病院: her consent there withholds nothing */
const doctor1 = testActor("fac-01", "DOCTOR", { userId: "usr-doctor1", facilityName: "つなぐ中央病院" });

/** the warnings panel as the medication page draws it, as text */
async function warningsText(v: MedicationHistory, locale: "ja" | "en" = "ja"): Promise<string> {
  const facilities = await facilityDirectory();
  const html = renderToStaticMarkup(createElement(MedicationWarnings, { duplicates: v.duplicates, conflicts: v.conflicts, facilities, t: messages[locale], partial: v.withheld.length > 0, ack: { patientId: v.patient.id, checks: v.checks, locale } }));
  return html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
}

beforeAll(async () => {
  ctx = await seededDatabase(NOW);
}, 180_000);
afterAll(async () => ctx?.close());

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

describe("佐藤 花子's warnings say enough (seeded network)", () => {
  it("the amlodipine duplicate names both drugs, their prescribers and pharmacies, dates, and 10 mg a day in all", async () => {
    const v = await getMedicationHistory(pharmacist1, "pat-0002");
    const dup = v.duplicates.find((d) => d.type === "SAME_INGREDIENT" && d.key === "2171022")!;
    expect(dup.combined).toEqual({ ok: true, amount: 10, unit: "mg" });
    const text = await warningsText(v);
    expect(text).toContain("重複投薬（同一成分）");
    expect(text).toMatch(/アムロジン錠5mg 処方: みなみ内科クリニック · 調剤: さくら調剤薬局 · 最終 \d{4}-\d{2}-\d{2} · 〜\d{4}-\d{2}-\d{2} · 1日 5mg/);
    expect(text).toMatch(/ノルバスク錠5mg 処方: つなぐ中央病院 · 調剤: あおば薬局 本町店 · 最終 \d{4}-\d{2}-\d{2}/);
    expect(text).toContain("成分の1日合計 10mg");
    expect(await warningsText(v, "en")).toContain("Ingredient in all: 10 mg a day");
  });

  it("the loxoprofen tablet and tape are 'same ingredient, different route', not a plain duplicate", async () => {
    const v = await getMedicationHistory(pharmacist1, "pat-0002");
    const loxo = v.duplicates.filter((d) => d.key === "1149019");
    expect(loxo.map((d) => [d.type, d.severity, d.drugs.map((x) => x.display).sort()])).toEqual([
      ["SAME_INGREDIENT_OTHER_ROUTE", "LOW", ["ロキソニンテープ100mg", "ロキソプロフェンNa錠60mg「YD」"]],
    ]);
    const text = await warningsText(v);
    expect(text).toContain("同一成分・別経路");
    expect(text).toContain("投与経路が異なるため");
  });

  it("the allergy warning names the drug's prescriber and pharmacy", async () => {
    const v = await getMedicationHistory(pharmacist1, "pat-0002");
    expect(v.conflicts.map((c) => [c.drug.display, c.drug.prescribers, c.drug.pharmacies]).sort()).toEqual([
      ["ロキソニンテープ100mg", ["fac-04"], ["fac-07"]],
      ["ロキソプロフェンNa錠60mg「YD」", ["fac-04"], ["fac-07"]],
    ]);
    expect(await warningsText(v)).toMatch(/ロキソプロフェンNa錠60mg「YD」 処方: きた整形外科クリニック · 調剤: さくら調剤薬局/);
  });

  it("where she withholds records (みなみ内科), the panel says the checks covered only what it shows", async () => {
    const v = await getMedicationHistory(doctor2, "pat-0002");
    expect(v.withheld).toEqual(["PSYCHIATRIC"]);
    expect(await warningsText(v)).toContain("重複投薬・アレルギー・相互作用・腎機能のチェックは、この画面に表示されている処方・調剤と検査だけを対象にしています");
  });

  it("twin: where she withholds nothing (つなぐ中央病院), the panel does not say so", async () => {
    const v = await getMedicationHistory(doctor1, "pat-0002");
    expect(v.withheld).toEqual([]);
    const text = await warningsText(v);
    expect(text).toContain("重複投薬（同一成分）");
    expect(text).not.toContain("だけを対象にしています");
  });
});

describe("山田 太郎's ニトロペン does not vanish (seeded network)", () => {
  // pat-0001, 狭心症の疑い: sublingual nitroglycerin at every third cardiology visit, the last 138 days ago
  it("the 統合ビュー lists it under 頓用（過去1年） with its last dispense, not among current medicines", async () => {
    const v = await getPatientView(doctor1, "pat-0001");
    expect(v.summary.medications.map((m) => m.display)).not.toContain("ニトロペン舌下錠0.3mg");
    const nitro = v.summary.asNeeded.find((m) => m.display === "ニトロペン舌下錠0.3mg")!;
    expect(nitro.lastDispensed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(nitro.pharmacies).toEqual(["fac-06"]);
    const facilities = await facilityDirectory();
    const html = renderToStaticMarkup(createElement(CurrentMedications, { summary: v.summary, facilities, t: messages.ja, patientId: "pat-0001", partial: false, locale: "ja" }));
    const [currentTable, rest] = html.split("</table>");
    expect(currentTable).not.toContain("ニトロペン");
    expect(rest).toContain("頓用（過去1年）");
    expect(rest).toContain(`ニトロペン舌下錠0.3mg`);
    expect(rest).toContain(`最終調剤 ${nitro.lastDispensed}`);
    expect(rest).toContain(`href="/patients/pat-0001/medications#${nitro.anchor}"`);
  });

  it("the medication page lists it as 頓用 too, and its strip (which the list links to) is not marked current", async () => {
    const v = await getMedicationHistory(pharmacist1, "pat-0001");
    expect(v.asNeeded.map((m) => m.display)).toContain("ニトロペン舌下錠0.3mg");
    expect(v.strips.find((s) => s.display === "ニトロペン舌下錠0.3mg")).toMatchObject({ current: false, asNeeded: true });
  });
});

describe("佐藤 花子's weekly ボナロン reads as weekly doses (seeded network)", () => {
  // 週1回起床時: the prescription's 4日分 are four weekly doses, covering 28 days
  const BONALON = "ボナロン錠35mg";

  it("the list of prescriptions and dispenses says 4回分（28日間）, agreeing with its end date, and a daily drug still N日分", async () => {
    const v = await getMedicationHistory(pharmacist1, "pat-0002");
    const weekly = v.rows.filter((r) => r.display === BONALON && r.days === 4);
    expect(weekly.length).toBeGreaterThan(0);
    for (const r of weekly) {
      expect(supplyAmount(r, messages.ja)).toBe("4回分（28日間）");
      expect(supplyAmount(r, messages.en)).toBe("4 doses (28 days)");
      if (r.status !== "STOPPED") expect(Date.parse(r.supplyEnd) - Date.parse(r.issued)).toBe(27 * 86_400_000);
    }
    const daily = v.rows.find((r) => r.display === "アムロジン錠5mg" && r.days)!;
    expect(supplyAmount(daily, messages.ja)).toBe(`${daily.days}日分`);
  });

  it("the month-by-month list says it too", async () => {
    const v = await getMedicationHistory(pharmacist1, "pat-0002");
    const facilities = await facilityDirectory();
    const html = renderToStaticMarkup(createElement(MedicationByMonth, { months: v.byMonth, facilities, t: messages.ja }));
    expect(html).toContain("4回分（28日間）");
    expect(html).not.toMatch(/ボナロン錠35mg[^<]*<\/td><td[^>]*>[^<]*<\/td><td[^>]*>4日分/);
  });

  it("the FHIR download ($everything) says it the JP Core way: 4 dosing days in a 28 days' span", async () => {
    const resources: Record<string, unknown>[] = [];
    for (let cursor: string | null | undefined = undefined; cursor !== null; ) {
      const page = await getExportPage(doctor1, "pat-0002", { _type: "MedicationRequest,MedicationDispense", _count: "100", ...(cursor ? { cursor } : {}) });
      resources.push(...(page.resources as Record<string, unknown>[]));
      cursor = page.next;
    }
    const weekly = resources.filter((r) => JSON.stringify(r).includes(BONALON));
    const requests = weekly.filter((r) => r.resourceType === "MedicationRequest");
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) {
      const json = JSON.stringify(r);
      // each issue's dosing days are JP Core's UsageDuration, and its span seven days for each: never "N 日" as the span
      const [, n] = /JP_MedicationDosage_UsageDuration","valueDuration":\{"value":(\d+)/.exec(json) ?? [];
      expect(Number(n)).toBeGreaterThan(0);
      expect(r).toMatchObject({ dispenseRequest: { expectedSupplyDuration: { value: 7 * Number(n), unit: "日", code: "d" } } });
      expect(json).toContain(`${n}回分（${7 * Number(n)}日間）`);
      expect(json).not.toContain(`${n}日分`);
    }
    const dispenses = weekly.filter((r) => r.resourceType === "MedicationDispense");
    expect(dispenses.length).toBeGreaterThan(0);
    for (const d of dispenses) expect((d as { daysSupply: { value: number } }).daysSupply.value % 7).toBe(0);
  });

  it("the timeline's prescription line says it, in either language", async () => {
    const page = await getTimelinePage(doctor1, "pat-0002", { kinds: "prescription", limit: 200 });
    const lines = page.entries.flatMap((e) => e.detail.filter(([label]) => label.includes(BONALON)).map(([, value]) => value));
    expect(lines.length).toBeGreaterThan(0);
    // each issue's count as weekly doses, with seven days for each: never "N日分"
    for (const line of lines) {
      const ja = renderParts(line, messages.ja)!;
      const [, n, days] = /(\d+)回分（(\d+)日間）$/.exec(ja) ?? [];
      expect(ja).not.toContain("日分");
      expect(Number(days)).toBe(7 * Number(n));
      expect(renderParts(line, messages.en)).toMatch(new RegExp(`${n} doses \\(${days} days\\)$`));
    }
  });
});

describe("佐藤 花子's interaction and renal warnings link their drugs (seeded network)", () => {
  async function checksHtml(v: MedicationHistory, stripsHref?: string): Promise<string> {
    const facilities = await facilityDirectory();
    return renderToStaticMarkup(createElement(InteractionChecks, { checks: v.checks, patientId: v.patient.id, facilities, locale: "ja", ...(stripsHref ? { stripsHref } : {}) }));
  }

  it("on the medication page each drug of the NSAID + SSRI and the eGFR < 60 warnings links to its strip there", async () => {
    const v = await getMedicationHistory(doctor1, "pat-0002");
    const anchors = new Set(v.strips.map((s) => s.anchor));
    const html = await checksHtml(v);
    for (const rule of ["NSAID_SSRI", "NSAID_EGFR_LT60"] as const) {
      const w = v.checks.interactions.find((x) => x.rule === rule)!;
      expect(w, rule).toBeDefined();
      for (const d of w.drugs) {
        expect(anchors.has(d.anchor), d.anchor).toBe(true);
        expect(html).toContain(`<a href="#${d.anchor}" class="font-semibold underline" title="${d.display} の処方期間の図へ">${d.display}</a>`);
      }
    }
    expect(v.checks.interactions.find((x) => x.rule === "NSAID_SSRI")!.drugs.map((d) => d.display)).toContain("ジェイゾロフト錠25mg");
    // the sources still follow the name
    expect(html).toMatch(/ジェイゾロフト錠25mg<\/a>（処方 [^／]+／調剤 [^／]+／最終 \d{4}-\d{2}-\d{2}）/);
  });

  it("on the 統合ビュー the same drugs link to the medication page's strips", async () => {
    const v = await getPatientView(doctor1, "pat-0002");
    const facilities = await facilityDirectory();
    const html = renderToStaticMarkup(createElement(CurrentMedications, { summary: v.summary, facilities, t: messages.ja, patientId: "pat-0002", partial: false, locale: "ja" }));
    const checks = html.slice(html.indexOf('data-testid="interaction-checks"'));
    const ssri = v.summary.checks.interactions.find((x) => x.rule === "NSAID_SSRI")!;
    for (const d of ssri.drugs) expect(checks).toContain(`href="/patients/pat-0002/medications#${d.anchor}"`);
  });
});
