import { describe, expect, it } from "vitest";
import type { Condition } from "../lib/db/generated/client";
import { mergeProblems } from "../lib/record/problems";

const condition = (id: string, facilityId: string, day: string, over: Partial<Condition> = {}): Condition => ({
  patientId: "p",
  id,
  facilityId,
  occurredAt: new Date(`${day}T00:00:00Z`),
  endedAt: null,
  codeSystem: "MEDIS",
  code: "8830052",
  display: "本態性高血圧症",
  icd10: "I10",
  suspected: false,
  major: false,
  infection: false,
  outcome: null,
  sensitivity: "NORMAL",
  uninformed: false,
  occurredPrecision: null,
  sourceRef: null,
  recordedAt: new Date("2024-01-01T00:00:00Z"),
  ...over,
});

describe("mergeProblems", () => {
  it("lists a diagnosis recorded at two facilities once, naming both, since the earliest onset", () => {
    const [p, ...rest] = mergeProblems([condition("b", "fac-02", "2024-05-01"), condition("a", "fac-01", "2019-03-01")]);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ id: "b", facilityIds: ["fac-02", "fac-01"], since: "2019-03-01T00:00:00.000Z" });
  });
  it("keeps different diagnoses apart, in the order given", () => {
    const ps = mergeProblems([condition("dm", "fac-01", "2020-01-01", { code: "8846", display: "2型糖尿病" }), condition("ht", "fac-01", "2019-01-01")]);
    expect(ps.map((p) => p.display)).toEqual(["2型糖尿病", "本態性高血圧症"]);
  });
  it("is suspected only while no facility has confirmed it, and major if any facility says so", () => {
    const both = mergeProblems([condition("a", "fac-01", "2024-01-01", { suspected: true }), condition("b", "fac-02", "2024-02-01", { major: true })]);
    expect(both[0]).toMatchObject({ suspected: false, major: true });
    const onlySuspected = mergeProblems([condition("a", "fac-01", "2024-01-01", { suspected: true }), condition("b", "fac-02", "2024-02-01", { suspected: true })]);
    expect(onlySuspected[0]!.suspected).toBe(true);
  });
  it("names a facility once however many times it recorded the diagnosis", () => {
    expect(mergeProblems([condition("a", "fac-01", "2024-01-01"), condition("b", "fac-01", "2023-01-01")])[0]!.facilityIds).toEqual(["fac-01"]);
  });
});
