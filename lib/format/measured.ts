// A measured value as the screens print it, at its test's precision (HbA1c 7.0 %). The precision is
// terminology (lib/terminology), the printing is format: app/ reaches it here, as DESIGN.md's layering asks.
export { measuredText } from "../terminology/lab-tests";
