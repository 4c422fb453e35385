import type { XmlElement } from "../xml/parse";

/**
 * A CDA section's narrative block (section/text) as lines a clinician reads: paragraphs, list items
 * and table rows each on their own line, <br/> a line break, inline markup (content, sub, sup,
 * linkHtml) as its text. Japanese systems often write the text with its own line breaks and no
 * markup, so a newline in the text is kept as one (the indentation of pretty-printed XML is not).
 * The depth is bounded by the parser's (lib/interop/xml), so the recursion is too.
 */
const BLOCK = new Set(["paragraph", "list", "table", "thead", "tbody", "tfoot", "tr", "caption", "footnote"]);
const CELL = new Set(["td", "th"]);
/** Not text: an image's reference, a footnote's reference mark. */
const SKIP = new Set(["renderMultiMedia", "footnoteRef", "col", "colgroup"]);

export function narrativeLines(text: XmlElement): string[] {
  const lines: string[] = [];
  let line = "";
  const flush = () => {
    const t = line.replace(/[ \t\u3000]+/g, " ").trim();
    if (t) lines.push(t);
    line = "";
  };
  const walk = (el: XmlElement, cellOfRow: boolean) => {
    let firstCell = true;
    for (const c of el.children) {
      if (typeof c === "string") {
        const parts = c.split(/\r?\n/);
        parts.forEach((p, i) => {
          if (i > 0) flush();
          line += p;
        });
        continue;
      }
      if (SKIP.has(c.name)) continue;
      if (c.name === "br") flush();
      else if (c.name === "item") {
        flush();
        line = "・";
        walk(c, false);
        flush();
      } else if (CELL.has(c.name) && cellOfRow) {
        // a row's cells on one line, apart
        if (!firstCell) line += " / ";
        firstCell = false;
        walk(c, false);
      } else if (BLOCK.has(c.name)) {
        flush();
        walk(c, c.name === "tr");
        flush();
      } else walk(c, false);
    }
  };
  walk(text, false);
  flush();
  return lines;
}
