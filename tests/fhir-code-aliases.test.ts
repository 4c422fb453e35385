import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readTgz } from "../lib/interop/fhir/tgz";
import { FHIR_PACKAGE_FILES } from "../lib/interop/fhir/fhir-packages";
import { canonicalSystem } from "../lib/interop/fhir/code-aliases";
import { CODE_SYSTEM } from "../lib/terminology/code-systems";

/**
 * The code-system aliases held to the published NamingSystems (JP Core 1.1.2, JP-CLINS 1.5.2, read in
 * place): a system Tsunagu reads — HOT, YJ, 一般名, JLAC10, JAMI 用法, ICD-10, MEDIS 病名 — must read the
 * same in every form its NamingSystem lists (OID, urn:oid:, URL), or a sender using another form files
 * codes the prescription and lab checks never match.
 */
const PACKAGES = path.resolve(__dirname, "../../shared/fhir-packages");
/** the systems the importers read codes in (CODE_SYSTEM.PROCEDURE is the seed's, not read from senders) */
const KNOWN: ReadonlySet<string> = new Set([
  CODE_SYSTEM.JLAC10, CODE_SYSTEM.HOT9, CODE_SYSTEM.HOT13, CODE_SYSTEM.HOT7, CODE_SYSTEM.YJ, CODE_SYSTEM.GENERAL_NAME,
  CODE_SYSTEM.JAMI_USAGE, CODE_SYSTEM.ICD10, CODE_SYSTEM.MEDIS_DISEASE, CODE_SYSTEM.MEDIS_DISEASE_KEY, CODE_SYSTEM.SSMIX_DEPARTMENT,
]);

function namingSystems(): { name: string; forms: string[] }[] {
  return FHIR_PACKAGE_FILES.flatMap((file) =>
    readTgz(fs.readFileSync(path.join(PACKAGES, file)))
      .filter((e) => /\/NamingSystem-[^/]+\.json$/.test(e.name))
      .map((e) => {
        const ns = JSON.parse(e.data.toString("utf8")) as { name?: string; uniqueId?: { type: string; value: string }[] };
        const forms = (ns.uniqueId ?? []).map((u) => (u.type === "oid" ? `urn:oid:${u.value}` : u.value));
        return { name: ns.name ?? e.name, forms };
      }),
  );
}

describe("code-system aliases against the packages' NamingSystems", () => {
  const systems = namingSystems();
  it("finds the NamingSystems of the systems the importers read", () => {
    const read = systems.filter((s) => s.forms.some((f) => KNOWN.has(canonicalSystem(f))));
    expect(read.length).toBeGreaterThanOrEqual(8);
  });
  it("reads every form of such a system as one canonical system", () => {
    for (const s of systems) {
      const canon = new Set(s.forms.map(canonicalSystem));
      if (![...canon].some((c) => KNOWN.has(c))) continue;
      expect([...canon], `${s.name}: ${s.forms.join(", ")}`).toHaveLength(1);
    }
  });
});
