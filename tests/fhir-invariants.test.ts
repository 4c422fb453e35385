import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadProfiles, type LoadedProfiles, type Profiles } from "../lib/interop/fhir/fhir-packages";
import { INVARIANT_GLOSSES } from "../lib/interop/fhir/invariant-glosses";
import { readTgz } from "../lib/interop/fhir/tgz";
import { holdsWithoutFhirpath, plainValuesAt, resourceHoldsWithoutFhirpath } from "../lib/interop/fhir/invariant-shortcuts";
import { extensionRuleHolds } from "../lib/interop/fhir/clins-shortcuts";
import fhirpath from "fhirpath";
import r4 from "fhirpath/fhir-context/r4";
import { checkInvariants, profileCoverage, unevaluableConstraints, type InvariantIssue } from "../lib/interop/fhir/invariants";

// The published JP-CLINS examples and packages, read in place (never copied into the project).
const FIXTURES = path.resolve(__dirname, "../../shared/fixtures/jp-clins");
const PACKAGES = path.resolve(__dirname, "../../shared/fhir-packages");

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are free-form FHIR JSON

const fixture = (name: string): Json => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"));
const brief = (issues: InvariantIssue[]) => issues.map((i) => `${i.severity} ${i.invariant} @ ${i.expression}`);

let profiles: LoadedProfiles;

beforeAll(() => {
  const loaded: Profiles = loadProfiles(PACKAGES);
  if (!loaded.loaded) throw new Error(loaded.en);
  profiles = loaded;
});

describe("loadProfiles", () => {
  it("indexes both packages' StructureDefinitions by canonical url and follows baseDefinition into JP Core", () => {
    expect(profiles.packages.map((p) => [p.file, p.structureDefinitions])).toEqual([
      ["jp-core.r4-1.1.2.tgz", 89],
      ["jp-clins.r4-1.5.2.tgz", 49],
    ]);
    // 138 definitions, 7 JP Core canonicals re-published by JP-CLINS with a snapshot: 131 profiles.
    expect(profiles.byUrl.size).toBe(131);
    const condition = profiles.byUrl.get("http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Condition_eCS");
    expect(condition?.lineage).toEqual([
      "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Condition_eCS",
      "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Condition",
    ]);
    const author = profiles.byUrl.get("http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Practitioner_eCS_author");
    expect(author?.lineage.slice(1)).toEqual([
      "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Practitioner_eCS",
      "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Practitioner",
    ]);
    console.log(`[fhir] ${profiles.byUrl.size} profiles, ${profiles.constraintCount} constraints`);
  });

  it("tells JP-CLINS's own 30 rules from the base FHIR invariants it copies, and glosses each in English", () => {
    const own = new Set<string>();
    for (const profile of profiles.byUrl.values()) for (const c of profile.constraints) if (!c.baseFhir) own.add(c.key);
    expect(own.size).toBe(30);
    expect([...own].filter((key) => !INVARIANT_GLOSSES[key])).toEqual([]);
  });

  it("is cached per process", () => {
    expect(loadProfiles(PACKAGES)).toBe(profiles);
  });

  it("finds R2152 (Bundle.identifier.value format) as key valid-value-bundleIdenfifier of JP_Bundle_CLINS", () => {
    const bundle = profiles.byUrl.get("http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_CLINS");
    const r2152 = bundle?.constraints.find((c) => c.human.startsWith("R2152"));
    expect(r2152).toMatchObject({ key: "valid-value-bundleIdenfifier", path: "Bundle", severity: "error", baseFhir: false });
  });

  it("a missing folder is a 'not loaded' result, not an exception", () => {
    const missing = loadProfiles(path.join(os.tmpdir(), "tsunagu-no-such-fhir-packages"));
    expect(missing).toMatchObject({ loaded: false, reason: "folder-missing" });
    if (!missing.loaded) expect(missing.en).toMatch(/invariants not checked/);
    expect(checkInvariants(fixture("Patient-Example-JP-Patient-eCS-MAKINO.json"), missing)).toEqual([]);
    expect(unevaluableConstraints(missing)).toEqual([]);
  });

  it("a folder without the packages says which are missing", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "tsunagu-fhir-"));
    try {
      expect(loadProfiles(empty)).toMatchObject({
        loaded: false, reason: "package-missing", packages: ["jp-core.r4-1.1.2.tgz", "jp-clins.r4-1.5.2.tgz"],
      });
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });

  it("a package that is not a gzip is 'unreadable', not an exception", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsunagu-fhir-"));
    try {
      for (const f of ["jp-core.r4-1.1.2.tgz", "jp-clins.r4-1.5.2.tgz"]) fs.writeFileSync(path.join(dir, f), "not a tgz");
      expect(loadProfiles(dir)).toMatchObject({ loaded: false, reason: "package-unreadable", packages: ["jp-core.r4-1.1.2.tgz"] });
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe("the published JP-CLINS examples", () => {
  // Findings, asserted as they are: every example without narrative fails the base FHIR best-practice
  // invariant dom-6 ("A resource should have narrative", a warning). No example violates a JP-CLINS
  // invariant, and none violates an error-level base invariant.
  const dom6 = (where: string) => `warning dom-6 @ ${where}`;
  const expected: Record<string, string[]> = {
    "AllergyIntolerance-Example-JP-Allergy-eCS-01.json": [dom6("AllergyIntolerance")],
    "AllergyIntolerance-Example-JP-Allergy-eCS-02.json": [dom6("AllergyIntolerance")],
    "AllergyIntolerance-Example-JP-AllergyIntolerance-eCS-01.json": [],
    "AllergyIntolerance-Example-JP-AllergyIntolerance-eCS-02.json": [],
    "AllergyIntolerance-Example-JP-AllergyIntolerance-eCS-03.json": [],
    "Bundle-Bundle-CLINS-Observations-Example-01.json": [1, 2, 3, 4].map((i) => dom6(`Bundle.entry[${i}].resource`)),
    "Bundle-Bundle-CLINS-Referral-Example-01.json": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 17].map((i) => dom6(`Bundle.entry[${i}].resource`)),
    "Condition-Example-JP-Condition-eCS-01.json": [dom6("Condition")],
    "Condition-Example-JP-Condition-eCS-02.json": [dom6("Condition")],
    "Condition-Example-JP-Condition-eCS-03.json": [dom6("Condition")],
    "Condition-Example-JP-Condition-eCS-ANGINA.json": [dom6("Condition")],
    "Encounter-Example-JP-Encounter-eCS-01.json": [dom6("Encounter")],
    "MedicationRequest-Example-JP-MedReq-PO-4timez-7days.json": [dom6("MedicationRequest")],
    "MedicationRequest-Example-JP-MedReq-PO-AsNeeded-LimitMax.json": [dom6("MedicationRequest")],
    "MedicationRequest-Example-JP-MedReq-PO-BID-2d.json": [dom6("MedicationRequest")],
    "MedicationRequest-Example-JP-MedReq-PO-SID-28days.json": [dom6("MedicationRequest")],
    "MedicationRequest-Example-JP-MedReq-PO-SID-90-AMB.json": [dom6("MedicationRequest")],
    "MedicationRequest-Example-JP-MedReq-PO-TID-2days.json": [dom6("MedicationRequest")],
    "MedicationRequest-Example-JP-MedReq-TID-01.json": [dom6("MedicationRequest")],
    "Observation-Example-JP-Obs-LabResult-eCS-Alb.json": [dom6("Observation")],
    "Observation-Example-JP-Obs-LabResult-eCS-K.json": [dom6("Observation")],
    "Observation-Example-JP-Obs-LabResult-eCS-eGFR.json": [dom6("Observation")],
    "Organization-Example-JP-Org-eCS-Inst-Referral01.json": [dom6("Organization")],
    "Organization-Example-JP-Org-eCS-ReferralTo01.json": [dom6("Organization")],
    "Patient-Example-JP-Patient-eCS-MAKINO.json": [dom6("Patient")],
    // Declares JP Core's JP_Patient only, whose differential has no invariants.
    "Patient-Example-JP-Patient-minimun.json": [],
    "Patient-Example-JP-Patient-standard.json": [dom6("Patient")],
  };

  it("are the 27 files expected", () => {
    expect(fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".json")).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [file, violations] of Object.entries(expected)) {
    it(`${file}: ${violations.length} violation(s)`, () => {
      const resource = fixture(file);
      const before = JSON.stringify(resource);
      expect(brief(checkInvariants(resource, profiles))).toEqual(violations);
      expect(profileCoverage(resource, profiles)).toEqual([]);
      expect(JSON.stringify(resource)).toBe(before); // checking never changes the document
    });
  }

  it("sets aside what fhirpath cannot evaluate instead of reporting it", () => {
    for (const file of Object.keys(expected)) checkInvariants(fixture(file), profiles);
    // every contained resource of the examples is referenced ("#id") from its resource: dom-3 holds,
    // answered from the JSON (invariant-shortcuts), so nothing is left unevaluated
    expect(unevaluableConstraints(profiles)).toEqual([]);
    // fhirpath 5.2.2 rejects dom-3's `descendants().as(canonical)` (as() on a collection) wherever a
    // resource has contained resources: one that nothing refers to is left to it, so base FHIR's copy
    // is skipped and counted, never reported
    const bundle = fixture("Bundle-Bundle-CLINS-Observations-Example-01.json");
    bundle.entry[1].resource.contained.push({ resourceType: "Specimen", id: "nobody-refers-to-me" });
    expect(brief(checkInvariants(bundle, profiles))).toEqual(expected["Bundle-Bundle-CLINS-Observations-Example-01.json"]);
    const unevaluable = unevaluableConstraints(profiles);
    expect([...new Set(unevaluable.map((u) => u.key))]).toEqual(["dom-3"]);
    expect(unevaluable.every((u) => u.baseFhir && u.stage === "evaluate")).toBe(true);
    console.log(`[fhir] unevaluable constraints: ${unevaluable.length} (${unevaluable.map((u) => `${u.key} in ${u.definedIn.split("/").pop()}`).join(", ")})`);
  });

  it("messages: Japanese as published, English gloss with the rule number", () => {
    const bundle = fixture("Bundle-Bundle-CLINS-Observations-Example-01.json");
    bundle.identifier.value = "bad";
    const issue = checkInvariants(bundle, profiles).find((i) => i.invariant === "valid-value-bundleIdenfifier");
    expect(issue?.ja).toMatch(/^R2152:Bundle\.identifier\.value は、医療機関番号10桁/);
    expect(issue?.en).toMatch(/^Invariant valid-value-bundleIdenfifier \(R2152\) failed: Bundle\.identifier\.value must be/);
  });

  it("messages of base invariants: the package's Japanese as is, an English gloss where it has none", () => {
    const [issue] = checkInvariants(fixture("Condition-Example-JP-Condition-eCS-01.json"), profiles);
    expect(issue).toEqual({
      severity: "warning", code: "invariant", invariant: "dom-6", expression: "Condition",
      ja: "「資源は堅牢な管理のために物語を持つべきである。」",
      en: "Invariant dom-6 failed: a resource should have a narrative (text) for robust management",
    });
  });

  it("messages of base invariants copied as \"日本語 / English\": split into ja and en", () => {
    const issue = checkInvariants(fixture("Patient-Example-JP-Patient-eCS-MAKINO.json"), profiles).find((i) => i.invariant === "dom-6");
    expect(issue?.ja).toBe("リソースには、堅牢な管理のための叙述(Narative)が必要です");
    expect(issue?.en).toBe("Invariant dom-6 failed: a resource should have a narrative (text) for robust management");
  });

  it("timing: the referral Bundle after warm-up (for information, not asserted)", () => {
    const referral = fixture("Bundle-Bundle-CLINS-Referral-Example-01.json");
    for (let i = 0; i < 5; i++) checkInvariants(referral, profiles);
    const runs = 20;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) checkInvariants(referral, profiles);
    console.log(`[fhir] referral Bundle (18 entries): ${((performance.now() - t0) / runs).toFixed(1)} ms per check after warm-up`);
  });
});

