import { describe, expect, it } from "vitest";
import { formatRange } from "../lib/format/range";

describe("reference ranges", () => {
  it("shows both bounds with an en dash", () => {
    expect(formatRange(60, 99)).toBe("60–99");
    expect(formatRange(18.5, 24.9)).toBe("18.5–24.9");
  });
  it("shows a lone upper bound as ≤ and a lone lower bound as ≥, never as a dangling dash", () => {
    expect(formatRange(null, 30)).toBe("≤30");
    expect(formatRange(40, null)).toBe("≥40");
    expect(formatRange(undefined, 5.5)).toBe("≤5.5");
  });
  it("keeps a bound of zero, which is a bound", () => {
    expect(formatRange(0, 0.5)).toBe("0–0.5");
    expect(formatRange(0, null)).toBe("≥0");
    expect(formatRange(null, 0)).toBe("≤0");
  });
  it("is nothing without bounds", () => {
    expect(formatRange(null, null)).toBeNull();
    expect(formatRange(undefined, undefined)).toBeNull();
  });
});
