import type { FhirIssue } from "./types";

/**
 * Reading parsed JSON that may be anything: every value travels with the place it was found, and
 * every read that finds the wrong type says so (in Japanese and English) instead of throwing.
 */
export interface Node {
  readonly v: unknown;
  /** FHIRPath-style: Bundle.entry[3].resource.code */
  readonly at: string;
}

export const node = (v: unknown, at: string): Node => ({ v, at });

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** n.key; own properties only, so "constructor" or "__proto__" in a file never reaches a prototype */
export function field(n: Node, key: string): Node {
  return node(isObject(n.v) && Object.hasOwn(n.v, key) ? n.v[key] : undefined, `${n.at}.${key}`);
}

/** A resource's resourceType, or null when it has none (or not a string). */
export function resourceType(n: Node): string | null {
  const t = field(n, "resourceType").v;
  return typeof t === "string" && t ? t : null;
}

/** Longer than any code, name or date a sender has a reason to send; narrative has its own limit. */
const MAX_STRING = 10_000;
export const MAX_NARRATIVE = 1_000_000;

type Expected = "object" | "array" | "string" | "number" | "boolean";
const JA: Record<Expected | "null" | "undefined", string> = {
  object: "オブジェクト", array: "配列", string: "文字列", number: "数値", boolean: "真偽値", null: "null", undefined: "値なし",
};
function kindOf(v: unknown): Expected | "null" | "undefined" {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  const t = typeof v;
  return t === "object" || t === "string" || t === "number" || t === "boolean" ? t : "undefined";
}

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

export type Severity = FhirIssue["severity"];

export class Issues {
  readonly all: FhirIssue[] = [];
  /** readers that look at one element twice (a reference followed, then its display) say so once */
  private readonly seen = new Set<string>();

  add(severity: Severity, code: FhirIssue["code"], expression: string, ja: string, en: string): void {
    const key = `${severity} ${code} ${expression} ${en}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.all.push({ severity, code, expression, ja, en });
  }
  error(code: FhirIssue["code"], expression: string, ja: string, en: string): void {
    this.add("error", code, expression, ja, en);
  }
  warn(code: FhirIssue["code"], expression: string, ja: string, en: string): void {
    this.add("warning", code, expression, ja, en);
  }
  get failed(): boolean {
    return this.all.some((i) => i.severity === "error");
  }

  /** A present value of the wrong type: reported, and read as absent. */
  private wrongType(n: Node, expected: Expected, severity: Severity): void {
    const got = kindOf(n.v);
    this.add(severity, "structure", n.at, `${n.at} は${JA[expected]}でなければなりませんが、${JA[got]}が送られました。`, `${n.at} must be ${article(expected)}, but ${got === "null" || got === "undefined" ? got : article(got)} was sent.`);
  }

  object(n: Node, severity: Severity = "warning"): Node | null {
    if (n.v === undefined) return null;
    if (isObject(n.v)) return n;
    this.wrongType(n, "object", severity);
    return null;
  }

  /** The elements of an array as nodes; absent is empty, anything else is reported and empty. */
  list(n: Node, severity: Severity = "warning"): Node[] {
    if (n.v === undefined) return [];
    if (!Array.isArray(n.v)) {
      this.wrongType(n, "array", severity);
      return [];
    }
    return n.v.map((v, i) => node(v, `${n.at}[${i}]`));
  }

  /** The elements of an array that are objects; the others are reported. */
  objects(n: Node, severity: Severity = "warning"): Node[] {
    return this.list(n, severity).flatMap((e) => this.object(e, severity) ?? []);
  }

  /** A trimmed non-empty string, or null (absent, blank, wrong type, or longer than any real value). */
  string(n: Node, severity: Severity = "warning", max = MAX_STRING): string | null {
    if (n.v === undefined) return null;
    if (typeof n.v !== "string") {
      this.wrongType(n, "string", severity);
      return null;
    }
    if (n.v.length > max) {
      this.add(severity, "value", n.at, `${n.at} が長すぎます（${n.v.length}文字、上限${max}文字）。`, `${n.at} is too long (${n.v.length} characters, at most ${max}).`);
      return null;
    }
    const t = n.v.trim();
    return t ? t : null;
  }

  number(n: Node, severity: Severity = "warning"): number | null {
    if (n.v === undefined) return null;
    if (typeof n.v !== "number" || !Number.isFinite(n.v)) {
      this.wrongType(n, "number", severity);
      return null;
    }
    return n.v;
  }

  boolean(n: Node, severity: Severity = "warning"): boolean | null {
    if (n.v === undefined) return null;
    if (typeof n.v !== "boolean") {
      this.wrongType(n, "boolean", severity);
      return null;
    }
    return n.v;
  }
}

/**
 * A FHIR JSON body as bytes, parsed: UTF-8 only (a byte that is not UTF-8 is refused, never decoded
 * into mojibake), a leading BOM allowed. The one way a file or a push becomes JSON.
 */
export function parseJsonBytes(bytes: Uint8Array): { ok: true; json: unknown } | { ok: false; reason: "NOT_UTF8" | "INVALID_JSON"; detail: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return { ok: false, reason: "NOT_UTF8", detail: "FHIR JSON must be UTF-8" };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (e) {
    return { ok: false, reason: "INVALID_JSON", detail: e instanceof Error ? e.message : String(e) };
  }
}