describe("each broken rule is reported with its key and where", () => {
  interface Case {
    rule: string;
    key: string;
    file: string;
    expression: string;
    severity?: "error" | "warning";
    breakIt: (r: Json) => void;
  }
  const cases: Case[] = [
    {
      rule: "R2152", key: "valid-value-bundleIdenfifier", file: "Bundle-Bundle-CLINS-Observations-Example-01.json", expression: "Bundle",
      breakIt: (b) => { b.identifier.value = "1318814790^1999^0123"; }, // year outside 20[2-3]x
    },
    {
      rule: "R02141", key: "bundle-meta-tag-resourceType-exists", file: "Bundle-Bundle-CLINS-Observations-Example-01.json", expression: "Bundle",
      breakIt: (b) => { delete b.meta.tag; },
    },
    {
      rule: "R0211", key: "first-bundle-entry-is-Patient", file: "Bundle-Bundle-CLINS-Observations-Example-01.json", expression: "Bundle",
      breakIt: (b) => { b.entry.push(b.entry.shift()); },
    },
    {
      rule: "R9012", key: "all-entries-needs-valid-institutionNumber", file: "Bundle-Bundle-CLINS-Observations-Example-01.json", expression: "Bundle",
      breakIt: (b) => { b.entry[2].resource.extension[0].valueIdentifier.value = "131881479"; }, // 9 digits
    },
    {
      rule: "R901101", key: "resource-needs-extension-of-institutionNumber", file: "Bundle-Bundle-CLINS-Observations-Example-01.json",
      expression: "Bundle.entry[3].resource",
      breakIt: (b) => { b.entry[3].resource.extension = b.entry[3].resource.extension.filter((e: Json) => !String(e.url).endsWith("JP_eCS_InstitutionNumber")); },
    },
    {
      rule: "R1113", key: "kanjiName-kanaName-donot-contain-ZenkakuKuuhaku", file: "Patient-Example-JP-Patient-eCS-MAKINO.json", expression: "Patient",
      breakIt: (p) => { p.name[0].text = "牧野　爛漫"; }, // full-width space
    },
    {
      rule: "R1012", key: "valid-system-insurance-patientIdentifier", file: "Patient-Example-JP-Patient-eCS-MAKINO.json", expression: "Patient",
      breakIt: (p) => { p.identifier = p.identifier.filter((i: Json) => !String(i.system).endsWith("JP_Insurance_memberID")); },
    },
    {
      rule: "R3010", key: "needs-anyOfStandardCode-medication", file: "MedicationRequest-Example-JP-MedReq-PO-BID-2d.json", expression: "MedicationRequest",
      breakIt: (m) => { m.medicationCodeableConcept.coding = m.medicationCodeableConcept.coding.filter((c: Json) => !String(c.system).endsWith("YJ-code")); },
    },
    {
      // JP_MedicationDosage_eCS's rule, reached through MedicationRequest.dosageInstruction's type profile.
      rule: "R5020", key: "validUsage-MedicationUsage-codesystem", file: "MedicationRequest-Example-JP-MedReq-PO-BID-2d.json",
      expression: "MedicationRequest.dosageInstruction[0]",
      breakIt: (m) => { m.dosageInstruction[0].timing.code.coding[0].system = "urn:oid:1.2.392.100495.20.2.31"; },
    },
    {
      rule: "(section rule)", key: "checkExist-CDASection-or-CompositionSection", file: "Bundle-Bundle-CLINS-Referral-Example-01.json",
      expression: "Bundle.entry[0].resource",
      breakIt: (b) => { b.entry[0].resource.section.push({ code: { coding: [{ system: "http://jpfhir.jp/fhir/clins/CodeSystem/document-section", code: "200" }] } }); },
    },
    {
      // The extension's own definition, matched by url wherever the extension is.
      rule: "(施設番号)", key: "valid-value-institutionNumberExtension", file: "Observation-Example-JP-Obs-LabResult-eCS-K.json",
      expression: "Observation.extension[0]",
      breakIt: (o) => { o.extension[0].valueIdentifier.value = "13-1881479"; },
    },
    {
      rule: "(施設番号)", key: "valid-value-institutionNumberExtension", file: "Bundle-Bundle-CLINS-Observations-Example-01.json",
      expression: "Bundle.entry[2].resource.extension[0]",
      breakIt: (b) => { b.entry[2].resource.extension[0].valueIdentifier.value = "ABCDEFGHIJ"; },
    },
    {
      // A choice element (value[x]) is reported by its JSON name.
      rule: "ele-1", key: "ele-1", file: "Observation-Example-JP-Obs-LabResult-eCS-K.json", expression: "Observation.valueQuantity",
      breakIt: (o) => { o.valueQuantity = {}; },
    },
    {
      // A base invariant at a nested path: each node reported with its index.
      rule: "ext-1", key: "ext-1", file: "Patient-Example-JP-Patient-eCS-MAKINO.json", expression: "Patient.name[1].extension[0]",
      breakIt: (p) => { p.name[1].extension[0].extension = [{ url: "x", valueString: "y" }]; },
    },
  ];

  for (const c of cases) {
    it(`${c.rule} ${c.key}: reported at ${c.expression} when broken, absent from the published example`, () => {
      const original = fixture(c.file);
      const broken = structuredClone(original);
      c.breakIt(broken);
      expect(checkInvariants(broken, profiles)).toContainEqual(expect.objectContaining({
        code: "invariant", invariant: c.key, expression: c.expression, severity: c.severity ?? "error",
      }));
      expect(checkInvariants(original, profiles).filter((i) => i.invariant === c.key)).toEqual([]);
    });
  }
});

