/**
 * Full-width katakana with single spaces: how kana names are stored and compared (search, the card
 * checks, identity matching of imported records). NFKC first, so half-width kana, full-width digits
 * and Node's U+FF0D for JIS 0x215D compare as they read.
 */
export function normaliseKana(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60))
    .replace(/[\s\u3000]+/g, " ")
    .trim();
}
