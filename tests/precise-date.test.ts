import { describe, expect, it } from "vitest";
import { preciseDate } from "../lib/format/dates";

describe("dates at the precision the source gave", () => {
  it("shows a year as the year and a month as the month, in Japan, never an invented first day", () => {
    expect(preciseDate("2017-12-31T15:00:00.000Z", "YEAR", "?")).toBe("2018");
    expect(preciseDate("2022-04-30T15:00:00.000Z", "MONTH", "?")).toBe("2022-05");
    expect(preciseDate("2022-06-08T15:00:00.000Z", null, "?")).toBe("2022-06-09");
  });
  it("says the date is unknown when the source gave none", () => {
    expect(preciseDate("2021-11-26T01:00:00.000Z", "NONE", "発症日不明")).toBe("発症日不明");
  });
});
