import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dayNumber, dayString, isoDate } from "../lib/format/dates";
import { addDays } from "../lib/record/medication";

// isoDate computes Japan's calendar day by arithmetic where Japan time is a fixed UTC+9, and asks the
// time-zone database elsewhere: every instant must get the day the time-zone database gives.
const tzdb = new Intl.DateTimeFormat("sv-SE", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "Asia/Tokyo" });

describe("isoDate: the calendar day in Japan time", () => {
  it("turns over at midnight in Tokyo (15:00 UTC), not at midnight UTC", () => {
    expect(isoDate(new Date("2026-11-30T14:59:59.999Z"))).toBe("2026-11-30");
    expect(isoDate(new Date("2026-11-30T15:00:00.000Z"))).toBe("2026-12-01");
    expect(isoDate("2024-02-28T15:00:00Z")).toBe("2024-02-29");
    expect(isoDate("2026-12-31T15:00:00Z")).toBe("2027-01-01");
  });

  it("agrees with the time-zone database on instants around every boundary it handles apart", () => {
    const instants = [
      // summer time 1948–51 (UTC+10) and local mean time before 1888: the database's answer, not +9's
      "1951-09-07T14:30:00Z", "1949-07-01T14:30:00Z", "1887-12-31T14:50:00Z", "1900-01-01T00:00:00Z",
      // either side of the arithmetic's range
      "1951-12-31T14:59:59Z", "1951-12-31T15:00:00Z", "1952-01-01T00:00:00Z", "9999-12-30T15:00:00Z",
    ].map((s) => new Date(s));
    // and a spread of ordinary instants across a century: about every 29 days, at a different hour each time
    for (let t = Date.UTC(1950, 0, 1); t < Date.UTC(2060, 0, 1); t += 26_000_000 * 97) instants.push(new Date(t));
    for (const d of instants) expect(isoDate(d), d.toISOString()).toBe(tzdb.format(d));
  });

  it("gives a dash for a missing or invalid value; a date string reads (twin)", () => {
    expect(isoDate(null)).toBe("—");
    expect(isoDate("")).toBe("—");
    expect(isoDate("not a date")).toBe("—");
    expect(isoDate(new Date(Number.NaN))).toBe("—");
    expect(isoDate("1958-04-12")).toBe("1958-04-12");
  });
});

describe("calendar days by arithmetic (dayString, dayNumber, addDays)", () => {
  // what Date itself says: the reference the arithmetic must match on every day of years 0–9999
  const byDate = (days: number) => new Date(days * 86_400_000).toISOString().slice(0, 10);
  const first = new Date("0000-01-01T00:00:00Z").getTime() / 86_400_000;
  const last = new Date("9999-12-31T00:00:00Z").getTime() / 86_400_000;

  it("names every day of years 0–9999 as Date does, and numbers it back", () => {
    fc.assert(
      fc.property(fc.integer({ min: first, max: last }), (days) => {
        expect(dayString(days)).toBe(byDate(days));
        expect(dayNumber(dayString(days))).toBe(days);
      }),
      { numRuns: 20_000 },
    );
    for (const d of [first, last, 0, -1, 11_016, 19_782]) expect(dayString(d)).toBe(byDate(d));
    expect(dayString(dayNumber("2024-02-29"))).toBe("2024-02-29");
    expect(dayString(dayNumber("2100-02-28") + 1)).toBe("2100-03-01");
  });

  it("adds days across months, leap days and years, backwards too, as Date's own arithmetic does", () => {
    fc.assert(
      fc.property(fc.integer({ min: first + 400, max: last - 400 }), fc.integer({ min: -366, max: 366 }), (days, n) => {
        const day = byDate(days);
        const d = new Date(`${day}T00:00:00Z`);
        d.setUTCDate(d.getUTCDate() + n);
        expect(addDays(day, n)).toBe(d.toISOString().slice(0, 10));
      }),
      { numRuns: 5_000 },
    );
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2023-02-28", 1)).toBe("2023-03-01");
    expect(addDays("2027-01-01", -1)).toBe("2026-12-31");
  });
});
