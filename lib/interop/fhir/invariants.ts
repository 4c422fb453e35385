/**
 * Checks incoming FHIR JSON against the FHIRPath invariants of the JP Core / JP-CLINS profiles it
 * declares in meta.profile (and, for a Bundle, those its entry resources declare).
 *
 * What this is and is not: invariants only (ElementDefinition.constraint), not cardinalities, bindings
 * or slicing, which need a full validator. A constraint that fhirpath cannot compile or evaluate is
 * never reported as a fault of the data: it is set aside and counted by unevaluableConstraints().
 * Nothing here throws on bad input: pushed documents are untrusted.
 */

import fhirpath from "fhirpath";
import r4 from "fhirpath/fhir-context/r4";
import { canonicalUrl, type ElementConstraint, type LoadedProfiles, type Profile, type Profiles } from "./fhir-packages";
import { INVARIANT_GLOSSES, ruleNumber } from "./invariant-glosses";
import { extensionRuleHolds } from "./clins-shortcuts";
import { answerableWithoutFhirpath, holdsWithoutFhirpath, plainStep, resourceHoldsWithoutFhirpath } from "./invariant-shortcuts";

export interface InvariantIssue {
  severity: "error" | "warning";
  code: "invariant";
  /** constraint.key, e.g. "valid-value-bundleIdenfifier" (whose rule number, R2152, is in the text) */
  invariant: string;
  /** where, e.g. "Bundle.entry[2].resource" or "Composition.section[1]" */
  expression: string;
  ja: string;
  en: string;
}

export interface UnevaluableConstraint {
  key: string;
  path: string;
  expression: string;
  /** the profile whose elements carry it */
  definedIn: string;
  /** copied from base FHIR by the package (the expected kind: fhirpath.js is stricter than the spec's authors were, e.g. as() on a collection) */
  baseFhir: boolean;
  stage: "compile" | "evaluate";
  error: string;
}

type Json = Record<string, unknown>;
type Evaluator = (resource: unknown, env: Record<string, unknown>) => unknown;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

// --- compiled expressions, once per process -----------------------------------------------------

/**
 * Parse check, once per distinct expression text (the packages repeat ele-1 and friends thousands of
 * times but have only ~80 distinct expressions).
 */
const parsed = new Map<string, string | null>(); // expression → error message, or null when it parses