describe("profileCoverage", () => {
  it("lists declared profiles the packages do not define, with their version as written", () => {
    const bundle = fixture("Bundle-Bundle-CLINS-Observations-Example-01.json");
    bundle.meta.profile.push("http://example.org/fhir/StructureDefinition/Unknown|2");
    bundle.entry[1].resource.meta.profile = ["http://example.org/fhir/StructureDefinition/OtherObs"];
    expect(profileCoverage(bundle, profiles)).toEqual([
      "http://example.org/fhir/StructureDefinition/Unknown|2",
      "http://example.org/fhir/StructureDefinition/OtherObs",
    ]);
  });
});

describe("robustness", () => {
  it("never throws on arbitrary JSON", () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      checkInvariants(value, profiles);
      profileCoverage(value, profiles);
    }), { numRuns: 300 });
  });

  it("never throws on fixture Bundles with random subtrees replaced", () => {
    const bundles = ["Bundle-Bundle-CLINS-Observations-Example-01.json", "Bundle-Bundle-CLINS-Referral-Example-01.json"].map(fixture);
    // Every path to a node of a document, so a property can pick one and replace what is there.
    const pathsOf = (v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []) => {
      out.push(at);
      if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
      return out;
    };
    const paths = bundles.map((b) => pathsOf(b).filter((p) => p.length > 0));
    const garbage = fc.oneof(fc.jsonValue(), fc.constant(null), fc.constant({ resourceType: "Patient" }), fc.constant([]), fc.string());
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 1 }), fc.array(fc.tuple(fc.nat(), garbage), { minLength: 1, maxLength: 4 }),
      (which, replacements) => {
        const doc = structuredClone(bundles[which]) as Json;
        const candidates = paths[which]!;
        for (const [n, value] of replacements) {
          const p = candidates[n % candidates.length]!;
          let parent: Json | undefined = doc;
          for (const step of p.slice(0, -1)) parent = parent && typeof parent === "object" ? parent[step] : undefined;
          // a copy: fc.constant hands out one object, and putting it in twice could nest it in itself —
          // a cycle no JSON body can contain, which once ran the walker out of memory in CI
          if (parent && typeof parent === "object") parent[p[p.length - 1]!] = structuredClone(value);
        }
        const issues = checkInvariants(doc, profiles);
        expect(Array.isArray(issues)).toBe(true);
        profileCoverage(doc, profiles);
      },
    ), { numRuns: 150 });
  });
});

describe("readTgz", () => {
  // A tar header of our own making (ustar layout; the reader does not need the checksum).
  const header = (name: string, size: number, type: string) => {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, "utf8");
    h.write(size.toString(8).padStart(11, "0"), 124, 12, "ascii");
    h.write(type, 156, 1, "ascii");
    h.write("ustar\u000000", 257, 8, "ascii");
    return h;
  };
  const pad = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
  const entry = (name: string, data: string, type = "0") => [header(name, Buffer.byteLength(data), type), pad(Buffer.from(data))];

  it("reads regular files, pax and GNU long names, and skips directories", () => {
    const long = `package/${"x".repeat(120)}.json`;
    const pax = `999 path=${long}\n`; // the record's length field: the reader takes the line as it is
    const tar = Buffer.concat([
      header("package/", 0, "5"),
      ...entry("package/a.json", "{\"a\":1}"),
      ...entry("PaxHeader", pax, "x"),
      ...entry("ignored-short-name", "{\"b\":2}"),
      ...entry("././@LongLink", `package/${"y".repeat(110)}.json`, "L"),
      ...entry("also-ignored", "{}"),
      Buffer.alloc(1024),
    ]);
    const files = readTgz(gzipSync(tar));
    expect(files.map((f) => [f.name, f.data.toString()])).toEqual([
      ["package/a.json", "{\"a\":1}"],
      [long, "{\"b\":2}"],
      [`package/${"y".repeat(110)}.json`, "{}"],
    ]);
  });

  it("refuses an entry that runs past the end of the archive", () => {
    const tar = Buffer.concat([header("package/a.json", 4096, "0"), Buffer.alloc(512)]);
    expect(() => readTgz(gzipSync(tar))).toThrow(/runs past the end/);
  });
});

describe("ele-1 answered without FHIRPath (the import's speed)", () => {
  const ELE_1 = "hasValue() or (children().count() > id.count())";
  // what FHIRPath says of an element of a typed resource (a HumanName of a Patient)
  const fhirpathSays = (element: unknown) => fhirpath.evaluate({ resourceType: "Patient", name: [element] }, `Patient.name.select(${ELE_1})`, {}, r4);

  it("only ever answers a pass that FHIRPath gives too, and leaves empty elements to FHIRPath (property)", () => {
    const keys = fc.constantFrom("id", "family", "_family", "given", "period", "extension", "text", "resourceType");
    fc.assert(
      fc.property(fc.dictionary(keys, fc.oneof(fc.jsonValue(), fc.constant(""), fc.constant({}), fc.constant([]))), (element) => {
        if (holdsWithoutFhirpath("ele-1", ELE_1, element)) expect(fhirpathSays(element)).toEqual([true]);
      }),
      { numRuns: 300 },
    );
    for (const empty of [{}, { id: "a" }, { family: "" }, { given: [] }, { _family: { extension: [] } }]) expect(holdsWithoutFhirpath("ele-1", ELE_1, empty)).toBe(false);
    // another expression under the same key is never answered here
    expect(holdsWithoutFhirpath("ele-1", "children().exists()", { family: "x" })).toBe(false);
  });

  it("finds the elements at a path in the JSON, and leaves to FHIRPath what the keys do not show", () => {
    const obs = { resourceType: "Observation", valueQuantity: { value: 1 }, component: [{ code: { text: "a" } }, { code: { text: "b" }, valueString: "x" }], status: "final", _status: { extension: [] } };
    expect(plainValuesAt(obs, ["component", "code"])).toEqual([{ text: "a" }, { text: "b" }]);
    expect(plainValuesAt(obs, ["value[x]"])).toEqual([{ value: 1 }]);
    expect(plainValuesAt(obs, ["component", "value[x]"])).toEqual(["x"]);
    expect(plainValuesAt(obs, ["note"])).toEqual([]);
    // a primitive's extension (_status) and a step into a primitive are FHIRPath's to find
    expect(plainValuesAt(obs, ["status"])).toBeNull();
    expect(plainValuesAt(obs, ["component", "value[x]", "extension"])).toBeNull();
  });
});

