/**
 * JP-CLINS's own rules answered without FHIRPath where the JSON plainly passes them, as
 * invariant-shortcuts does for base FHIR's. After those, the JP-CLINS Bundle and resource rules were
 * most of the FHIRPath time left on the import bench's Bundles: each walks the Bundle's entries in
 * FHIRPath once per Bundle (validEntryProfile-*, the 医療機関番号 and 診療科 rules), or the Patient's
 * identifiers (R1104, the facility's own patient id system). Only a clear pass is answered here;
 * anything else (a rule broken, an entry that is not plainly an object, a `_x` primitive extension,
 * another expression under the same key) is left to FHIRPath, so the verdicts and their wording
 * never change. Each is checked against FHIRPath by a property test (tests/fhir-invariants.test.ts).
 */

import { isObject } from "./json";
import { INSURED_SYSTEM as INSURANCE_MEMBER_ID } from "./patient";

type Json = Record<string, unknown>;

const INSTITUTION_NUMBER = "http://jpfhir.jp/fhir/clins/Extension/StructureDefinition/JP_eCS_InstitutionNumber";
const DEPARTMENT = "http://jpfhir.jp/fhir/eCS/Extension/StructureDefinition/JP_eCS_Department";
const JP_ENCOUNTER = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Encounter";
const LOCAL_PATIENT_ID_SYSTEM = "urn:oid:1.2.392.100495.20.3.51.";
const BUNDLE_IDENTIFIER = "http://jpfhir.jp/fhir/clins/bundle-identifier";
const BUNDLE_RESOURCE_TYPE = "http://jpfhir.jp/fhir/clins/CodeSystem/BundleResourceType_CS";
const NAME_REPRESENTATION = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";
const JP_BUNDLE_CLINS = "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_CLINS";
const JP_PATIENT_ECS = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Patient_eCS";
/** a pattern as fhirpath's matches() compiles it (flags u and s) */
const pattern = (source: string) => new RegExp(source, "us");
const TEN_DIGIT_INSTITUTION = pattern("^[0-4][0-9][1-3][0-9]{7}$");
/** R1013: 保険者番号:記号:番号:枝番 (the FHIRPath literal's `\\s` is the pattern's `\s`) */
const INSURANCE_MEMBER_VALUE = pattern("^[0-9]{8}:[^:^\\s^　]*:[^:^\\s^　]*:(.{0}|[0-9][0-9])$");
/** R2152: 医療機関番号^年^文書番号 */
const BUNDLE_IDENTIFIER_VALUE = pattern("^[0-4][0-9][1-3][0-9]{7}[\\^]20[2-3][0-9][\\^][A-Za-z0-9\\-]{1,36}$");

/** A Bundle's entries' resources, each plainly a resource (an object with a resourceType), an entry without one left out; null when anything is less plain. */
function entryResources(b: Json, from = 0): Json[] | null {
  if (b.entry === undefined) return [];
  if (!Array.isArray(b.entry) || "_entry" in b) return null;
  const out: Json[] = [];
  for (const [i, e] of b.entry.entries()) {
    if (!isObject(e)) return null;
    if (i < from || e.resource === undefined) continue;
    if (!isObject(e.resource) || typeof e.resource.resourceType !== "string") return null;
    out.push(e.resource);
  }
  return out;
}

/** A resource's meta.profile, plainly strings (none when there is no meta or profile); null when less plain. */
function profilesOf(r: Json): string[] | null {
  if (r.meta === undefined) return [];
  if (!isObject(r.meta) || "_profile" in r.meta) return null;
  const p = r.meta.profile;
  if (p === undefined) return [];
  return Array.isArray(p) && p.every((x) => typeof x === "string") ? (p as string[]) : null;
}

/** The resource's extensions (plainly objects) with this url; null when its extensions are not plainly an array of objects. */
function extensionsWithUrl(r: Json, url: string): Json[] | null {
  if (r.extension === undefined) return [];
  if (!Array.isArray(r.extension) || "_extension" in r || !r.extension.every(isObject)) return null;
  return (r.extension as Json[]).filter((e) => e.url === url);
}

const hasExtension = (r: Json, url: string) => (extensionsWithUrl(r, url)?.length ?? 0) > 0;

