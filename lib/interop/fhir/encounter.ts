import { readInstant } from "./dates";
import { codingIn, readConcept, recordBase } from "./elements";
import { CODE_SYSTEM } from "../../terminology/code-systems";
import { field, type Issues, type Node } from "./json";
import type { FhirEncounter } from "./types";

/** v3 ActCode encounter classes as Tsunagu's visit classes (ACUTE and NONAC are inpatient stays, VR a remote consultation). */
const CLASS: Readonly<Record<string, FhirEncounter["class"]>> = { AMB: "OUTPATIENT", VR: "OUTPATIENT", IMP: "INPATIENT", ACUTE: "INPATIENT", NONAC: "INPATIENT", EMER: "EMERGENCY", HH: "HOME" };

/**
 * An Encounter (JP_Encounter) as a visit: its class, period, department (serviceType) and reason, as
 * Tsunagu writes them (write-encounter.ts). null, with a warning, for a class it has no visit kind for.
 */
export function readEncounter(res: Node, issues: Issues): FhirEncounter | null {
  const base = recordBase(res, issues);
  const cls = field(res, "class");
  const code = issues.object(cls) ? issues.string(field(cls, "code")) : null;
  const klass = code === null ? undefined : CLASS[code];
  if (!klass) {
    issues.warn("not-supported", `${cls.at}.code`, `${cls.at}.code「${code ?? ""}」は受診区分（外来・入院・救急・在宅）として読めません。`, `${cls.at}.code "${code ?? ""}" is not a visit class Tsunagu files (ambulatory, inpatient, emergency, home health).`);
    return null;
  }
  const period = field(res, "period");
  const department = readConcept(field(res, "serviceType"), issues);
  const reason = issues.objects(field(res, "reasonCode")).map((r) => readConcept(r, issues))[0];
  return {
    ...base,
    occurredAt: readInstant(field(period, "start"), issues),
    endedAt: readInstant(field(period, "end"), issues),
    class: klass,
    // an SS-MIX2 診療科 code is kept as the code (as an SS-MIX2 file files it), so a round trip is exact
    department: codingIn(department, CODE_SYSTEM.SSMIX_DEPARTMENT)?.code ?? department.text ?? department.codings[0]?.display ?? null,
    reason: reason ? (reason.text ?? reason.codings[0]?.display ?? null) : null,
  };
}