describe("ext-1 answered without FHIRPath (the import's speed)", () => {
  const EXT_1 = "extension.exists() != value.exists()";
  // what FHIRPath says of an extension of a typed resource
  const fhirpathSays = (extension: unknown) => fhirpath.evaluate({ resourceType: "Observation", extension: [extension] }, `Observation.extension.select(${EXT_1})`, {}, r4);

  it("only ever answers a pass that FHIRPath gives too, and leaves the rest to FHIRPath (property)", () => {
    const keys = fc.constantFrom("url", "extension", "_extension", "valueString", "valueQuantity", "valueBoolean", "valueFoo", "value", "_valueString", "id");
    const value = fc.oneof(fc.jsonValue(), fc.constant(""), fc.constant({}), fc.constant([]), fc.constant([{ url: "x", valueString: "y" }]), fc.constant({ value: 1, unit: "mg" }));
    let answered = 0;
    fc.assert(
      fc.property(fc.dictionary(keys, value), (extension) => {
        if (!holdsWithoutFhirpath("ext-1", EXT_1, extension)) return;
        expect(fhirpathSays(extension)).toEqual([true]);
        answered++;
      }),
      { numRuns: 600 },
    );
    expect(answered).toBeGreaterThan(10);
  });

  it("passes an extension with one value or with extensions, and leaves both, neither and strange values to FHIRPath", () => {
    expect(holdsWithoutFhirpath("ext-1", EXT_1, { url: "u", valueString: "x" })).toBe(true);
    expect(holdsWithoutFhirpath("ext-1", EXT_1, { url: "u", extension: [{ url: "v", valueCode: "a" }] })).toBe(true);
    for (const other of [{ url: "u" }, { url: "u", valueString: "x", extension: [{ url: "v" }] }, { url: "u", valueFoo: "x" }, { url: "u", _valueString: { extension: [] } }, { url: "u", valueString: null }, { url: "u", extension: [] }]) {
      expect(holdsWithoutFhirpath("ext-1", EXT_1, other)).toBe(false);
    }
    expect(holdsWithoutFhirpath("ext-1", "extension.exists()", { url: "u", valueString: "x" })).toBe(false);
  });
});

describe("the rules on every resource and Bundle entry answered without FHIRPath (the import's speed)", () => {
  const ON_RESOURCE = { "dom-2": "contained.contained.empty()", "dom-4": "contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()", "dom-5": "contained.meta.security.empty()", "dom-6": "text.`div`.exists()" };
  const ON_ENTRY = { "bdl-5": "resource.exists() or request.exists() or response.exists()", "bdl-8": "fullUrl.contains('/_history/').not()" };

  it("are the expressions the packages carry", () => {
    const all = [...profiles.byUrl.values()].flatMap((p) => p.constraints);
    for (const [key, expression] of Object.entries({ ...ON_RESOURCE, ...ON_ENTRY })) expect([...new Set(all.filter((c) => c.key === key).map((c) => c.expression))]).toEqual([expression]);
  });

  it("only ever answer a pass that FHIRPath gives too (property)", () => {
    const contained = fc.constantFrom(undefined, null, [], {}, [{ resourceType: "Encounter", id: "e" }], [{ resourceType: "Encounter", meta: { versionId: "1", security: [{ code: "R" }] } }], [{ resourceType: "Encounter", contained: [{ resourceType: "Patient" }] }]);
    const text = fc.constantFrom(undefined, null, "x", {}, { div: "" }, { div: "<div xmlns=\"http://www.w3.org/1999/xhtml\">a</div>" }, { status: "generated" });
    const answered: Record<string, number> = {};
    fc.assert(
      fc.property(contained, fc.option(contained, { nil: undefined }), text, (c, underscored, t) => {
        const resource: Json = JSON.parse(JSON.stringify({ resourceType: "Observation", status: "final", contained: c, _contained: underscored, text: t }));
        for (const [key, expression] of Object.entries(ON_RESOURCE)) {
          if (!holdsWithoutFhirpath(key, expression, resource)) continue;
          expect(fhirpath.evaluate(resource, expression, { resource }, r4), `${key} on ${JSON.stringify(resource)}`).toEqual([true]);
          answered[key] = (answered[key] ?? 0) + 1;
        }
      }),
      { numRuns: 300 },
    );
    const part = fc.constantFrom(undefined, null, "urn:uuid:1", "http://x/Patient/1/_history/2", {}, [], { resourceType: "Patient" }, { method: "POST", url: "Patient" });
    fc.assert(
      fc.property(fc.record({ resource: part, request: part, response: part, fullUrl: part, _fullUrl: fc.constantFrom(undefined, { extension: [] }) }), (entry) => {
        const bundle = JSON.parse(JSON.stringify({ resourceType: "Bundle", type: "collection", entry: [entry] }));
        for (const [key, expression] of Object.entries(ON_ENTRY)) {
          if (!holdsWithoutFhirpath(key, expression, bundle.entry[0])) continue;
          expect(fhirpath.evaluate(bundle, `Bundle.entry.select(${expression})`, {}, r4), `${key} on ${JSON.stringify(entry)}`).toEqual([true]);
          answered[key] = (answered[key] ?? 0) + 1;
        }
      }),
      { numRuns: 300 },
    );
    for (const key of Object.keys({ ...ON_RESOURCE, ...ON_ENTRY })) expect(answered[key], key).toBeGreaterThan(5);
  });
});

