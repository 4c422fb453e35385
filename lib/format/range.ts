/**
 * A reference range as a clinician reads it: "60–99" with both bounds, "≤30" with only an upper one,
 * "≥40" with only a lower one; null with neither. ("–30" and "40–" read like negative numbers, or like
 * a value missing.) The same text in Japanese and English.
 */
export function formatRange(low: number | null | undefined, high: number | null | undefined): string | null {
  const has = (v: number | null | undefined): v is number => v !== null && v !== undefined;
  if (has(low) && has(high)) return `${low}–${high}`;
  if (has(high)) return `≤${high}`;
  if (has(low)) return `≥${low}`;
  return null;
}
