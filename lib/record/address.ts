/**
 * Japanese addresses compared as the ER desk types them: full-width and half-width forms folded
 * (NFKC: "１－２２" and "1-22" alike), spaces and the many hyphens dropped. Pure.
 */
export const squashAddress = (s: string) => s.normalize("NFKC").replace(/[\s\u3000\-‐－ー−]/g, "");

const PREFECTURE = /^(東京都|北海道|京都府|大阪府|.{2,3}?県)/;
// a county first (榛原郡吉田町), then the city, town, village or Tokyo ward; for a designated city the
// city itself (静岡市 of 静岡市清水区) is the municipality. The same rule parses both sides of a
// comparison, so an odd name parsed oddly is parsed the same way on each side.
const MUNICIPALITY = /^((?:.+?郡)?.+?[市町村区])/;

/** The prefecture (if written) and the municipality of an address, or null when there is none to read. */
export function municipalityOf(address: string): { prefecture: string | null; municipality: string } | null {
  const s = squashAddress(address);
  const pref = PREFECTURE.exec(s)?.[1] ?? null;
  const rest = pref ? s.slice(pref.length) : s;
  const m = MUNICIPALITY.exec(rest)?.[1];
  return m ? { prefecture: pref, municipality: m } : null;
}

/**
 * Does the address given match the one on record at least to the municipality? The prefecture may
 * be left out (the ER knows where it is); if given it must agree. What follows the municipality is
 * not compared: 丁目・番地 are written in too many ways to be a fair test, and the exact kana name,
 * birth date and sex have already matched.
 */
export function addressMatchesToMunicipality(given: string, onRecord: string | null): boolean {
  if (!onRecord) return false;
  const g = municipalityOf(given);
  const r = municipalityOf(onRecord);
  if (!g || !r) return false;
  if (g.prefecture && r.prefecture && g.prefecture !== r.prefecture) return false;
  return g.municipality === r.municipality;
}
