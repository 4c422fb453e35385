import path from "node:path";
import type { Db } from "../../lib/db/client";

/** The published JP-CLINS examples: one hospital patient id, 枝番 05 in the referral and 01 in the Observations Bundle. */
const JP = path.resolve(import.meta.dirname, "../../../shared/fixtures/jp-clins");
export const REFERRAL = path.join(JP, "Bundle-Bundle-CLINS-Referral-Example-01.json");
export const OBSERVATIONS = path.join(JP, "Bundle-Bundle-CLINS-Observations-Example-01.json");

/**
 * The identity tests' network: the administrator's facility (fA), the examples' hospital (fH,
 * 東京みなと病院), a clinic (fB), and the examples' patient 牧野 爛漫 as Tsunagu knows her ("tp"), with
 * the 枝番 the test gives her card.
 */
export async function jpClinsNetwork(db: Db, branch: string): Promise<void> {
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL" } });
  await db.facility.create({ data: { id: "fH", code: "1318814790", name: "東京みなと病院", kind: "HOSPITAL" } });
  await db.facility.create({ data: { id: "fB", code: "2213000003", name: "施設B", kind: "CLINIC" } });
  await db.patient.create({
    data: { id: "tp", familyName: "牧野", givenName: "爛漫", familyNameKana: "マキノ", givenNameKana: "ランマン", sex: "FEMALE", birthDate: new Date("1930-06-28"), insurerNumber: "00012345", insuredSymbol: "あいう", insuredNumber: "187", insuredBranch: branch },
  });
}
