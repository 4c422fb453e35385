/**
 * The panel a test belongs to in the cumulative lab table (検査結果一覧), read from its JLAC10 code
 * rather than from a list of the tests the demo seed happens to use, so that a result imported from
 * any facility lands in a panel. JLAC10's first characters are the analyte's group: 2A blood count,
 * 3A proteins, 3B enzymes, 3C nitrogen compounds, 3D sugars, 3F lipids, 3H electrolytes, 5C
 * plasma proteins and inflammation, 1A urinalysis; 8A is a calculated value (eGFR is 8A065). 特定健診 items
 * (9A blood pressure, 9N body measurements) sit in their own panel.
 */
export const PANELS = ["bloodCount", "liver", "renal", "lipids", "glucose", "electrolytes", "inflammation", "urine", "vitals", "other"] as const;
export type Panel = (typeof PANELS)[number];

const BY_ANALYTE: ReadonlyMap<string, Panel> = new Map([
  ["8A065", "renal"], // eGFR: calculated from creatinine, read with it
]);

const BY_GROUP: readonly [string, Panel][] = [
  ["1A", "urine"],
  ["2A", "bloodCount"],
  ["3A", "liver"], // albumin and total protein are read with the liver tests
  ["3B", "liver"],
  ["3C", "renal"],
  ["3D", "glucose"],
  ["3F", "lipids"],
  ["3H", "electrolytes"],
  ["5C", "inflammation"],
  ["9A", "vitals"],
  ["9N", "vitals"],
];

export function panelOf(code: string): Panel {
  const exact = BY_ANALYTE.get(code.slice(0, 5));
  if (exact) return exact;
  return BY_GROUP.find(([prefix]) => code.startsWith(prefix))?.[1] ?? "other";
}
