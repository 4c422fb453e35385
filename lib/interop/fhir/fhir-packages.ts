/**
 * The StructureDefinitions of the JP Core and JP-CLINS packages, indexed by canonical url, each with the
 * invariants (ElementDefinition.constraint) of its own elements and of its ancestors within the packages.
 *
 * The packages are CC BY-ND: they are read in place from ../shared/fhir-packages at run time (gunzip and
 * our own small tar reader), never copied or extracted into the project. JP-CLINS profiles carry
 * snapshots (base FHIR invariants included, copied from the spec); JP Core 1.1.2 ships differentials
 * only. A missing folder or package is a result, not an exception: the caller logs it and reports
 * "invariants not checked".
 */

import fs from "node:fs";
import path from "node:path";
import { readTgz } from "./tgz";

/** The packages read, in the order their definitions are indexed (JP-CLINS after the JP Core it builds on). */
export const FHIR_PACKAGE_FILES = ["jp-core.r4-1.1.2.tgz", "jp-clins.r4-1.5.2.tgz"] as const;

export interface ElementConstraint {
  /** constraint.key, e.g. "valid-value-bundleIdenfifier" or "ele-1" */
  key: string;
  severity: "error" | "warning";
  /** constraint.human: Japanese for the JP-CLINS rules (their rule number, e.g. "R2152:", opens it) */
  human: string;
  expression: string;
  /** ElementDefinition.path where it applies, e.g. "Bundle" or "Composition.section" */
  path: string;
  /** constraint.source: the profile that introduced it */
  source?: string;
  /** true when the package merely copies it from base FHIR (source is an hl7.org definition) */
  baseFhir: boolean;
  /** the url of the profile whose element list carries it */
  definedIn: string;
}

export interface Profile {
  url: string;
  name: string;
  /** the resource or data type constrained, e.g. "Bundle" */
  type: string;
  kind: string;
  /** which package file(s) define it (a few JP Core urls are re-published in JP-CLINS with a snapshot) */
  packages: string[];
  baseDefinition?: string;
  /** this url, then each ancestor followed through baseDefinition while it is in the packages */
  lineage: string[];
  /** own constraints first, then inherited ones; one per (path, key), the nearest definition winning */
  constraints: ElementConstraint[];
  /**
   * Elements whose data type is itself profiled in the packages (e.g. MedicationRequest.dosageInstruction
   * is a JP_MedicationDosage_eCS, which carries the 用法 rules R5020/R5021): those constraints apply there too.
   */
  typeProfiles: TypeProfileRef[];
}

export interface TypeProfileRef {
  /** the element path in this profile, e.g. "MedicationRequest.dosageInstruction" */
  path: string;
  /** canonical urls (no version) of the data-type profiles named by ElementDefinition.type.profile */
  profiles: string[];
}

export interface PackageInfo {
  file: string;
  name?: string;
  version?: string;
  structureDefinitions: number;
}

export interface LoadedProfiles {
  loaded: true;
  dir: string;
  packages: PackageInfo[];
  byUrl: ReadonlyMap<string, Profile>;
  /** sum of constraints over all profiles (inherited ones counted in every profile that has them) */
  constraintCount: number;
}

export interface ProfilesNotLoaded {
  loaded: false;
  dir: string;
  reason: "folder-missing" | "package-missing" | "package-unreadable";
  /** the package files that are missing or unreadable */
  packages: string[];
  ja: string;
  en: string;
}

export type Profiles = LoadedProfiles | ProfilesNotLoaded;

/** A meta.profile or baseDefinition without its "|version" suffix: the key profiles are indexed by. */
export function canonicalUrl(reference: string): string {
  const bar = reference.indexOf("|");
  return bar === -1 ? reference : reference.slice(0, bar);
}

export function findProfile(profiles: Profiles, reference: string): Profile | undefined {
  return profiles.loaded ? profiles.byUrl.get(canonicalUrl(reference)) : undefined;
}

export function defaultPackagesDir(): string {
  return process.env.TSUNAGU_FHIR_PACKAGES || path.resolve(process.cwd(), "../shared/fhir-packages");
}

// --- reading ---------------------------------------------------------------------------------

