import { describe, expect, it } from "vitest";
import { addOutcome, emptySummary, WARNINGS_KEPT } from "../lib/ingest/summary";
import { fileOutcome } from "../lib/ingest/storage-document";

describe("an import's summary", () => {
  it("keeps the first warnings word for word and counts every one, by its code, however many files warn", () => {
    const s = emptySummary();
    for (let i = 0; i < WARNINGS_KEPT + 500; i++) addOutcome(s, fileOutcome(`f${i}`, "created", undefined, 1, ["BIRTH_DATE: PID-7 says 1965-04-15, the patient's is 1948-04-05", "R2152: identifier repeated"]));
    expect(s.warnings).toHaveLength(WARNINGS_KEPT);
    expect(s.warnings[0]).toEqual({ file: "f0", warning: "BIRTH_DATE: PID-7 says 1965-04-15, the patient's is 1948-04-05" });
    expect(s.warningCount).toBe(2 * (WARNINGS_KEPT + 500));
    expect(s.warningKinds).toEqual({ BIRTH_DATE: WARNINGS_KEPT + 500, R2152: WARNINGS_KEPT + 500 });
    expect(s.filesRead).toBe(WARNINGS_KEPT + 500);
  });

  it("twin: a run with few warnings keeps them all", () => {
    const s = emptySummary();
    addOutcome(s, fileOutcome("a", "created", undefined, 1, ["NO_DATE: filed at the content folder's time"]));
    expect(s.warnings).toEqual([{ file: "a", warning: "NO_DATE: filed at the content folder's time" }]);
    expect(s).toMatchObject({ warningCount: 1, warningKinds: { NO_DATE: 1 } });
  });
});
