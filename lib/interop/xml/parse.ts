import sax from "sax";

/**
 * XML as the CDA reader needs it: the bytes decoded by the encoding their declaration names, then a
 * small tree of elements with their text in document order. Pure, and safe on hostile input:
 *  - a DOCTYPE is refused outright. CDA documents have none, and refusing it is what makes external
 *    entities (XXE: a SYSTEM entity naming a local file) and entity expansion bombs impossible; sax
 *    (strict, XML entities only) never resolves or expands a declared entity either;
 *  - linear time and memory: sax reads character by character, fed in chunks so that its buffer checks
 *    run; the nesting is capped, so later walks of the tree cannot overflow the stack;
 *  - the first well-formedness error stops the parse, named with its element path and line.
 */
export interface XmlElement {
  /** the local name, without a namespace prefix (cda:section → section) */
  name: string;
  attrs: Readonly<Record<string, string>>;
  /** elements and text in document order; adjacent text is one string */
  children: (XmlElement | string)[];
  /** 1-based line of the start tag */
  line: number;
}

export type XmlFailure = "EMPTY" | "UNKNOWN_ENCODING" | "BAD_BYTES" | "DTD_FORBIDDEN" | "NOT_WELL_FORMED" | "TOO_DEEP";

export type XmlError = { ok: false; reason: XmlFailure; detail: string; element: string | null; line: number | null };
export type XmlParse = { ok: true; root: XmlElement } | XmlError;

/** Far deeper than any CDA document (a section's narrative table is about 12 levels below the root). */
export const MAX_XML_DEPTH = 256;
const CHUNK = 16 * 1024;

/** Encoding names Japanese systems write that are not WHATWG labels, as the decoder knows them. */
const ALIASES: Readonly<Record<string, string>> = { cp932: "shift_jis", ms932: "shift_jis", "shift-jis": "shift_jis", "windows-932": "shift_jis", "x-ms-cp932": "shift_jis", eucjp: "euc-jp" };

const failed = (reason: XmlFailure, detail: string, element: string | null = null, line: number | null = null): XmlError => ({ ok: false, reason, detail, element, line });

/** The encoding the bytes declare: a byte-order mark, else the XML declaration's, else UTF-8 (XML 1.0 §4.3.3). */
function declaredEncoding(bytes: Uint8Array): { label: string; skip: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { label: "utf-8", skip: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: "utf-16le", skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: "utf-16be", skip: 2 };
  // the declaration is ASCII in every encoding a CDA is written in: read it as bytes
  const head = Buffer.from(bytes.subarray(0, 256)).toString("latin1");
  const m = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']/.exec(head);
  return { label: m ? m[1]!.toLowerCase() : "utf-8", skip: 0 };
}

/** The bytes as text, by their declared encoding; bytes that are not of it are refused, never mojibake. */
export function decodeXmlBytes(bytes: Uint8Array): { ok: true; text: string; encoding: string } | XmlError {
  if (bytes.length === 0) return failed("EMPTY", "the file is empty");
  const { label, skip } = declaredEncoding(bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(ALIASES[label] ?? label, { fatal: true });
  } catch {
    return failed("UNKNOWN_ENCODING", `the XML declaration names encoding ${label}, which is not one this reader knows`);
  }
  try {
    return { ok: true, text: decoder.decode(bytes.subarray(skip)), encoding: decoder.encoding };
  } catch {
    return failed("BAD_BYTES", `the file is not valid ${decoder.encoding} (the encoding ${skip ? "its byte-order mark" : "its XML declaration"} names)`);
  }
}

/** Thrown inside sax's callbacks to stop at the first problem; caught below, never escapes. */
class Stop {
  constructor(
    readonly reason: XmlFailure,
    readonly detail: string,
  ) {}
}

const localName = (n: string) => n.slice(n.indexOf(":") + 1);

/** XML text into its element tree, or the first reason it cannot be read, with where. Never throws. */
export function parseXml(text: string): XmlParse {
  const parser = sax.parser(true, { position: true, strictEntities: true, trim: false, normalize: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const append = (s: string) => {
    const top = stack[stack.length - 1];
    if (!top) return; // whitespace around the root (sax refuses any other text there)
    const last = top.children.length - 1;
    if (typeof top.children[last] === "string") top.children[last] += s;
    else top.children.push(s);
  };
  parser.onopentag = (tag) => {
    if (stack.length >= MAX_XML_DEPTH) throw new Stop("TOO_DEEP", `elements nest deeper than ${MAX_XML_DEPTH} levels`);
    const el: XmlElement = { name: localName(tag.name), attrs: tag.attributes, children: [], line: parser.line + 1 };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root ??= el;
    stack.push(el);
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  parser.ontext = append;
  parser.oncdata = append;
  parser.ondoctype = () => {
    throw new Stop("DTD_FORBIDDEN", "a DOCTYPE (document type declaration): a CDA document has none, and its entities are never read");
  };
  parser.onerror = (e) => {
    throw new Stop("NOT_WELL_FORMED", String(e.message).split("\n")[0]!);
  };
  const where = () => ({ element: stack.length ? `/${stack.map((e) => e.name).join("/")}` : null, line: parser.line + 1 });
  try {
    for (let i = 0; i < text.length; i += CHUNK) parser.write(text.slice(i, i + CHUNK));
    parser.close();
  } catch (e) {
    const at = where();
    if (e instanceof Stop) return failed(e.reason, e.detail, at.element, at.line);
    // sax itself can throw on input it does not expect (a character reference beyond U+10FFFF)
    return failed("NOT_WELL_FORMED", e instanceof Error ? e.message.split("\n")[0]! : String(e), at.element, at.line);
  }
  if (!root) return failed("EMPTY", "no root element", null, where().line);
  return { ok: true, root };
}

/** A file's bytes into its element tree (decoded by its declared encoding), or why not. Never throws. */
export function readXmlBytes(bytes: Uint8Array): { ok: true; root: XmlElement; encoding: string } | XmlError {
  const decoded = decodeXmlBytes(bytes);
  if (!decoded.ok) return decoded;
  const parsed = parseXml(decoded.text);
  return parsed.ok ? { ...parsed, encoding: decoded.encoding } : parsed;
}

/** The first child element of that local name. */
export const childOf = (el: XmlElement | null | undefined, name: string): XmlElement | null =>
  (el?.children.find((c): c is XmlElement => typeof c !== "string" && c.name === name) as XmlElement | undefined) ?? null;

/** Every child element of that local name. */
export const childrenOf = (el: XmlElement | null | undefined, name: string): XmlElement[] => (el ? el.children.filter((c): c is XmlElement => typeof c !== "string" && c.name === name) : []);

/** Down a path of child elements, first match at each step. */
export const pathOf = (el: XmlElement | null | undefined, ...names: string[]): XmlElement | null => names.reduce<XmlElement | null>((at, n) => childOf(at, n), el ?? null);

/** An attribute's value, trimmed; null when absent or empty. */
export const attrOf = (el: XmlElement | null | undefined, name: string): string | null => el?.attrs[name]?.trim() || null;

/** All the text under an element, whitespace runs as one space, trimmed; null when there is none. Iterative. */
export function textOf(el: XmlElement | null | undefined): string | null {
  if (!el) return null;
  const parts: string[] = [];
  const todo: (XmlElement | string)[] = [el];
  while (todo.length) {
    const x = todo.pop()!;
    if (typeof x === "string") parts.push(x);
    else for (let i = x.children.length - 1; i >= 0; i--) todo.push(x.children[i]!);
  }
  return parts.join("").replace(/\s+/g, " ").trim() || null;
}
