/**
 * A letter's body in its sections: both the demo letters and the JP-CLINS Compositions write each
 * section title as 【title】, at the start of a line, with its text after it on the same line or the
 * next. As headings, a clinician (and a screen reader) can jump to 【アレルギー】 instead of reading
 * from the top. Text before the first title is a section without one.
 */
export interface DocumentSection {
  title: string | null;
  text: string;
}

export function sectionsOf(body: string): DocumentSection[] {
  const out: DocumentSection[] = [];
  for (const line of body.split(/\r?\n/)) {
    const m = /^【([^】\n]{1,40})】\s*(.*)$/.exec(line);
    if (m) out.push({ title: m[1]!, text: m[2]! });
    else if (out.length) out[out.length - 1]!.text += (out[out.length - 1]!.text ? "\n" : "") + line;
    else out.push({ title: null, text: line });
  }
  return out.map((s) => ({ ...s, text: s.text.replace(/\n+$/, "") })).filter((s) => s.title !== null || s.text.trim() !== "");
}
