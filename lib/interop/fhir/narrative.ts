import { MAX_NARRATIVE } from "./json";

/**
 * Narrative XHTML (text.div) as plain text: block ends and <br> become line breaks, other tags go,
 * entities are decoded. Not an HTML parser: FHIR narrative is constrained XHTML, and the text is shown
 * escaped, never as markup, so a tag this misreads can only cost formatting.
 */
const BLOCK_END = /<\/(p|div|li|tr|h[1-6]|table|ul|ol|blockquote|pre)\s*>|<br\s*\/?>/gi;
const NAMED: ReadonlyMap<string, string> = new Map([["amp", "&"], ["lt", "<"], ["gt", ">"], ["quot", '"'], ["apos", "'"], ["nbsp", " "]]);

function decodeEntity(whole: string, name: string): string {
  if (name.startsWith("#")) {
    const cp = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isInteger(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
  }
  return NAMED.get(name) ?? whole;
}

export function narrativeText(xhtml: string): string {
  return xhtml
    .slice(0, MAX_NARRATIVE)
    .replace(BLOCK_END, "\n")
    // [^<>]: a tag ends before the next "<", so a run of unclosed "<" costs linear time, not quadratic
    .replace(/<[^<>]*>/g, "")
    .replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, decodeEntity)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join("\n");
}