describe("dom-3 answered without FHIRPath (the import's speed)", () => {
  let DOM_3: string;
  beforeAll(() => {
    DOM_3 = [...profiles.byUrl.values()].flatMap((p) => p.constraints).find((c) => c.key === "dom-3")!.expression;
  });
  // what FHIRPath says, where it can say anything: a contained resource's id compared with the references in the resource
  const fhirpathSays = (resource: Json) => fhirpath.evaluate(resource, "contained.where(('#'+id in %resource.descendants().reference).not()).empty()", { resource }, r4);

  it("only ever answers a pass that FHIRPath gives too, and leaves the rest to FHIRPath (property)", () => {
    const ids = fc.constantFrom("a", "b", "enc", "");
    const reference = ids.map((id) => ({ reference: `#${id}` }));
    const containedId = fc.oneof({ arbitrary: fc.constantFrom("a", "enc"), weight: 6 }, { arbitrary: fc.constantFrom("", "b", undefined, 7), weight: 1 });
    const contained = fc.array(fc.record({ resourceType: fc.constantFrom("Encounter", "Specimen"), id: containedId }, { requiredKeys: ["resourceType"] }), { maxLength: 2 });
    // references where FHIRPath finds them (nested objects, arrays, contained resources) and where this does not look (a primitive's _x)
    const elsewhere = fc.record({
      subject: fc.option(reference, { nil: undefined }),
      basedOn: fc.option(fc.array(reference, { maxLength: 3 }), { nil: undefined }),
      component: fc.option(fc.array(fc.record({ extension: fc.array(fc.record({ valueReference: reference }), { maxLength: 1 }) }), { maxLength: 2 }), { nil: undefined }),
      _status: fc.option(fc.record({ extension: fc.array(fc.record({ valueReference: reference }), { maxLength: 1 }) }), { nil: undefined }),
    }, { requiredKeys: [] });
    let answered = 0;
    fc.assert(
      fc.property(fc.option(contained, { nil: undefined }), elsewhere, (c, rest) => {
        const resource: Json = JSON.parse(JSON.stringify({ resourceType: "Observation", status: "final", ...rest, ...(c === undefined ? {} : { contained: c }) }));
        if (!resourceHoldsWithoutFhirpath("dom-3", DOM_3, resource)) return;
        expect(fhirpathSays(resource)).toEqual([true]);
        if (c?.length) answered++;
      }),
      { numRuns: 400 },
    );
    expect(answered).toBeGreaterThan(10); // passes with contained resources, not only resources without
  });

  it("passes a resource whose contained resources are each referenced, and no other", () => {
    const obs = { resourceType: "Observation", contained: [{ resourceType: "Encounter", id: "enc" }], encounter: { reference: "#enc" } };
    expect(resourceHoldsWithoutFhirpath("dom-3", DOM_3, obs)).toBe(true);
    expect(resourceHoldsWithoutFhirpath("dom-3", DOM_3, { resourceType: "Observation" })).toBe(true);
    expect(resourceHoldsWithoutFhirpath("dom-3", DOM_3, { ...obs, encounter: { reference: "#other" } })).toBe(false);
    // a reference only in a primitive's extension is FHIRPath's to find
    expect(resourceHoldsWithoutFhirpath("dom-3", DOM_3, { ...obs, encounter: undefined, _status: { extension: [{ valueReference: { reference: "#enc" } }] } })).toBe(false);
    // the resource's own key is not below it; another expression under the same key is never answered here
    expect(resourceHoldsWithoutFhirpath("dom-3", DOM_3, { ...obs, encounter: undefined, reference: "#enc" })).toBe(false);
    expect(resourceHoldsWithoutFhirpath("dom-3", "contained.empty()", obs)).toBe(false);
  });
});