/**
 * The one string an extension's `value.ofType(Identifier).value` gives: the extension has a
 * valueIdentifier and no other value, and the Identifier a plain string value; else null.
 */
function identifierValue(ext: Json): string | null {
  const valueKeys = Object.keys(ext).filter((k) => k.startsWith("value") || k.startsWith("_value"));
  if (valueKeys.length !== 1 || valueKeys[0] !== "valueIdentifier") return null;
  const id = ext.valueIdentifier;
  return isObject(id) && !("_value" in id) && typeof id.value === "string" ? id.value : null;
}

/** The elements of a repeating element, each plainly an object (none when absent); null when less plain. */
function objectsAt(parent: Json, key: string): Json[] | null {
  const v = parent[key];
  if (v === undefined) return `_${key}` in parent ? null : [];
  return Array.isArray(v) && v.every(isObject) ? (v as Json[]) : null;
}

/** The identifiers (or tags…) whose primitive `key` is plainly `value`, when every one's `key` is plainly a string or absent; null when less plain. */
function withPrimitive(items: Json[], key: string, value: string): Json[] | null {
  if (items.some((x) => `_${key}` in x || (x[key] !== undefined && typeof x[key] !== "string"))) return null;
  return items.filter((x) => x[key] === value);
}

/** A primitive string of `x` with no `_` extension beside it, or null. */
const plainString = (x: Json, key: string) => (typeof x[key] === "string" && !(`_${key}` in x) ? (x[key] as string) : null);

/** meta.profile names `profile`, unversioned or versioned (`profile|1.5.2`): what the *-profile-is-* rules ask. */
const declares = (r: Json, profile: string) => profilesOf(r)?.some((p) => (p.indexOf("|") > 0 && p.slice(0, p.indexOf("|")) === profile) || p === profile) ?? false;

/** The Bundle's meta.tag entries of the JP-CLINS BundleResourceType code system, or null when its tags are less plain. */
function resourceTypeTags(b: Json): Json[] | null {
  if (b.meta === undefined) return [];
  const tags = isObject(b.meta) ? objectsAt(b.meta, "tag") : null;
  return tags && withPrimitive(tags, "system", BUNDLE_RESOURCE_TYPE);
}

/** The Bundle's first entry's resource, plainly a resource, or null. */
function firstResource(b: Json): Json | null {
  const entries = objectsAt(b, "entry");
  const first = entries?.[0]?.resource;
  return isObject(first) && typeof first.resourceType === "string" ? first : null;
}

/** The Composition's sections (top level) name section code 200 or 300, exactly one of the two: each coding plainly an object with a plain code. */
const sectionKinds = () => ({
  expression: "((section.code.coding.where(code = '200')).exists()) xor ((section.code.coding.where(code = '300')).exists())",
  holds: (c: Json) => {
    const codes: string[] = [];
    for (const section of objectsAt(c, "section") ?? [null]) {
      if (section === null) return false;
      if (section.code === undefined) continue;
      if (!isObject(section.code)) return false;
      for (const coding of objectsAt(section.code, "coding") ?? [null]) {
        if (coding === null || "_code" in coding || (coding.code !== undefined && typeof coding.code !== "string")) return false;
        if (typeof coding.code === "string") codes.push(coding.code);
      }
    }
    return codes.includes("200") !== codes.includes("300");
  },
});

/** validEntryProfile-* (R0213…): the entries of one resource type declare its JP-CLINS profile, unversioned, or name no other. */
const validEntryProfile = (type: string, profile: string) => ({
  expression: `(entry.resource.ofType(${type}).exists().not()) or ((entry.resource.ofType(${type}).meta.profile.where($this.indexOf('|')>0 and ($this.indexOf('|')>0 implies ($this.substring(0,$this.indexOf('|'))='${profile}'))).exists()).not()) or ((entry.resource.ofType(${type}).meta.profile.where($this!='${profile}').exists()).not())`,
  holds: (b: Json) => {
    const resources = entryResources(b)?.filter((r) => r.resourceType === type);
    if (!resources) return false;
    const profiles: string[] = [];
    for (const r of resources) {
      const p = profilesOf(r);
      if (!p) return false;
      profiles.push(...p);
    }
    const versioned = (p: string) => p.indexOf("|") > 0 && p.slice(0, p.indexOf("|")) === profile;
    return resources.length === 0 || !profiles.some(versioned) || profiles.every((p) => p === profile);
  },
});