interface RawConstraint { key?: unknown; severity?: unknown; human?: unknown; expression?: unknown; source?: unknown }
interface RawElement { id?: unknown; path?: unknown; constraint?: unknown; type?: unknown }
interface RawStructureDefinition {
  resourceType: "StructureDefinition";
  url?: unknown; name?: unknown; type?: unknown; kind?: unknown; baseDefinition?: unknown;
  snapshot?: { element?: unknown };
  differential?: { element?: unknown };
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function isStructureDefinition(v: unknown): v is RawStructureDefinition {
  return typeof v === "object" && v !== null && (v as { resourceType?: unknown }).resourceType === "StructureDefinition";
}

/**
 * A base FHIR invariant the package copied: its source is an hl7.org definition, or (JP-CLINS snapshots
 * often re-source the copies to their own url) its key has the spec's shape, "bdl-7", "tim-10".
 * JP-CLINS names its own rules descriptively ("valid-value-bundleIdenfifier").
 */
function isBaseFhir(key: string, source: string | undefined): boolean {
  return (source !== undefined && source.startsWith("http://hl7.org/fhir/StructureDefinition/")) || /^[a-z]{2,5}-\d+$/.test(key);
}

/** The constraints of one definition's elements: snapshot if it has one, else differential. */
function ownConstraints(sd: RawStructureDefinition, url: string): ElementConstraint[] {
  const list = sd.snapshot?.element ?? sd.differential?.element;
  if (!Array.isArray(list)) return [];
  const out: ElementConstraint[] = [];
  for (const el of list as RawElement[]) {
    const elPath = str(el?.path);
    if (!elPath || !Array.isArray(el.constraint)) continue;
    for (const c of el.constraint as RawConstraint[]) {
      const key = str(c?.key);
      const expression = str(c?.expression);
      // A constraint without an expression (xpath-only) has nothing for FHIRPath to check.
      if (!key || !expression) continue;
      const source = str(c.source);
      out.push({
        key,
        severity: c.severity === "warning" ? "warning" : "error",
        human: str(c.human) ?? "",
        expression,
        path: elPath,
        source,
        baseFhir: isBaseFhir(key, source),
        definedIn: url,
      });
    }
  }
  return out;
}

/**
 * type.profile references of unsliced, non-Extension elements. Slices are left out: without evaluating
 * their discriminator we cannot tell which nodes a slice's profile applies to. Extensions are matched
 * by url, not by element, so they are left out too.
 */
function ownTypeProfiles(sd: RawStructureDefinition): TypeProfileRef[] {
  const list = sd.snapshot?.element ?? sd.differential?.element;
  if (!Array.isArray(list)) return [];
  const out: TypeProfileRef[] = [];
  for (const el of list as RawElement[]) {
    const elPath = str(el?.path);
    const id = str(el?.id) ?? elPath;
    if (!elPath || !id || id.includes(":") || !Array.isArray(el.type)) continue;
    const urls: string[] = [];
    for (const t of el.type as { code?: unknown; profile?: unknown }[]) {
      if (t?.code === "Extension" || !Array.isArray(t?.profile)) continue;
      for (const u of t.profile) if (typeof u === "string") urls.push(canonicalUrl(u));
    }
    if (urls.length > 0) out.push({ path: elPath, profiles: urls });
  }
  return out;
}

interface Collected {
  url: string; name: string; type: string; kind: string; baseDefinition?: string;
  packages: string[];
  constraints: ElementConstraint[];
  typeProfiles: TypeProfileRef[];
}

const constraintId = (c: ElementConstraint) => `${c.path}\u0000${c.key}`;

function addUnique(target: ElementConstraint[], seen: Set<string>, items: readonly ElementConstraint[]): void {
  for (const c of items) {
    const id = constraintId(c);
    if (seen.has(id)) continue;
    seen.add(id);
    target.push(c);
  }
}

function build(dir: string): Profiles {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return {
      loaded: false, dir, reason: "folder-missing", packages: [...FHIR_PACKAGE_FILES],
      ja: `FHIRパッケージのフォルダがありません（${dir}）。インバリアントは検査されていません。`,
      en: `FHIR package folder not found (${dir}): invariants not checked.`,
    };
  }
  const missing = FHIR_PACKAGE_FILES.filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length > 0) {
    // Both are needed: JP-CLINS profiles derive from JP Core ones.
    return {
      loaded: false, dir, reason: "package-missing", packages: missing,
      ja: `FHIRパッケージがありません（${missing.join(", ")}）。インバリアントは検査されていません。`,
      en: `FHIR package(s) missing in ${dir}: ${missing.join(", ")}: invariants not checked.`,
    };
  }

  const collected = new Map<string, Collected>();
  const packages: PackageInfo[] = [];
  for (const file of FHIR_PACKAGE_FILES) {
    let entries;
    try {
      entries = readTgz(fs.readFileSync(path.join(dir, file)));
    } catch (e) {
      return {
        loaded: false, dir, reason: "package-unreadable", packages: [file],
        ja: `FHIRパッケージ ${file} を読めません。インバリアントは検査されていません。`,
        en: `FHIR package ${file} is unreadable (${e instanceof Error ? e.message : String(e)}): invariants not checked.`,
      };
    }
    const info: PackageInfo = { file, structureDefinitions: 0 };
    for (const entry of entries) {
      if (!entry.name.endsWith(".json")) continue;
      let json: unknown;
      try {
        json = JSON.parse(entry.data.toString("utf8"));
      } catch {
        continue; // not a conformance resource we can use; the others still count
      }
      if (entry.name === "package/package.json" && typeof json === "object" && json !== null) {
        info.name = str((json as { name?: unknown }).name);
        info.version = str((json as { version?: unknown }).version);
        continue;
      }
      if (!isStructureDefinition(json)) continue;
      const url = str(json.url);
      if (!url) continue;
      info.structureDefinitions++;
      const own = ownConstraints(json, url);
      const prior = collected.get(url);
      if (prior) {
        // The same canonical in both packages (JP-CLINS re-publishes a few JP Core profiles with a
        // snapshot): one profile, the union of their constraints.
        prior.packages.push(file);
        addUnique(prior.constraints, new Set(prior.constraints.map(constraintId)), own);
        prior.baseDefinition ??= str(json.baseDefinition);
        if (prior.typeProfiles.length === 0) prior.typeProfiles = ownTypeProfiles(json);
      } else {
        collected.set(url, {
          url, name: str(json.name) ?? url, type: str(json.type) ?? "", kind: str(json.kind) ?? "",
          baseDefinition: str(json.baseDefinition), packages: [file], constraints: own,
          typeProfiles: ownTypeProfiles(json),
        });
      }
    }
    packages.push(info);
  }

  const byUrl = new Map<string, Profile>();
  let constraintCount = 0;
  for (const c of collected.values()) {
    const lineage: string[] = [];
    const constraints: ElementConstraint[] = [];
    const seen = new Set<string>();
    const typeProfiles: TypeProfileRef[] = [];
    const typeSeen = new Set<string>();
    // Walk up through baseDefinition while the parent is in the packages (base FHIR is not: its
    // invariants reach us only as the copies in JP-CLINS snapshots). The visited check stops a cycle.
    for (let at: Collected | undefined = c; at && !lineage.includes(at.url); at = at.baseDefinition ? collected.get(canonicalUrl(at.baseDefinition)) : undefined) {
      lineage.push(at.url);
      addUnique(constraints, seen, at.constraints);
      for (const ref of at.typeProfiles) {
        // Only types the packages define (and that are data types) have constraints for us to add.
        const known = ref.profiles.filter((u) => collected.get(u)?.kind === "complex-type");
        if (known.length === 0 || typeSeen.has(ref.path)) continue;
        typeSeen.add(ref.path);
        typeProfiles.push({ path: ref.path, profiles: known });
      }
    }
    constraintCount += constraints.length;
    byUrl.set(c.url, {
      url: c.url, name: c.name, type: c.type, kind: c.kind, packages: c.packages,
      baseDefinition: c.baseDefinition, lineage, constraints, typeProfiles,
    });
  }
  return { loaded: true, dir, packages, byUrl, constraintCount };
}

const cache = new Map<string, Profiles>();

/**
 * Every StructureDefinition of the two packages in `dir`, cached per process and folder. Never throws:
 * a missing folder or package gives `{ loaded: false, reason, ja, en }`.
 */
export function loadProfiles(dir: string = defaultPackagesDir()): Profiles {
  const resolved = path.resolve(dir);
  let profiles = cache.get(resolved);
  if (!profiles) {
    try {
      profiles = build(resolved);
    } catch (e) {
      // fs errors (permissions, a folder that vanished mid-read): still a result, and not cached,
      // so a later call can succeed once the folder is fixed.
      return {
        loaded: false, dir: resolved, reason: "package-unreadable", packages: [...FHIR_PACKAGE_FILES],
        ja: "FHIRパッケージを読めません。インバリアントは検査されていません。",
        en: `FHIR packages unreadable (${e instanceof Error ? e.message : String(e)}): invariants not checked.`,
      };
    }
    if (profiles.loaded) cache.set(resolved, profiles);
  }
  return profiles;
}
