import { describe, expect, it } from "vitest";
import { facilityNamesIn } from "../lib/format/facility-names";

describe("the facility names a page sends with its data", () => {
  const directory = { "fac-01": "つなぐ中央病院", "fac-02": "しずおか市民病院", "fac-03": "みなみ内科クリニック", "fac-99": "ほかの病院" };
  it("names every facility the data mentions, however deep (a pharmacy, whoever acknowledged a warning), and no other", () => {
    const data = { medications: [{ prescribers: ["fac-01"], pharmacies: ["fac-03"] }], checks: { interactions: [{ acknowledged: { facilityId: "fac-02", reason: "fac-x" } }] } };
    expect(facilityNamesIn(data, directory)).toEqual({ "fac-01": "つなぐ中央病院", "fac-02": "しずおか市民病院", "fac-03": "みなみ内科クリニック" });
  });
  it("sends nothing for data that names no facility, even a string like a directory key inherited from Object", () => {
    expect(facilityNamesIn({ a: ["constructor", "toString"], b: null, c: 3 }, directory)).toEqual({});
  });
});
