/**
 * An HL7 v2 message, parsed: segments, fields, repetitions, components and sub-components, with the
 * delimiters and escape character read from MSH (never assumed), and the escapes \F\ \S\ \T\ \R\ \E\
 * and \Xhh..\ resolved in every value read. Pure: text in, structure out; what the values mean is the
 * SS-MIX2 reader's business.
 *
 * Positions are as the standard numbers them: field 1 of MSH is the field separator itself, so MSH-9
 * is the message type as in the specification; for other segments field 1 is the first after the name.
 */
export interface Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

export interface Segment {
  name: string;
  /** 1-based line of the message this segment starts on, for errors that point at their source */
  line: number;
  /** raw fields as in the message, index 0 is the segment name */
  raw: string[];
}

export interface Hl7Message {
  delimiters: Delimiters;
  segments: Segment[];
}

export type ParseFailure = "NO_MSH" | "BAD_DELIMITERS";
export type Parsed = { ok: true; message: Hl7Message } | { ok: false; reason: ParseFailure };

export function parseHl7(text: string): Parsed {
  // spaces or tabs an editor or a converter left after a segment are not data: "M  " is still PID-8 M
  const lines = text.split(/\r\n|\r|\n/).map((l) => l.replace(/[ \t]+$/, ""));
  const first = lines.findIndex((l) => l.length > 0);
  const msh = first >= 0 ? lines[first]! : "";
  if (!msh.startsWith("MSH") || msh.length < 8) return { ok: false, reason: "NO_MSH" };
  const [field, component, repetition, escape, subcomponent] = [...msh.slice(3, 8)] as [string, string, string, string, string];
  const set = new Set([field, component, repetition, escape, subcomponent]);
  if (set.size !== 5 || /[A-Za-z0-9\s]/.test([...set].join(""))) return { ok: false, reason: "BAD_DELIMITERS" };
  const delimiters: Delimiters = { field, component, repetition, escape, subcomponent };
  const segments: Segment[] = [];
  lines.forEach((l, i) => {
    if (l.length === 0) return;
    const raw = l.split(field);
    if (raw[0] === "MSH") raw.splice(1, 0, field); // MSH-1 is the separator, MSH-2 the encoding characters
    segments.push({ name: raw[0]!, line: i + 1, raw });
  });
  return { ok: true, message: { delimiters, segments } };
}

/** The decoded text of one value, escapes resolved (an unknown escape is kept as written). */
export function unescapeValue(v: string, d: Delimiters): string {
  if (!v.includes(d.escape)) return v;
  const e = d.escape.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return v.replace(new RegExp(`${e}([^${e}]*)${e}`, "g"), (whole, code: string) => {
    switch (code) {
      case "F":
        return d.field;
      case "S":
        return d.component;
      case "T":
        return d.subcomponent;
      case "R":
        return d.repetition;
      case "E":
        return d.escape;
      case ".br":
        return "\n";
      case "H": // highlighting on/off: formatting, not text
      case "N":
        return "";
      default:
        if (/^X([0-9A-Fa-f]{2})+$/.test(code)) return String.fromCharCode(...code.slice(1).match(/../g)!.map((h) => parseInt(h, 16)));
        return whole;
    }
  });
}

export function segmentsNamed(m: Hl7Message, name: string): Segment[] {
  return m.segments.filter((s) => s.name === name);
}

/**
 * One value: segment field (1-based, as the standard numbers it), repetition (0-based), component and
 * sub-component (1-based). Empty string when absent. Escapes are resolved.
 */
export function valueAt(m: Hl7Message, s: Segment, field: number, component = 1, subcomponent = 1, repetition = 0): string {
  const d = m.delimiters;
  const raw = s.raw[field];
  if (raw === undefined) return "";
  // MSH-2 holds the delimiters themselves: never split or unescape it
  if (s.name === "MSH" && field <= 2) return raw;
  const rep = raw.split(d.repetition)[repetition] ?? "";
  const comp = rep.split(d.component)[component - 1] ?? "";
  const sub = comp.split(d.subcomponent)[subcomponent - 1] ?? "";
  return unescapeValue(sub, d);
}

/** How many repetitions a field has (0 when empty). */
export function repetitions(m: Hl7Message, s: Segment, field: number): number {
  const raw = s.raw[field];
  return raw ? raw.split(m.delimiters.repetition).length : 0;
}

/**
 * A text field whole (ST, TX, FT): every repetition on its own line, each with its components as
 * written — a sender that did not escape a ^ in a sentence still gets the whole sentence — and the
 * escapes resolved (FT's \.br\ is a line break). Empty string when absent.
 */
export function textOf(m: Hl7Message, s: Segment, field: number): string {
  const raw = s.raw[field];
  if (raw === undefined || (s.name === "MSH" && field <= 2)) return "";
  const { component } = m.delimiters;
  return raw
    .split(m.delimiters.repetition)
    // empty trailing components ("陰性^") are a sender's padding, not text
    .map((rep) => {
      let end = rep.length;
      while (end > 0 && rep[end - 1] === component) end--;
      return unescapeValue(rep.slice(0, end), m.delimiters);
    })
    .filter(Boolean)
    .join("\n");
}

/** Every sub-component of one component, escapes resolved: `QTc 時間&Bazzet` is ["QTc 時間", "Bazzet"]. */
export function subcomponents(m: Hl7Message, s: Segment, field: number, component = 1): string[] {
  const raw = s.raw[field];
  if (raw === undefined || (s.name === "MSH" && field <= 2)) return [];
  const comp = (raw.split(m.delimiters.repetition)[0] ?? "").split(m.delimiters.component)[component - 1] ?? "";
  return comp ? comp.split(m.delimiters.subcomponent).map((v) => unescapeValue(v, m.delimiters)) : [];
}

/** An XCN person (ID^family^given^…) as "family given", or null when it names nobody. */
export const personName = (m: Hl7Message, s: Segment, field: number): string | null => [valueAt(m, s, field, 2), valueAt(m, s, field, 3)].filter(Boolean).join(" ") || null;
