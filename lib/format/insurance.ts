/**
 * The insurance card's numbers, each with its name: 「保険者番号 01220011 · 記号 2231907 · 番号 5」. Three
 * bare numbers were read the wrong way round (the 記号 taken for the 被保険者番号, which the emergency
 * search and the desk ask for). A number the card does not carry (many have no 記号) is left out; null
 * when there is none at all.
 */
export function insuranceNumbers(
  p: { insurerNumber: string | null; insuredSymbol: string | null; insuredNumber: string | null },
  labels: { insurer: string; symbol: string; number: string; separator: string },
): string | null {
  const parts = ([[labels.insurer, p.insurerNumber], [labels.symbol, p.insuredSymbol], [labels.number, p.insuredNumber]] as const).filter(([, v]) => v);
  return parts.length ? parts.map(([label, v]) => `${label} ${v}`).join(labels.separator) : null;
}
