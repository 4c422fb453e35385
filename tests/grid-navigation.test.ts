import { describe, expect, it } from "vitest";
import { moveInGrid } from "../components/grid-navigation";

// A record map of 3 facilities × 5 periods; "x" is a cell with records.
const MAP = ["xx.x.", "..x..", "x...x"];
const has = (r: number, c: number) => MAP[r]?.[c] === "x";
const move = (at: [number, number], key: string, ctrl = false) => moveInGrid(has, 3, 5, at, key, ctrl);

describe("moving through the record map with the keyboard", () => {
  it("goes left and right over the empty cells of a row, and stays put at its ends", () => {
    expect(move([0, 1], "ArrowRight")).toEqual([0, 3]);
    expect(move([0, 3], "ArrowRight")).toEqual([0, 3]);
    expect(move([0, 3], "ArrowLeft")).toEqual([0, 1]);
    expect(move([0, 0], "ArrowLeft")).toEqual([0, 0]);
  });
  it("goes up and down to the nearest cell of the next row that has one, so every row is reachable", () => {
    expect(move([0, 3], "ArrowDown")).toEqual([1, 2]);
    expect(move([1, 2], "ArrowDown")).toEqual([2, 0]); // equally near: the earlier column (the newer period)
    expect(move([2, 4], "ArrowUp")).toEqual([1, 2]);
    expect(move([0, 0], "ArrowUp")).toEqual([0, 0]);
    expect(move([2, 0], "ArrowDown")).toEqual([2, 0]);
  });
  it("Home and End go to the row's first and last cells; with Ctrl to the grid's", () => {
    expect(move([0, 3], "Home")).toEqual([0, 0]);
    expect(move([2, 0], "End")).toEqual([2, 4]);
    expect(move([1, 2], "Home", true)).toEqual([0, 0]);
    expect(move([1, 2], "End", true)).toEqual([2, 4]);
  });
  it("leaves other keys (Tab, Enter, Space) to the browser", () => {
    for (const key of ["Tab", "Enter", " ", "a"]) expect(move([0, 0], key)).toBeNull();
  });
});
