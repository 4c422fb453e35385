import path from "node:path";
import type { Db } from "../../lib/db/client";
import { freshDatabase } from "./db";

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

/** What of 牧野 爛漫's ("tp") record came from the examples' hospital: her diagnoses and lab results filed from its files. */
export async function filedFromHospital(db: Db): Promise<{ conditions: number; labs: number }> {
  return {
    conditions: await db.condition.count({ where: { patientId: "tp", facilityId: "fH" } }),
    labs: await db.labResult.count({ where: { patientId: "tp", facilityId: "fH" } }),
  };
}

/**
 * A fresh database with the identity tests' network (the examples' patient with this 枝番), and the
 * review's entry points, loaded once the database is there: the screen's list and its decision form.
 */
export async function jpClinsReview(branch: string) {
  const ctx = await freshDatabase();
  await jpClinsNetwork(ctx.db, branch);
  return { ctx, db: ctx.db, decide: (await import("../../app/actions/identity-review-form")).identityDecision, network: await import("../../lib/network") };
}