describe("Condition, AllergyIntolerance, section and Bundle rules answered without FHIRPath (the import's speed)", () => {
  const CLINICAL = { "con-3": "", "con-4": "", "con-5": "", "ait-2": "", "bdl-1": "", "cmp-1": "" } as Record<string, string>;
  const BUNDLE = { "bdl-3": "", "bdl-4": "", "bdl-7": "" } as Record<string, string>;
  beforeAll(() => {
    const all = [...profiles.byUrl.values()].flatMap((p) => p.constraints);
    for (const rules of [CLINICAL, BUNDLE]) for (const key of Object.keys(rules)) rules[key] = all.find((c) => c.key === key)!.expression;
  });

  it("are each one expression in the packages", () => {
    const all = [...profiles.byUrl.values()].flatMap((p) => p.constraints);
    for (const key of [...Object.keys(CLINICAL), ...Object.keys(BUNDLE)]) expect(new Set(all.filter((c) => c.key === key).map((c) => c.expression)).size, key).toBe(1);
  });

  const coding = (system: string, code: unknown) => ({ coding: [{ system, code }] });
  const CVS = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
  const status = fc.constantFrom(undefined, null, {}, { text: "" }, coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"), coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "resolved"), { coding: [] });
  const verification = fc.constantFrom(undefined, null, {}, coding(CVS, "confirmed"), coding(CVS, "entered-in-error"), coding("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "entered-in-error"), { coding: [{ system: CVS }] }, { coding: "x" });
  const abatement = fc.constantFrom({}, { abatementDateTime: "2020-01-01" }, { abatementString: "" }, { _abatementDateTime: { extension: [] } });
  const category = fc.constantFrom(undefined, [coding("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")], [{ text: "problem-list-item" }]);

  it("only ever answer a pass that FHIRPath gives too (property)", () => {
    const answered: Record<string, number> = {};
    const says = (data: Json, expression: string, resource: Json) => fhirpath.evaluate(data, expression, { resource }, r4);
    fc.assert(
      fc.property(status, verification, abatement, category, (clinicalStatus, verificationStatus, abate, cat) => {
        for (const resourceType of ["Condition", "AllergyIntolerance"]) {
          const r: Json = JSON.parse(JSON.stringify({ resourceType, clinicalStatus, verificationStatus, ...abate, category: cat }));
          for (const [key, expression] of Object.entries(CLINICAL)) {
            if (!key.startsWith(resourceType === "Condition" ? "con-" : "ait-") || !holdsWithoutFhirpath(key, expression, r)) continue;
            expect(says(r, expression, r), `${key} on ${JSON.stringify(r)}`).toEqual([true]);
            answered[key] = (answered[key] ?? 0) + 1;
          }
        }
      }),
      { numRuns: 300 },
    );
    const part = fc.constantFrom(undefined, null, {}, { method: "POST", url: "Patient" }, { status: "201" });
    const fullUrl = fc.constantFrom(undefined, "", "urn:uuid:1", "urn:uuid:2", 7);
    const resource = fc.constantFrom(undefined, { resourceType: "Patient" }, { resourceType: "Patient", meta: { versionId: "1" } }, { resourceType: "Patient", meta: { _versionId: { extension: [] } } }, { resourceType: "Patient", meta: {} });
    const entry = fc.record({ fullUrl, resource, request: part, response: part, _fullUrl: fc.constantFrom(undefined, { extension: [] }) }, { requiredKeys: [] });
    const type = fc.constantFrom("document", "collection", "batch", "transaction", "history", "batch-response", "searchset", undefined, 3);
    fc.assert(
      fc.property(type, fc.option(fc.array(entry, { maxLength: 3 }), { nil: undefined }), fc.constantFrom(undefined, 0, 3), (t, entries, total) => {
        const b: Json = JSON.parse(JSON.stringify({ resourceType: "Bundle", type: t, entry: entries, total }));
        for (const [key, expression] of Object.entries(BUNDLE)) {
          if (!resourceHoldsWithoutFhirpath(key, expression, b)) continue;
          expect(says(b, expression, b), `${key} on ${JSON.stringify(b)}`).toEqual([true]);
          answered[key] = (answered[key] ?? 0) + 1;
        }
        if (holdsWithoutFhirpath("bdl-1", CLINICAL["bdl-1"]!, b)) {
          expect(says(b, CLINICAL["bdl-1"]!, b)).toEqual([true]);
          answered["bdl-1"] = (answered["bdl-1"] ?? 0) + 1;
        }
      }),
      { numRuns: 400 },
    );
    const sectionPart = fc.constantFrom(undefined, null, [], [{}], [{ reference: "urn:uuid:1" }], [{ display: "" }], { reference: "x" });
    fc.assert(
      fc.property(sectionPart, sectionPart, fc.constantFrom(undefined, { status: "generated", div: "<div xmlns=\"http://www.w3.org/1999/xhtml\">a</div>" }), (entries, sections, text) => {
        const composition: Json = JSON.parse(JSON.stringify({ resourceType: "Composition", section: [{ title: "s", entry: entries, section: sections, text }] }));
        const section = composition.section[0];
        if (!holdsWithoutFhirpath("cmp-1", CLINICAL["cmp-1"]!, section)) return;
        expect(fhirpath.evaluate(composition, `Composition.section.select(${CLINICAL["cmp-1"]})`, {}, r4)).toEqual([true]);
        answered["cmp-1"] = (answered["cmp-1"] ?? 0) + 1;
      }),
      { numRuns: 200 },
    );
    // each rule answered often, not only vacuously
    for (const key of [...Object.keys(CLINICAL), ...Object.keys(BUNDLE)]) expect(answered[key] ?? 0, key).toBeGreaterThan(5);
  });

  it("leave the doubtful to FHIRPath: entered in error, an abatement, a request in a collection, the same fullUrl twice", () => {
    expect(holdsWithoutFhirpath("con-5", CLINICAL["con-5"]!, { resourceType: "Condition", verificationStatus: coding(CVS, "entered-in-error") })).toBe(false);
    expect(holdsWithoutFhirpath("con-4", CLINICAL["con-4"]!, { resourceType: "Condition", abatementString: "2020" })).toBe(false);
    expect(holdsWithoutFhirpath("con-3", CLINICAL["con-3"]!, { resourceType: "Condition" })).toBe(false);
    const bundle = { resourceType: "Bundle", type: "collection", entry: [{ fullUrl: "urn:uuid:1", resource: { resourceType: "Patient" } }] };
    for (const key of Object.keys(BUNDLE)) expect(resourceHoldsWithoutFhirpath(key, BUNDLE[key]!, bundle), key).toBe(true);
    expect(resourceHoldsWithoutFhirpath("bdl-3", BUNDLE["bdl-3"]!, { ...bundle, entry: [{ ...bundle.entry[0], request: { method: "POST" } }] })).toBe(false);
    expect(resourceHoldsWithoutFhirpath("bdl-3", BUNDLE["bdl-3"]!, { ...bundle, type: "transaction" })).toBe(false);
    expect(resourceHoldsWithoutFhirpath("bdl-4", BUNDLE["bdl-4"]!, { ...bundle, entry: [{ ...bundle.entry[0], response: { status: "201" } }] })).toBe(false);
    expect(resourceHoldsWithoutFhirpath("bdl-7", BUNDLE["bdl-7"]!, { ...bundle, entry: [bundle.entry[0], bundle.entry[0]] })).toBe(false);
    // another expression under a key is never answered here
    expect(resourceHoldsWithoutFhirpath("bdl-3", "entry.exists()", bundle)).toBe(false);
    expect(holdsWithoutFhirpath("con-4", "abatement.empty()", { resourceType: "Condition" })).toBe(false);
  });
});

describe("JP-CLINS's own Bundle and resource rules answered without FHIRPath (the import's speed)", () => {
  const ON_BUNDLE = [
    "validEntryProfile-ObservationLabResult", "validEntryProfile-MedicationRequest", "validEntryProfile-AllergyIntolerance", "validEntryProfile-Condition",
    "all-entries-needs-extension-of-institutionNumber", "all-entries-needs-valid-institutionNumber",
    "observation-needs-contained-of-Encounter", "condition-needs-contained-of-Encounter", "observation-needs-extension-of-Department", "condition-needs-extension-of-Department",
    "condition-needs-onsetDateTime", "bundle-profile-is-JP-Bundle-CLINS", "first-bundle-entry-is-Patient", "patients-profile-is-JP-Patient-eCS",
    "bundle-meta-tag-resourceType-exists", "bundle-meta-tag-resourceType-valid", "mustHaveOneMoreResources-with-designatedResourceType",
    "valid-system-bundleIdenfifier", "valid-value-bundleIdenfifier",
  ];
  const ON_PATIENT = ["valid-system-local-patientID", "valid-system-insurance-patientIdentifier", "valid-value-insurance-patientIdentifier", "kanjiName-kanaName-donot-contain-ZenkakuKuuhaku"];
  const ON_RESOURCE = ["resource-needs-extension-of-institutionNumber", ...ON_PATIENT];
  const ON_EXTENSION = "valid-value-institutionNumberExtension";
  const expression: Record<string, string> = {};
  beforeAll(() => {
    const all = [...profiles.byUrl.values()].flatMap((p) => p.constraints);
    for (const key of [...ON_BUNDLE, ...ON_RESOURCE, ON_EXTENSION]) {
      const found = new Set(all.filter((c) => c.key === key).map((c) => c.expression));
      expect(found.size, key).toBe(1);
      expression[key] = [...found][0]!;
    }
  });

  const INST = "http://jpfhir.jp/fhir/clins/Extension/StructureDefinition/JP_eCS_InstitutionNumber";
  const DEPT = "http://jpfhir.jp/fhir/eCS/Extension/StructureDefinition/JP_eCS_Department";
  const ENC = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Encounter";
  const ECS = "http://jpfhir.jp/fhir/eCS/StructureDefinition/";
  const institution = (value: unknown) => ({ url: INST, valueIdentifier: { system: "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no", value } });
  const extensions = fc.constantFrom(
    undefined, [], [institution("1318814790")], [institution("131881479")], [institution("5318814790")], [institution("1318814790"), institution("1318814790")],
    [{ url: INST, valueString: "1318814790" }], [{ url: INST, valueIdentifier: { value: "1318814790" }, valueString: "x" }], [{ url: INST, valueIdentifier: { _value: { extension: [] } } }],
    [{ url: DEPT, valueCodeableConcept: { text: "内科" } }], [institution("1318814790"), { url: DEPT, valueCodeableConcept: { text: "内科" } }], "x", [7],
  );
  const profilesOf = (type: string) => fc.constantFrom(undefined, [], [`${ECS}${type}`], [`${ECS}${type}|1.5.2`], [`${ECS}${type}`, "http://example.org/other"], ["http://example.org/other|2"], [`${ECS}${type}|1`, `${ECS}${type}`], [3]);
  const contained = fc.constantFrom(undefined, [], [{ resourceType: "Encounter", id: "e", meta: { profile: [ENC] } }], [{ resourceType: "Encounter", meta: { profile: [ENC, "http://example.org/x"] } }], [{ resourceType: "Encounter" }], [{ resourceType: "Encounter", meta: { profile: [`${ENC}|1`] } }]);
  const onset = fc.constantFrom({}, { onsetDateTime: "2020-01-01" }, { onsetDateTime: "" }, { onsetString: "昔" }, { onsetDateTime: "2020", _onsetDateTime: { extension: [] } });
  const resource = fc.oneof(
    fc.constant(undefined),
    fc.record({ resourceType: fc.constantFrom("Patient"), meta: fc.record({ profile: profilesOf("JP_Patient_eCS") }), extension: extensions }),
    ...["Observation", "Condition", "AllergyIntolerance", "MedicationRequest"].map((type) =>
      fc.tuple(fc.record({ resourceType: fc.constant(type), meta: fc.option(fc.record({ profile: profilesOf({ Observation: "JP_Observation_LabResult_eCS", Condition: "JP_Condition_eCS", AllergyIntolerance: "JP_AllergyIntolerance_eCS", MedicationRequest: "JP_MedicationRequest_eCS" }[type]!) }), { nil: undefined }), extension: extensions, contained }), onset).map(([r, o]) => ({ ...r, ...o })),
    ),
    fc.constantFrom({ resourceType: 7 }, { id: "no-type" }, "text"),
  );
  const says = (data: unknown, expr: string) => fhirpath.evaluate(data, expr, { resource: data }, r4);
  const BRT = "http://jpfhir.jp/fhir/clins/CodeSystem/BundleResourceType_CS";
  const tag = (code?: string, system = BRT) => ({ system, ...(code === undefined ? {} : { code }) });
  const bundleMeta = fc.option(fc.record({
    profile: fc.constantFrom(undefined, [], ["http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_CLINS"], ["http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_CLINS|1.5.2"], ["http://example.org/other"], [5]),
    tag: fc.constantFrom(undefined, [], [tag("Observation")], [tag("Condition")], [tag("AllergyIntolerance")], [tag("Observation"), tag("Observation")], [tag("Observation"), tag("Condition")], [tag()], [tag("Observation", "http://example.org/cs")], [tag("Foo")], [{ system: BRT, code: 3 }]),
  }, { requiredKeys: [] }), { nil: undefined });
  const BID = "http://jpfhir.jp/fhir/clins/bundle-identifier";
  const bundleIdentifier = fc.constantFrom(undefined, { system: BID, value: "1318814790^2024^abc-1" }, { system: BID, value: "1318814790^1999^abc" }, { system: BID, value: "131881479^2024^a" }, { system: BID }, { system: "http://example.org/ids", value: "1318814790^2024^1" }, [{ system: BID, value: "1318814790^2024^1" }], { system: BID, value: "1318814790^2024^a", _value: { extension: [] } });

  it("only ever answer a pass that FHIRPath gives too (property)", () => {
    const answered: Record<string, number> = {};
    const count = (key: string) => (answered[key] = (answered[key] ?? 0) + 1);
    fc.assert(
      fc.property(fc.array(fc.record({ fullUrl: fc.constantFrom(undefined, "urn:uuid:1"), resource }, { requiredKeys: [] }), { maxLength: 4 }), bundleMeta, bundleIdentifier, (entries, meta, identifier) => {
        const b: Json = JSON.parse(JSON.stringify({ resourceType: "Bundle", type: "collection", meta, identifier, entry: entries }));
        for (const key of ON_BUNDLE) {
          if (!resourceHoldsWithoutFhirpath(key, expression[key]!, b)) continue;
          expect(says(b, expression[key]!), `${key} on ${JSON.stringify(b)}`).toEqual([true]);
          count(key);
        }
        for (const r of b.entry.map((e: Json) => e.resource).filter((r: unknown) => r && typeof r === "object" && (r as Json).resourceType === "Observation")) {
          if (!resourceHoldsWithoutFhirpath(ON_RESOURCE[0]!, expression[ON_RESOURCE[0]!]!, r)) continue;
          expect(says(r, expression[ON_RESOURCE[0]!]!), JSON.stringify(r)).toEqual([true]);
          count(ON_RESOURCE[0]!);
        }
      }),
      { numRuns: 800 },
    );
    const LOCAL = "urn:oid:1.2.392.100495.20.3.51.";
    const identifier = fc.constantFrom(
      { system: `${LOCAL}11318814790`, value: "000999739" }, { system: `${LOCAL}21318814790`, value: "1" }, { system: `${LOCAL}1131881479`, value: "1" }, { system: `${LOCAL}15318814790` },
      { system: LOCAL }, { system: `${LOCAL}1` }, {}, { system: 5 }, { _system: { extension: [] }, value: "1" },
      ...["00012345:あいう:187:01", "00012345:あいう:187:", "00012345:あ い:187:01", "00012345:あ　い:187:01", "0001234:あ:187:01", "00012345:::", "00012345:a:b:1", undefined].map((value) => ({ system: "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID", value })),
    );
    const REP = { url: "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation", valueCode: "IDE" };
    const name = fc.constantFrom(
      { text: "牧野 爛漫", extension: [REP] }, { text: "牧野　爛漫", extension: [REP] }, { text: "牧野　爛漫" }, { extension: [REP] }, { text: 5, extension: [REP] },
      { text: "牧野 爛漫", _text: { extension: [] }, extension: [REP] }, { family: "牧野", extension: [{ url: "http://example.org/x", valueString: "y" }] },
    );
    fc.assert(
      fc.property(fc.option(fc.array(identifier, { maxLength: 3 }), { nil: undefined }), fc.option(fc.array(name, { maxLength: 2 }), { nil: undefined }), (ids, names) => {
        const patient: Json = JSON.parse(JSON.stringify({ resourceType: "Patient", identifier: ids, name: names }));
        for (const key of ON_PATIENT) {
          if (!resourceHoldsWithoutFhirpath(key, expression[key]!, patient)) continue;
          expect(says(patient, expression[key]!), `${key} on ${JSON.stringify(patient)}`).toEqual([true]);
          count(key);
        }
      }),
      { numRuns: 600 },
    );
    const value = fc.constantFrom("1318814790", "13-1881479", "x1318814790y", "", "131881479", "ABCDEFGHIJ", 1318814790);
    const extension = fc.oneof(value.map((v) => institution(v)), value.map((v) => ({ url: INST, valueString: v })), value.map((v) => ({ ...institution(v), extension: [{ url: "x", valueString: "y" }] })), fc.constant({ url: INST, valueIdentifier: { value: "1318814790", _value: { extension: [] } } }));
    fc.assert(
      fc.property(extension, (ext) => {
        const e: Json = JSON.parse(JSON.stringify(ext));
        if (!extensionRuleHolds(ON_EXTENSION, expression[ON_EXTENSION]!, e)) return;
        expect(fhirpath.evaluate(e, { base: "Extension", expression: expression[ON_EXTENSION]! }, {}, r4), JSON.stringify(e)).toEqual([true]);
        count(ON_EXTENSION);
      }),
      { numRuns: 200 },
    );
    // each rule answered often, not only vacuously (and so its expression is the packages' own)
    for (const key of [...ON_BUNDLE, ...ON_RESOURCE, ON_EXTENSION]) expect(answered[key] ?? 0, key).toBeGreaterThan(5);
  });

  it("leave a broken or doubtful rule to FHIRPath", () => {
    const obs = (extension: unknown[], profile = [`${ECS}JP_Observation_LabResult_eCS`]) => ({ resourceType: "Observation", meta: { profile }, extension, contained: [{ resourceType: "Encounter", meta: { profile: [ENC] } }] });
    const bundle = (...resources: unknown[]) => ({
      resourceType: "Bundle", type: "collection",
      meta: { profile: ["http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_CLINS"], tag: [tag("Observation")] },
      identifier: { system: "http://jpfhir.jp/fhir/clins/bundle-identifier", value: "1318814790^2024^1" },
      entry: [{ resource: { resourceType: "Patient", meta: { profile: [`${ECS}JP_Patient_eCS`] } } }, ...resources.map((resource) => ({ resource }))],
    });
    const good = bundle(obs([institution("1318814790"), { url: DEPT, valueCodeableConcept: { text: "内科" } }]));
    for (const key of ON_BUNDLE) expect(resourceHoldsWithoutFhirpath(key, expression[key]!, good), key).toBe(true);
    expect(resourceHoldsWithoutFhirpath("all-entries-needs-valid-institutionNumber", expression["all-entries-needs-valid-institutionNumber"]!, bundle(obs([institution("131881479")])))).toBe(false);
    expect(resourceHoldsWithoutFhirpath("observation-needs-extension-of-Department", expression["observation-needs-extension-of-Department"]!, bundle(obs([institution("1318814790")])))).toBe(false);
    expect(resourceHoldsWithoutFhirpath("validEntryProfile-ObservationLabResult", expression["validEntryProfile-ObservationLabResult"]!, bundle(obs([], [`${ECS}JP_Observation_LabResult_eCS|1`, "http://example.org/x"])))).toBe(false);
    expect(resourceHoldsWithoutFhirpath("valid-system-local-patientID", expression["valid-system-local-patientID"]!, { resourceType: "Patient", identifier: [{ system: "urn:oid:1.2.392.100495.20.3.51.1131881479" }] })).toBe(false);
    expect(extensionRuleHolds(ON_EXTENSION, expression[ON_EXTENSION]!, institution("13-1881479"))).toBe(false);
    expect(resourceHoldsWithoutFhirpath("valid-value-bundleIdenfifier", expression["valid-value-bundleIdenfifier"]!, { ...good, identifier: { system: "http://jpfhir.jp/fhir/clins/bundle-identifier", value: "1318814790^1999^1" } })).toBe(false);
    expect(resourceHoldsWithoutFhirpath("mustHaveOneMoreResources-with-designatedResourceType", expression["mustHaveOneMoreResources-with-designatedResourceType"]!, { ...good, meta: { tag: [tag("Condition")] } })).toBe(false);
    const patient = { resourceType: "Patient", name: [{ text: "牧野　爛漫", extension: [{ url: "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation", valueCode: "IDE" }] }] };
    expect(resourceHoldsWithoutFhirpath("kanjiName-kanaName-donot-contain-ZenkakuKuuhaku", expression["kanjiName-kanaName-donot-contain-ZenkakuKuuhaku"]!, patient)).toBe(false);
    // another expression under a key is never answered here
    expect(resourceHoldsWithoutFhirpath("validEntryProfile-Condition", "entry.exists()", good)).toBe(false);
    expect(extensionRuleHolds(ON_EXTENSION, "value.exists()", institution("1318814790"))).toBe(false);
  });
});

describe("the other base rules a facility's documents meet answered without FHIRPath (the import's speed)", () => {
  const KEYS = ["bdl-2", "bdl-9", "bdl-10", "bdl-11", "bdl-12", "org-1", "org-2", "org-3", "obs-6", "obs-7", "pat-1", "ait-1", "cmp-2", "checkExist-CDASection-or-structuredSection", "checkExist-CDASection-or-CompositionSection"];
  const expression: Record<string, string> = {};
  beforeAll(() => {
    const all = [...profiles.byUrl.values()].flatMap((p) => p.constraints);
    for (const key of KEYS) {
      const found = new Set(all.filter((c) => c.key === key).map((c) => c.expression));
      expect(found.size, key).toBe(1);
      expression[key] = [...found][0]!;
    }
  });
  const plain = (x: unknown): Json => JSON.parse(JSON.stringify(x));
  const holds = (key: string, data: unknown) => holdsWithoutFhirpath(key, expression[key]!, data) || resourceHoldsWithoutFhirpath(key, expression[key]!, data);

  it("only ever answer a pass that FHIRPath gives too (property)", () => {
    const answered: Record<string, number> = {};
    const check = (key: string, data: unknown, says: () => unknown) => {
      if (!holds(key, data)) return;
      expect(says(), `${key} on ${JSON.stringify(data)}`).toEqual([true]);
      answered[key] = (answered[key] ?? 0) + 1;
    };
    const entry = fc.record({ resource: fc.constantFrom(undefined, { resourceType: "Composition" }, { resourceType: "Patient" }, { resourceType: "MessageHeader" }, "x"), search: fc.constantFrom(undefined, { mode: "match" }) }, { requiredKeys: [] });
    fc.assert(
      fc.property(
        fc.constantFrom("document", "collection", "message", "transaction", "searchset", undefined, 3),
        fc.constantFrom(undefined, { system: "http://jpfhir.jp/fhir/clins/bundle-identifier", value: "1318814790^2024^1" }, { system: "s" }, { value: "v" }, { system: "", value: "v" }, { system: "s", value: "v", _value: { extension: [] } }),
        fc.constantFrom(undefined, "2024-11-26T10:00:00+09:00", "", 5),
        fc.option(fc.array(entry, { maxLength: 3 }), { nil: undefined }),
        (type, identifier, timestamp, entries) => {
          const b = plain({ resourceType: "Bundle", type, identifier, timestamp, entry: entries });
          for (const key of ["bdl-2", "bdl-9", "bdl-10", "bdl-11", "bdl-12"]) check(key, b, () => fhirpath.evaluate(b, expression[key]!, { resource: b }, r4));
        },
      ),
      { numRuns: 400 },
    );
    const use = fc.constantFrom(undefined, "home", "work", "temp", 3);
    fc.assert(
      fc.property(fc.constantFrom(undefined, "", "東京みなと病院", 5), fc.constantFrom(undefined, [], [{}], [{ value: "1318814790" }], "x"), use, use, fc.boolean(), (name, identifier, telecomUse, addressUse, underscored) => {
        const o = plain({ resourceType: "Organization", name, identifier, telecom: [{ system: "phone", value: "03", use: telecomUse, ...(underscored ? { _use: { extension: [] } } : {}) }], address: [{ text: "東京", use: addressUse }] });
        check("org-1", o, () => fhirpath.evaluate(o, expression["org-1"]!, { resource: o }, r4));
        check("org-3", o.telecom[0], () => fhirpath.evaluate(o, `Organization.telecom.select(${expression["org-3"]})`, {}, r4));
        check("org-2", o.address[0], () => fhirpath.evaluate(o, `Organization.address.select(${expression["org-2"]})`, {}, r4));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.constantFrom(undefined, { text: "不明" }), fc.constantFrom(undefined, { value: 1, unit: "mg" }), fc.constantFrom(undefined, [], [{ code: { coding: [{ system: "s", code: "a" }] }, valueQuantity: { value: 1 } }]), (dataAbsentReason, valueQuantity, component) => {
        const o = plain({ resourceType: "Observation", status: "final", code: { coding: [{ system: "s", code: "a" }] }, dataAbsentReason, valueQuantity, component });
        for (const key of ["obs-6", "obs-7"]) check(key, o, () => fhirpath.evaluate(o, expression[key]!, { resource: o }, r4));
      }),
      { numRuns: 100 },
    );
    const part = fc.constantFrom(undefined, {}, { text: "" }, { text: "牧野" }, [], [{}], [{ system: "phone", value: "03" }]);
    fc.assert(
      fc.property(part, part, part, part, (name, telecom, address, organization) => {
        const p = plain({ resourceType: "Patient", contact: [{ name, telecom, address, organization }] });
        check("pat-1", p.contact[0], () => fhirpath.evaluate(p, `Patient.contact.select(${expression["pat-1"]})`, {}, r4));
      }),
      { numRuns: 400 },
    );
    const concept = fc.constantFrom(undefined, {}, { text: "" }, { coding: [{ system: "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", code: "active" }] }, { coding: [{ system: "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", code: "entered-in-error" }] });
    fc.assert(
      fc.property(concept, concept, (clinicalStatus, verificationStatus) => {
        const a = plain({ resourceType: "AllergyIntolerance", clinicalStatus, verificationStatus });
        check("ait-1", a, () => fhirpath.evaluate(a, expression["ait-1"]!, { resource: a }, r4));
      }),
      { numRuns: 100 },
    );
    const code = fc.constantFrom(undefined, "200", "300", "100", 5);
    const section = fc.record({ emptyReason: fc.constantFrom(undefined, { text: "なし" }), entry: fc.constantFrom(undefined, [], [{ reference: "urn:uuid:1" }]), code: fc.option(fc.array(code, { maxLength: 2 }).map((codes) => ({ coding: codes.map((c) => ({ system: "http://jpfhir.jp/fhir/clins/CodeSystem/document-section", code: c })) })), { nil: undefined }) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.option(fc.array(section, { maxLength: 3 }), { nil: undefined }), (sections) => {
        const c = plain({ resourceType: "Composition", section: sections });
        for (const key of KEYS.filter((k) => k.startsWith("checkExist"))) check(key, c, () => fhirpath.evaluate(c, expression[key]!, { resource: c }, r4));
        if (c.section?.length) check("cmp-2", c.section[0], () => fhirpath.evaluate({ ...c, section: [c.section[0]] }, `Composition.section.select(${expression["cmp-2"]})`, {}, r4));
      }),
      { numRuns: 400 },
    );
    for (const key of KEYS) expect(answered[key] ?? 0, key).toBeGreaterThan(5);
  });

  it("leave a broken rule to FHIRPath", () => {
    expect(holds("bdl-11", { resourceType: "Bundle", type: "document", entry: [{ resource: { resourceType: "Patient" } }] })).toBe(false);
    expect(holds("bdl-9", { resourceType: "Bundle", type: "document", identifier: { value: "1" } })).toBe(false);
    expect(holds("org-2", { text: "東京", use: "home" })).toBe(false);
    expect(holds("obs-6", { resourceType: "Observation", dataAbsentReason: { text: "x" }, valueQuantity: { value: 1 } })).toBe(false);
    expect(holds("pat-1", { telecom: [] })).toBe(false);
    expect(holds("checkExist-CDASection-or-CompositionSection", { resourceType: "Composition", section: [{ code: { coding: [{ code: "200" }] } }, { code: { coding: [{ code: "300" }] } }] })).toBe(false);
  });
});