/** Every entry resource of one type (`entry.select(resource as T).all(...)`) plainly passes `ok`. */
const eachEntryOfType = (type: string, ok: (r: Json) => boolean) => (b: Json) => entryResources(b)?.filter((r) => r.resourceType === type).every(ok) ?? false;

/** A contained resource whose meta.profile is exactly [JP_Encounter]: what `contained.meta.where(profile='…JP_Encounter')` finds. */
const containsJpEncounter = (r: Json) =>
  Array.isArray(r.contained) &&
  !("_contained" in r) &&
  r.contained.some((c) => isObject(c) && isObject(c.meta) && !("_profile" in c.meta) && Array.isArray(c.meta.profile) && c.meta.profile.length === 1 && c.meta.profile[0] === JP_ENCOUNTER);

const RULES = new Map<string, { expression: string; holds: (r: Json) => boolean }>(Object.entries({
  "validEntryProfile-ObservationLabResult": validEntryProfile("Observation", "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Observation_LabResult_eCS"),
  "validEntryProfile-MedicationRequest": validEntryProfile("MedicationRequest", "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_MedicationRequest_eCS"),
  "validEntryProfile-AllergyIntolerance": validEntryProfile("AllergyIntolerance", "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_AllergyIntolerance_eCS"),
  "validEntryProfile-Condition": validEntryProfile("Condition", "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Condition_eCS"),
  // R9011/R9012: every entry after the Patient carries the sender's 医療機関番号 (10 digits)
  "all-entries-needs-extension-of-institutionNumber": {
    expression: `entry.tail().resource.all(extension.where(url='${INSTITUTION_NUMBER}').exists())`,
    holds: (b: Json) => entryResources(b, 1)?.every((r) => hasExtension(r, INSTITUTION_NUMBER)) ?? false,
  },
  "all-entries-needs-valid-institutionNumber": {
    expression: `entry.tail().resource.all(extension.where(url='${INSTITUTION_NUMBER}').value.ofType(Identifier).value.matches('^[0-4][0-9][1-3][0-9]{7}$'))`,
    holds: (b: Json) =>
      entryResources(b, 1)?.every((r) => {
        const found = extensionsWithUrl(r, INSTITUTION_NUMBER);
        const value = found?.length === 1 ? identifierValue(found[0]!) : null;
        return value !== null && TEN_DIGIT_INSTITUTION.test(value);
      }) ?? false,
  },
  "resource-needs-extension-of-institutionNumber": {
    expression: `extension.where(url='${INSTITUTION_NUMBER}').exists()`,
    holds: (r: Json) => hasExtension(r, INSTITUTION_NUMBER),
  },
  // each lab result or diagnosis of a collection Bundle: its contained Encounter and its 診療科
  "observation-needs-contained-of-Encounter": {
    expression: `entry.select(resource as Observation).all(contained.meta.where(profile='${JP_ENCOUNTER}').exists())`,
    holds: eachEntryOfType("Observation", containsJpEncounter),
  },
  "condition-needs-contained-of-Encounter": {
    expression: `entry.select(resource as Condition).all(contained.meta.where(profile='${JP_ENCOUNTER}').exists())`,
    holds: eachEntryOfType("Condition", containsJpEncounter),
  },
  "observation-needs-extension-of-Department": {
    expression: `entry.select(resource as Observation).all(extension.where(url='${DEPARTMENT}').exists())`,
    holds: eachEntryOfType("Observation", (r) => hasExtension(r, DEPARTMENT)),
  },
  "condition-needs-extension-of-Department": {
    expression: `entry.select(resource as Condition).all(extension.where(url='${DEPARTMENT}').exists())`,
    holds: eachEntryOfType("Condition", (r) => hasExtension(r, DEPARTMENT)),
  },
  "condition-needs-onsetDateTime": {
    expression: "entry.select(resource as Condition).all(onset.ofType(dateTime).exists())",
    holds: eachEntryOfType("Condition", (r) => typeof r.onsetDateTime === "string" && r.onsetDateTime !== "" && !("_onsetDateTime" in r)),
  },
  // R1104: the facility's own patient id system, urn:oid:1.2.392.100495.20.3.51.1<医療機関番号>, at most once
  "valid-system-local-patientID": {
    expression: `(identifier.where(system.substring(0,31) = '${LOCAL_PATIENT_ID_SYSTEM}').count()=1 and (identifier.where(system.substring(0,31) = '${LOCAL_PATIENT_ID_SYSTEM}')).system.substring(31,1) = '1' and (identifier.where(system.substring(0,31) = '${LOCAL_PATIENT_ID_SYSTEM}')).system.substring(32).matches('^[0-4][0-9][1-3][0-9]{7}$')) or (identifier.where(system.substring(0,31) = '${LOCAL_PATIENT_ID_SYSTEM}').empty())`,
    holds: (r: Json) => {
      if (r.identifier === undefined) return true;
      if (!Array.isArray(r.identifier) || "_identifier" in r) return false;
      const local: string[] = [];
      for (const id of r.identifier) {
        if (!isObject(id) || "_system" in id || (id.system !== undefined && typeof id.system !== "string")) return false;
        if (typeof id.system === "string" && id.system.slice(0, LOCAL_PATIENT_ID_SYSTEM.length) === LOCAL_PATIENT_ID_SYSTEM) local.push(id.system);
      }
      if (local.length === 0) return true;
      const [system] = local as [string];
      return local.length === 1 && system.length > 32 && system[31] === "1" && TEN_DIGIT_INSTITUTION.test(system.slice(32));
    },
  },
  // R1012/R1013: exactly one 被保険者個人識別子, written 保険者番号:記号:番号:枝番
  "valid-system-insurance-patientIdentifier": {
    expression: `(identifier.where(system = '${INSURANCE_MEMBER_ID}').count()=1)`,
    holds: (r: Json) => {
      const ids = objectsAt(r, "identifier");
      return (ids && withPrimitive(ids, "system", INSURANCE_MEMBER_ID))?.length === 1;
    },
  },
  "valid-value-insurance-patientIdentifier": {
    expression: `(identifier.where(system = '${INSURANCE_MEMBER_ID}').count()=1 and identifier.where(system = '${INSURANCE_MEMBER_ID}').value.matches('^[0-9]{8}:[^:^\\\\s^　]*:[^:^\\\\s^　]*:(.{0}|[0-9][0-9])$'))`,
    holds: (r: Json) => {
      const ids = objectsAt(r, "identifier");
      const member = ids && withPrimitive(ids, "system", INSURANCE_MEMBER_ID);
      const value = member?.length === 1 ? plainString(member[0]!, "value") : null;
      return value !== null && INSURANCE_MEMBER_VALUE.test(value);
    },
  },
  // R1113: a name written in kanji or kana (its EN-representation extension) has no full-width space
  "kanjiName-kanaName-donot-contain-ZenkakuKuuhaku": {
    expression: `name.where(extension.where(url='${NAME_REPRESENTATION}').exists()).where(text.contains('　')).exists().not()`,
    holds: (r: Json) =>
      objectsAt(r, "name")?.every((n) => {
        const exts = objectsAt(n, "extension");
        if (!exts) return false;
        if (!exts.some((e) => e.url === NAME_REPRESENTATION)) return true;
        if (n.text === undefined) return !("_text" in n);
        const text = plainString(n, "text");
        return text !== null && !text.includes("　");
      }) ?? false,
  },
  // the Bundle's own profile, its first entry a Patient of JP_Patient_eCS, its resource type tag and identifier (R2152)
  "bundle-profile-is-JP-Bundle-CLINS": {
    expression: `meta.profile.where($this.indexOf('|')>0 and ($this.indexOf('|')>0 implies ($this.substring(0,$this.indexOf('|'))='${JP_BUNDLE_CLINS}'))).exists()  or meta.profile.where($this='${JP_BUNDLE_CLINS}').exists()`,
    holds: (b: Json) => declares(b, JP_BUNDLE_CLINS),
  },
  "first-bundle-entry-is-Patient": {
    expression: "entry.first().resource.is(Patient)",
    holds: (b: Json) => firstResource(b)?.resourceType === "Patient",
  },
  "patients-profile-is-JP-Patient-eCS": {
    expression: `entry.first().resource.meta.profile.where($this.indexOf('|')>0 and ($this.indexOf('|')>0 implies ($this.substring(0,$this.indexOf('|'))='${JP_PATIENT_ECS}'))).exists() or entry.first().resource.meta.profile.where($this='${JP_PATIENT_ECS}').exists()`,
    holds: (b: Json) => {
      const first = firstResource(b);
      return first !== null && declares(first, JP_PATIENT_ECS);
    },
  },
  "bundle-meta-tag-resourceType-exists": {
    expression: `meta.tag.where(system='${BUNDLE_RESOURCE_TYPE}').exists()`,
    holds: (b: Json) => (resourceTypeTags(b)?.length ?? 0) > 0,
  },
  "bundle-meta-tag-resourceType-valid": {
    expression: ["AllergyIntolerance", "Observation", "Condition"].map((t) => `meta.tag.where(system='${BUNDLE_RESOURCE_TYPE}').where(code='${t}').count()=1`).join(" or "),
    holds: (b: Json) => {
      const tags = resourceTypeTags(b);
      return ["AllergyIntolerance", "Observation", "Condition"].some((t) => (tags && withPrimitive(tags, "code", t))?.length === 1);
    },
  },
  // a collection of one resource type holds at least one of it, under its one tag
  "mustHaveOneMoreResources-with-designatedResourceType": {
    expression: ["Observation", "Condition", "AllergyIntolerance"].map((t) => `(entry.resource.ofType(${t}).exists() and meta.tag.where(system='${BUNDLE_RESOURCE_TYPE}').code='${t}')`).join(" or "),
    holds: (b: Json) => {
      const tags = resourceTypeTags(b);
      const code = tags?.length === 1 ? plainString(tags[0]!, "code") : null;
      return code !== null && ["Observation", "Condition", "AllergyIntolerance"].includes(code) && (entryResources(b)?.some((r) => r.resourceType === code) ?? false);
    },
  },
  "valid-system-bundleIdenfifier": {
    expression: `identifier.where(system='${BUNDLE_IDENTIFIER}').exists()`,
    holds: (b: Json) => isObject(b.identifier) && plainString(b.identifier, "system") === BUNDLE_IDENTIFIER,
  },
  "valid-value-bundleIdenfifier": {
    expression: `(identifier.where(system = '${BUNDLE_IDENTIFIER}').count()=1 and identifier.where(system = '${BUNDLE_IDENTIFIER}').value.matches('^[0-4][0-9][1-3][0-9]{7}[\\\\^]20[2-3][0-9][\\\\^][A-Za-z0-9\\\\-]{1,36}$'))`,
    holds: (b: Json) => {
      const value = isObject(b.identifier) && plainString(b.identifier, "system") === BUNDLE_IDENTIFIER ? plainString(b.identifier, "value") : null;
      return value !== null && BUNDLE_IDENTIFIER_VALUE.test(value);
    },
  },
  // a referral's or discharge summary's sections: the CDA section (200) or the structured one (300), exactly one of them
  "checkExist-CDASection-or-structuredSection": sectionKinds(),
  "checkExist-CDASection-or-CompositionSection": sectionKinds(),
}));

/**
 * True when a JP-CLINS rule on a resource (or Bundle) itself certainly holds, where `resource` is both
 * the input and %resource; false means "ask FHIRPath".
 */
export function clinsRuleHolds(key: string, expression: string, resource: unknown): boolean {
  const rule = RULES.get(key);
  return rule !== undefined && rule.expression === expression && isObject(resource) && rule.holds(resource);
}

/** JP_eCS_InstitutionNumber's own rule on the extension, as its definition writes it (unanchored). */
const INSTITUTION_NUMBER_VALUE = { key: "valid-value-institutionNumberExtension", expression: "value.ofType(Identifier).value.matches('[0-4][0-9][1-3][0-9]{7}')", pattern: pattern("[0-4][0-9][1-3][0-9]{7}") };

/** True when an extension definition's rule certainly holds on the extension (its JSON); false means "ask FHIRPath". */
export function extensionRuleHolds(key: string, expression: string, extension: unknown): boolean {
  if (key !== INSTITUTION_NUMBER_VALUE.key || expression !== INSTITUTION_NUMBER_VALUE.expression || !isObject(extension)) return false;
  const value = identifierValue(extension);
  return value !== null && INSTITUTION_NUMBER_VALUE.pattern.test(value);
}