function parseError(expression: string): string | null {
  let error = parsed.get(expression);
  if (error === undefined) {
    try {
      fhirpath.parse(expression);
      error = null;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    parsed.set(expression, error);
  }
  return error;
}

/**
 * Compiled expressions, by mode and expression text (~80 constraint texts, a few hundred element
 * paths to navigate: bounded by the packages, never by the data). A constraint is evaluated on a node fhirpath itself
 * navigated to (see nodesBelow), so the node carries its FHIR type (choice types, Element's
 * extension, backbone elements) and no base path is needed.
 */
const compiled = new Map<string, Evaluator | { error: string }>();

// dom-3 calls trace(): without a traceFn fhirpath would print it to the console for every resource.
const quiet = { traceFn: () => undefined };

/**
 * `navigation`: keep fhirpath's nodes (resolveInternalTypes: false) to evaluate constraints on them.
 * `base`: the type of raw JSON handed in (an Extension found by url), which the model needs for value[x].
 */
function compileOnce(expression: string, navigation = false, base?: string): Evaluator | { error: string } {
  const id = `${navigation ? "nav" : ""}\u0000${base ?? ""}\u0000${expression}`;
  let fn = compiled.get(id);
  if (!fn) {
    // compile parses, and throws what parseError would record: no second parse (a few hundred
    // expressions and paths, about half a second of an import's start)
    try {
      const path = base ? { base, expression } : expression;
      fn = fhirpath.compile(path, r4, navigation ? { ...quiet, resolveInternalTypes: false } : quiet) as Evaluator;
    } catch (e) {
      fn = { error: e instanceof Error ? e.message : String(e) };
    }
    compiled.set(id, fn);
  }
  return fn;
}

/** Runtime failures, kept per loaded profile set so unevaluableConstraints() can report them. */
const runtimeFailures = new WeakMap<LoadedProfiles, Map<ElementConstraint, UnevaluableConstraint>>();

function recordFailure(profiles: LoadedProfiles, c: ElementConstraint, stage: "compile" | "evaluate", error: string): void {
  let failures = runtimeFailures.get(profiles);
  if (!failures) runtimeFailures.set(profiles, (failures = new Map()));
  if (failures.has(c)) return;
  failures.set(c, { key: c.key, path: c.path, expression: c.expression, definedIn: c.definedIn, baseFhir: c.baseFhir, stage, error });
}

/**
 * Every constraint of the loaded profiles that fhirpath cannot compile, plus those that failed to
 * evaluate on some data checked so far in this process. One entry per constraint.
 */
export function unevaluableConstraints(profiles: Profiles): UnevaluableConstraint[] {
  if (!profiles.loaded) return [];
  const out = new Map<ElementConstraint, UnevaluableConstraint>();
  for (const profile of profiles.byUrl.values()) {
    for (const c of profile.constraints) {
      if (out.has(c)) continue;
      const error = parseError(c.expression);
      if (error !== null) out.set(c, { key: c.key, path: c.path, expression: c.expression, definedIn: c.definedIn, baseFhir: c.baseFhir, stage: "compile", error });
    }
  }
  for (const [c, failure] of runtimeFailures.get(profiles) ?? []) if (!out.has(c)) out.set(c, failure);
  return [...out.values()];
}

// --- finding the nodes an element path names ----------------------------------------------------

/** What fhirpath returns with resolveInternalTypes: false: the data with its place in the resource. */
interface ResourceNode {
  data: unknown;
  propName?: string;
  index?: number | null;
  fhirNodeDataType?: string | null;
  parentResNode?: ResourceNode | null;
}

interface Node {
  /** what the constraint is evaluated on: the raw root resource, or a node fhirpath navigated to */
  input: unknown;
  /** where it is, for the report: "Bundle.entry[2].resource.section[0]" */
  location: string;
}

function isResourceNode(v: unknown): v is ResourceNode {
  return isObject(v) && "parentResNode" in v && "data" in v;
}

/**
 * "section[0].entry[1]" for a navigated node, from its chain of parents. A choice element's propName is
 * "value": the JSON key (valueQuantity) is what a reader of the document looks for.
 */
function relativeLocation(node: ResourceNode): string {
  const parts: string[] = [];
  for (let n: ResourceNode | null | undefined = node; n?.parentResNode; n = n.parentResNode) {
    let name = n.propName ?? "?";
    const parentData = n.parentResNode.data;
    const type = n.fhirNodeDataType;
    if (isObject(parentData) && !(name in parentData) && type) {
      const key = name + type.charAt(0).toUpperCase() + type.slice(1);
      if (key in parentData) name = key;
    }
    parts.unshift(typeof n.index === "number" ? `${name}[${n.index}]` : name);
  }
  return parts.join(".");
}

/**
 * The nodes at the element path segments below `start` (e.g. ["section"] below a Composition), found
 * by fhirpath so that each knows its type. Navigation expressions are compiled once, like constraints.
 */
function nodesBelow(run: Run, start: Node, segments: readonly string[]): Node[] {
  if (segments.length === 0) return [start];
  // Most element paths of a profile are absent from a given document: when the first step is not in
  // the JSON, skip fhirpath altogether (a choice "value[x]" is present as valueQuantity, valueString…).
  const first = segments[0]!;
  const data = isResourceNode(start.input) ? start.input.data : start.input;
  if (isObject(data)) {
    const present = first.endsWith("[x]")
      ? Object.keys(data).some((k) => k.startsWith(first.slice(0, -3)))
      : first in data || `_${first}` in data;
    if (!present) return [];
  }
  const path = segments.map((s) => (s.endsWith("[x]") ? s.slice(0, -3) : s)).join(".");
  const cacheId = `${start.location}\u0000${path}`;
  const cached = run.nodes.get(cacheId);
  if (cached) return cached;
  let found: Node[] = [];
  const fn = compileOnce(path, true);
  if (typeof fn === "function") {
    try {
      const result = fn(start.input, run.env);
      if (Array.isArray(result)) {
        // A node's chain of parents runs up to the resource being checked, wherever navigation began.
        found = result.filter(isResourceNode).map((n) => {
          const rel = relativeLocation(n);
          return { input: n, location: run.rootLocation + (rel ? `.${rel}` : "") };
        });
      }
    } catch {
      // An element path the r4 model cannot follow has no nodes for us to check.
    }
  }
  run.nodes.set(cacheId, found);
  return found;
}

// --- evaluating ---------------------------------------------------------------------------------

/**
 * The FHIR validator's reading of a result: a single boolean is that boolean; an empty result is a
 * failure (the rule's subject is missing); any other non-empty result counts as true.
 */
function passes(result: unknown): boolean {
  if (!Array.isArray(result)) return true;
  if (result.length === 0) return false;
  if (result.length === 1 && typeof result[0] === "boolean") return result[0];
  return true;
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/**
 * The Japanese and English of a `human`: JP-CLINS writes its own rules in Japanese, and the base FHIR
 * ones it copies as "日本語 / English" (or English alone, as in the spec).
 */
function humanTexts(human: string): { ja?: string; en?: string } {
  const slash = human.lastIndexOf(" / ");
  if (slash > 0) {
    const [left, right] = [human.slice(0, slash).trim(), human.slice(slash + 3).trim()];
    if (JAPANESE.test(left) && !JAPANESE.test(right)) return { ja: left, en: right };
  }
  return JAPANESE.test(human) ? { ja: human } : { en: human };
}

/**
 * A constraint's messages, worked out once per constraint: dom-6 (no narrative) fails on nearly every
 * resource a facility sends, about eight times per Bundle of the import bench.
 */
const messages = new WeakMap<ElementConstraint, { ja: string; en: string }>();

function issueFor(c: ElementConstraint, location: string): InvariantIssue {
  let m = messages.get(c);
  if (!m) {
    const rule = ruleNumber(c.human);
    const label = rule ? `${c.key} (${rule})` : c.key;
    const texts = humanTexts(c.human);
    const en = INVARIANT_GLOSSES[c.key] ?? texts.en ?? c.human;
    messages.set(c, (m = { ja: texts.ja ?? `インバリアント ${c.key} に違反しています: ${c.human || c.expression}`, en: `Invariant ${label} failed: ${en || c.expression}` }));
  }
  return { severity: c.severity, code: "invariant", invariant: c.key, expression: location, ja: m.ja, en: m.en };
}

interface Run {
  profiles: LoadedProfiles;
  issues: InvariantIssue[];
  /** location + key already reported: two profiles of one resource often share a constraint */
  seen: Set<string>;
  /** %resource (the resource being checked) and %rootResource (the pushed document) */
  env: Record<string, unknown>;
  /** where the resource being checked is: "Bundle" or "Bundle.entry[3].resource" */
  rootLocation: string;
  /** navigation results of this resource, by start location and path: many constraints share a path */
  nodes: Map<string, Node[]>;
}

/** A constraint as checkConstraints uses it below one root path, worked out once (see planOf). */
interface Planned {
  c: ElementConstraint;
  /** its element path as segments below the root ([] for the root itself) */
  segments: string[];
  fn: Evaluator | { error: string };
  /** its path's first step, as an index into Plan.firsts; -1 on the root */
  first: number;
  /** ele-1 and the like, answerable from the JSON at its path (invariant-shortcuts) */
  answerable: boolean;
  /** its path's prefixes ("code", "code.coding", …), under which checkConstraints keeps the JSON values found there */
  prefixes: string[];
}

interface Plan {
  planned: Planned[];
  /** the distinct first steps of the constraints' paths, a choice "value[x]" as its name without [x] */
  firsts: { name: string; choice: boolean }[];
}

/**
 * A profile's constraints below `rootPath`, each with its element path as segments, its compiled
 * expression and its path's first step, worked out once per profile and root, not on every resource
 * of every Bundle (an import checks the same few profiles each time). Constraints whose path is not
 * below the root (an Extension profile's own root) are left out. A JP-CLINS profile has about 100
 * constraints on 10 to 30 first steps, and a resource has few of those elements: checkConstraints
 * asks once per first step whether the resource has it, not once per constraint.
 */
const plans = new WeakMap<readonly ElementConstraint[], Map<string, Plan>>();

function planOf(constraints: readonly ElementConstraint[], rootPath: string): Plan {
  let byRoot = plans.get(constraints);
  if (!byRoot) plans.set(constraints, (byRoot = new Map()));
  let plan = byRoot.get(rootPath);
  if (plan) return plan;
  plan = { planned: [], firsts: [] };
  const firstIndex = new Map<string, number>();
  for (const c of constraints) {
    const segments = c.path === rootPath ? [] : c.path.startsWith(`${rootPath}.`) ? c.path.slice(rootPath.length + 1).split(".") : null;
    if (segments === null) continue;
    let first = -1;
    if (segments.length > 0) {
      const name = segments[0]!;
      first = firstIndex.get(name) ?? -1;
      if (first < 0) {
        first = plan.firsts.length;
        firstIndex.set(name, first);
        plan.firsts.push(name.endsWith("[x]") ? { name: name.slice(0, -3), choice: true } : { name, choice: false });
      }
    }
    const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join("."));
    plan.planned.push({ c, segments, fn: compileOnce(c.expression), first, answerable: answerableWithoutFhirpath(c.key, c.expression), prefixes });
  }
  byRoot.set(rootPath, plan);
  return plan;
}

/**
 * Whether `data` has the element a first step names, by nodesBelow's own test: the key or its `_`
 * twin, or for a choice any key that starts with its name. When it does not, neither nodesBelow nor
 * plainValuesAt finds anything there, so a constraint on that path has nothing to check.
 */
function hasFirstStep(data: Json, step: { name: string; choice: boolean }): boolean {
  if (!step.choice) return step.name in data || `_${step.name}` in data;
  for (const k of Object.keys(data)) if (k.startsWith(step.name)) return true;
  return false;
}

/**
 * The JSON values at a constraint's path below `data` (invariant-shortcuts plainValuesAt, a step at a
 * time), each prefix's kept in `known`: the ~90 ele-1 constraints of a profile share their prefixes,
 * so each is walked once per resource.
 */
function plainValuesBelow(data: unknown, segments: readonly string[], prefixes: readonly string[], known: Map<string, unknown[] | null>): unknown[] | null {
  let values: unknown[] | null = [data];
  for (let i = 0; i < segments.length && values !== null; i++) {
    const found = known.get(prefixes[i]!);
    if (found !== undefined) values = found;
    else known.set(prefixes[i]!, (values = plainStep(values, segments[i]!)));
  }
  return values;
}

/** Whether the constraint plainly holds on every one of `values` (null: the JSON cannot say). A loop, not a closure (see plainStep). */
function allHoldPlainly(c: ElementConstraint, values: unknown[] | null): boolean {
  if (values === null) return false;
  for (const v of values) if (!holdsWithoutFhirpath(c.key, c.expression, v)) return false;
  return true;
}

/** Evaluate `constraints` (element paths starting with `rootPath`) on the matching nodes below `start`. */
function checkConstraints(run: Run, start: Node, rootPath: string, constraints: readonly ElementConstraint[]): void {
  const { planned, firsts } = planOf(constraints, rootPath);
  const data = isResourceNode(start.input) ? start.input.data : start.input;
  // per first step: 0 not asked yet, 1 present, 2 absent (asked only of an object: anything else is FHIRPath's to navigate)
  const present = isObject(data) ? new Uint8Array(firsts.length) : null;
  const plainAt = new Map<string, unknown[] | null>();
  for (const { c, segments, fn, first, answerable, prefixes } of planned) {
    if (present && first >= 0) {
      if (present[first] === 0) present[first] = hasFirstStep(data as Json, firsts[first]!) ? 1 : 2;
      if (present[first] === 2) continue;
    }
    // ele-1 where every element at the path plainly holds it: no FHIRPath navigation at all
    if (answerable && allHoldPlainly(c, plainValuesBelow(data, segments, prefixes, plainAt))) continue;
    const nodes = nodesBelow(run, start, segments);
    if (nodes.length === 0) continue;
    if (typeof fn !== "function") {
      recordFailure(run.profiles, c, "compile", fn.error);
      continue;
    }
    for (const node of nodes) {
      const id = `${node.location}\u0000${c.key}`;
      if (run.seen.has(id)) continue;
      // (the resource being checked, as input, is also %resource)
      const onResource = node.input === run.env.resource && resourceHoldsWithoutFhirpath(c.key, c.expression, node.input);
      if (onResource || holdsWithoutFhirpath(c.key, c.expression, isResourceNode(node.input) ? node.input.data : node.input)) {
        run.seen.add(id);
        continue;
      }
      let result: unknown;
      try {
        result = fn(node.input, run.env);
      } catch (e) {
        recordFailure(run.profiles, c, "evaluate", e instanceof Error ? e.message : String(e));
        continue;
      }
      if (result instanceof Promise) {
        // An async-only function (terminology): not something a synchronous check can decide.
        result.catch(() => undefined);
        recordFailure(run.profiles, c, "evaluate", "needs asynchronous evaluation");
        continue;
      }
      run.seen.add(id);
      if (!passes(result)) run.issues.push(issueFor(c, node.location));
    }
  }
}

/**
 * Data-type profiles named on elements (JP_MedicationDosage_eCS on dosageInstruction): their
 * constraints, evaluated on the element's nodes. `depth` bounds a chain of type profiles.
 */
function checkTypeProfiles(run: Run, start: Node, profile: Profile, depth: number): void {
  if (depth > 3) return;
  for (const ref of profile.typeProfiles) {
    const nodes = nodesBelow(run, start, ref.path.split(".").slice(1));
    for (const url of ref.profiles) {
      const typeProfile = run.profiles.byUrl.get(url);
      if (!typeProfile) continue;
      for (const node of nodes) {
        checkConstraints(run, node, typeProfile.type, typeProfile.constraints);
        checkTypeProfiles(run, node, typeProfile, depth + 1);
      }
    }
  }
}

function declaredProfiles(resource: Json): string[] {
  const meta = resource.meta;
  if (!isObject(meta) || !Array.isArray(meta.profile)) return [];
  return meta.profile.filter((p): p is string => typeof p === "string");
}

/**
 * Extension definitions of the packages that add rules of their own (JP_eCS_InstitutionNumber: the
 * 10-digit 医療機関番号), by url. The profiles name them on their extension slices, and an extension
 * is bound to its definition by its url, so they are matched that way rather than by element path.
 */
const extensionRules = new WeakMap<LoadedProfiles, ReadonlyMap<string, Profile>>();

function extensionsWithRules(profiles: LoadedProfiles): ReadonlyMap<string, Profile> {
  let map = extensionRules.get(profiles);
  if (!map) {
    const found = new Map<string, Profile>();
    for (const p of profiles.byUrl.values()) {
      if (p.type === "Extension" && p.constraints.some((c) => !c.baseFhir)) found.set(p.url, p);
    }
    extensionRules.set(profiles, (map = found));
  }
  return map;
}

/**
 * The extensions (and modifierExtensions) in `resource` whose url is one of `urls`, with where they are.
 * A plain walk of the JSON, iterative so that a deeply nested document cannot overflow the stack. In a
 * Bundle it stops at the entry resources: each is checked, and scanned, as a resource of its own.
 * A node's location is written out only for an extension found: the walk visits every node of the
 * document, and building every node's location was most of its cost.
 */
function extensionsIn(resource: Json, location: string, urls: ReadonlyMap<string, Profile>): { value: Json; location: string; definition: Profile }[] {
  interface Step { value: unknown; parent: Step | null; key: string; index: number | null; depth: number }
  const locationOf = (step: Step): string => {
    const parts: string[] = [];
    for (let s: Step | null = step; s?.parent; s = s.parent) parts.push(s.index === null ? s.key : `${s.key}[${s.index}]`);
    return [location, ...parts.reverse()].join(".");
  };
  const found: { value: Json; location: string; definition: Profile }[] = [];
  const isBundle = resource.resourceType === "Bundle";
  const stack: Step[] = [{ value: resource, parent: null, key: "", index: null, depth: 0 }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const { value, depth } = step;
    if (!isObject(value)) continue;
    for (const key of Object.keys(value)) {
      if (isBundle && depth === 1 && key === "resource") continue; // Bundle (0) → entry[i] (1) → resource
      const child = value[key];
      const many = Array.isArray(child);
      const items = many ? child : [child];
      for (let i = 0; i < items.length; i++) {
        const item: unknown = items[i];
        if (!isObject(item) && !Array.isArray(item)) continue;
        const next: Step = { value: item, parent: step, key, index: many ? i : null, depth: depth + 1 };
        if ((key === "extension" || key === "modifierExtension") && isObject(item) && typeof item.url === "string") {
          const definition = urls.get(canonicalUrl(item.url));
          if (definition) found.push({ value: item, location: locationOf(next), definition });
        }
        stack.push(next);
      }
    }
  }
  return found.reverse();
}

function checkExtensions(run: Run, resource: Json): void {
  const definitions = extensionsWithRules(run.profiles);
  if (definitions.size === 0) return;
  for (const ext of extensionsIn(resource, run.rootLocation, definitions)) {
    // Constraints on the extension itself; those on its inner elements are base FHIR ones (ele-1),
    // which the resource's profile already checks there.
    for (const c of ext.definition.constraints) {
      if (c.path !== "Extension") continue;
      const id = `${ext.location}\u0000${c.key}`;
      if (run.seen.has(id)) continue;
      const fn = compileOnce(c.expression, false, "Extension");
      if (typeof fn !== "function") {
        recordFailure(run.profiles, c, "compile", fn.error);
        continue;
      }
      // ele-1 and ext-1 on the extension, and its definition's own rule, where the JSON plainly passes them
      if (holdsWithoutFhirpath(c.key, c.expression, ext.value) || extensionRuleHolds(c.key, c.expression, ext.value)) {
        run.seen.add(id);
        continue;
      }
      let result: unknown;
      try {
        result = fn(ext.value, run.env);
      } catch (e) {
        recordFailure(run.profiles, c, "evaluate", e instanceof Error ? e.message : String(e));
        continue;
      }
      run.seen.add(id);
      if (!(result instanceof Promise) && !passes(result)) run.issues.push(issueFor(c, ext.location));
    }
  }
}

function checkResource(run: Run, resource: Json, location: string): void {
  const type = resource.resourceType;
  if (typeof type !== "string") return;
  run.env = { ...run.env, resource };
  run.rootLocation = location;
  run.nodes = new Map();
  const start: Node = { input: resource, location };
  let checked = false;
  for (const declared of declaredProfiles(resource)) {
    const profile = run.profiles.byUrl.get(canonicalUrl(declared));
    // A profile of another resource type says nothing about this one (profileCoverage tells unknown ones).
    if (!profile || profile.type !== type) continue;
    checked = true;
    checkConstraints(run, start, type, profile.constraints);
    checkTypeProfiles(run, start, profile, 0);
  }
  if (checked) checkExtensions(run, resource);
}

/**
 * The invariant violations of `resource` against the profiles it declares; for a Bundle, also of each
 * entry resource against its own declared profiles (reported at "Bundle.entry[i].resource…").
 * Returns [] when the profiles are not loaded: the caller reports "invariants not checked" from
 * `profiles.loaded`.
 */
export function checkInvariants(resource: unknown, profiles: Profiles): InvariantIssue[] {
  if (!profiles.loaded || !isObject(resource) || typeof resource.resourceType !== "string") return [];
  const run: Run = { profiles, issues: [], seen: new Set(), env: { rootResource: resource }, rootLocation: resource.resourceType, nodes: new Map() };
  checkResource(run, resource, resource.resourceType);
  if (resource.resourceType === "Bundle" && Array.isArray(resource.entry)) {
    resource.entry.forEach((entry, i) => {
      if (isObject(entry) && isObject(entry.resource)) checkResource(run, entry.resource, `Bundle.entry[${i}].resource`);
    });
  }
  return run.issues;
}

/** The meta.profile urls (as written) of the resource, and of a Bundle's entries, that the packages do not define. */
export function profileCoverage(resource: unknown, profiles: Profiles): string[] {
  if (!isObject(resource)) return [];
  const all = [...declaredProfiles(resource)];
  if (resource.resourceType === "Bundle" && Array.isArray(resource.entry)) {
    for (const entry of resource.entry) if (isObject(entry) && isObject(entry.resource)) all.push(...declaredProfiles(entry.resource));
  }
  const known = (url: string) => profiles.loaded && profiles.byUrl.has(canonicalUrl(url));
  return [...new Set(all.filter((u) => !known(u)))];
}
