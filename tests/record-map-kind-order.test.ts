import { describe, expect, it } from "vitest";
import { mapGrid, mapCellKey, type MapCellCount } from "../lib/format/record-map";
import { RECORD_KINDS } from "../lib/format/record-kinds";
import { messages } from "../lib/i18n/messages";

// One facility's counts as the server may send them: kinds in no particular order, and in another
// order in another month.
const CELLS: MapCellCount[] = [
  { facilityId: "f1", period: "2025-03", kind: "condition", count: 1 },
  { facilityId: "f1", period: "2025-03", kind: "encounter", count: 2 },
  { facilityId: "f1", period: "2025-03", kind: "prescription", count: 1 },
  { facilityId: "f1", period: "2025-01", kind: "document", count: 1 },
  { facilityId: "f1", period: "2025-01", kind: "prescription", count: 3 },
  { facilityId: "f1", period: "2025-01", kind: "encounter", count: 1 },
  { facilityId: "f1", period: "2025-01", kind: "allergy", count: 1 },
  { facilityId: "f1", period: "2025-01", kind: "lab", count: 4 },
];

// a cell's glyphs as the map shows them
const glyphs = (by: "month" | "year", period: string) => (mapGrid(CELLS, by).counts.get(mapCellKey("f1", period)) ?? []).map(([k]) => messages.ja.map.icon[k]).join("");

describe("a record-map cell lists its kinds in the key's order", () => {
  it("the key's order is 受 病 薬 検 健 ア 手 文", () => {
    expect(RECORD_KINDS.map((k) => messages.ja.map.icon[k]).join("")).toBe("受病薬検健ア手文");
  });

  it("by month, whatever order the counts came in", () => {
    expect(glyphs("month", "2025-03")).toBe("受病薬");
    expect(glyphs("month", "2025-01")).toBe("受薬検ア文");
  });

  it("by year, the months' kinds merged, in the same order and with their counts summed", () => {
    expect(glyphs("year", "2025")).toBe("受病薬検ア文");
    expect(mapGrid(CELLS, "year").counts.get(mapCellKey("f1", "2025"))).toEqual([
      ["encounter", 3],
      ["condition", 1],
      ["prescription", 4],
      ["lab", 4],
      ["allergy", 1],
      ["document", 1],
    ]);
  });
});
