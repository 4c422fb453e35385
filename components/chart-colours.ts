/** Distinguishable on white at ≥ 4.5:1, for the charts' series (a tenth series reuses the first colour; the legend names each). */
export const CHART_COLOURS = ["#1d4ed8", "#b91c1c", "#047857", "#7c3aed", "#c2410c", "#0e7490", "#a21caf", "#4d7c0f", "#334155"] as const;
