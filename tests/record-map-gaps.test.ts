import { describe, expect, it } from "vitest";
import { axisWithGaps, type AxisColumn } from "../lib/format/map-gaps";
import { messages } from "../lib/i18n/messages";

// The axis as a clinician reads it, left to right: a period, or a gap column's Japanese and English text.
const read = (columns: AxisColumn[]) => columns.map((c) => (c.gap ? `[${messages.ja.map.gap(c.from, c.to)} | ${messages.en.map.gap(c.from, c.to)}]` : c.period));

describe("the record map marks the periods left out of its axis", () => {
  it("a missing year between two years is a gap column naming that year", () => {
    expect(read(axisWithGaps(["2026", "2025", "2024", "2023", "2022", "2021", "2020", "2018"], "year"))).toEqual([
      "2026", "2025", "2024", "2023", "2022", "2021", "2020", "[2019年 記録なし | No records 2019]", "2018",
    ]);
  });

  it("a run of missing years is one gap column naming its first and last year", () => {
    expect(read(axisWithGaps(["2019", "2018", "2017", "2011"], "year"))).toEqual(["2019", "2018", "2017", "[2012〜2016年 記録なし | No records 2012–2016]", "2011"]);
  });

  it("consecutive periods, one period or none get no gap", () => {
    expect(axisWithGaps(["2026", "2025", "2024"], "year").filter((c) => c.gap)).toEqual([]);
    expect(axisWithGaps(["2026-01", "2025-12", "2025-11"], "month").filter((c) => c.gap)).toEqual([]);
    expect(axisWithGaps(["2026-04"], "month")).toEqual([{ gap: false, period: "2026-04", index: 0 }]);
    expect(axisWithGaps([], "year")).toEqual([]);
  });

  it("missing months are one gap column per run, across a year's end, not one empty column per month", () => {
    expect(read(axisWithGaps(["2026-04", "2026-02"], "month"))).toEqual(["2026-04", "[2026年3月 記録なし | No records March 2026]", "2026-02"]);
    const sparse = axisWithGaps(["2026-04", "2016-03"], "month");
    expect(read(sparse)).toEqual(["2026-04", "[2016年4月〜2026年3月 記録なし | No records April 2016 – March 2026]", "2016-03"]);
  });

  it("on the month map a year-only column (the source gave only the year) stands for its whole year", () => {
    // 2018's months beside 18-? are not called empty (its records may be in any of them); the months
    // between it and the next dated or year-only period are
    expect(read(axisWithGaps(["2021-06", "2018-03", "2018", "2016-11", "2015"], "month"))).toEqual([
      "2021-06",
      "[2018年4月〜2021年5月 記録なし | No records April 2018 – May 2021]",
      "2018-03",
      "2018",
      "[2016年12月〜2017年12月 記録なし | No records December 2016 – December 2017]",
      "2016-11",
      "[2016年1月〜2016年10月 記録なし | No records January 2016 – October 2016]",
      "2015",
    ]);
    expect(read(axisWithGaps(["2020-01", "2018"], "month"))).toEqual(["2020-01", "[2019年1月〜2019年12月 記録なし | No records January 2019 – December 2019]", "2018"]);
  });

  it("the period columns keep their place among the periods, so the keyboard moves between them alone", () => {
    const periods = axisWithGaps(["2026", "2020", "2018"], "year").flatMap((c) => (c.gap ? [] : [c.index]));
    expect(periods).toEqual([0, 1, 2]);
  });
});
