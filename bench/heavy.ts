/**
 * The heavy patient of the benchmark: twenty years of chronic care across every facility of the demo
 * network, built with the seed's own PatientBuilder / runRegimen so the rows look like the demo's
 * (labs that follow the disease, prescriptions with dispenses, checkups with items, letters).
 */
import * as C from "../prisma/seed/codes";
import { Body, DAY, PatientBuilder, emptyRows, runRegimen, type Physiology, type Rows } from "../prisma/seed/patients";
import { doctorName } from "../prisma/seed/network";
import { Rng } from "../prisma/seed/random";

export const HEAVY_ID = "pat-heavy";
export const HEAVY_NAME = { familyName: "長谷部", givenName: "重蔵", familyNameKana: "ハセベ", givenNameKana: "ジュウゾウ" };
const YEARS = 20;

export function buildHeavyPatient(now: Date): Rows {
  const rows = emptyRows();
  const birth = new Date(Date.UTC(1950, 2, 3));
  rows.patients.push({
    id: HEAVY_ID, ...HEAVY_NAME, sex: "MALE", birthDate: birth,
    insurerNumber: "39221010", insuredSymbol: null, insuredNumber: "00990001", postalCode: "420-0853", address: "静岡県静岡市葵区追手町9-6", phone: "054-221-0000",
  });
  const p = new PatientBuilder(rows, HEAVY_ID, "MALE", birth, now, new Rng(HEAVY_ID));
  const rng = p.rng;
  const from = YEARS * 365;
  for (let i = 1; i <= 9; i++) p.link(`fac-0${i}`, `H${i}-990001`);
  // doctor1 (fac-01) must be able to open the record: an active FULL consent there.
  p.consent({ facilityId: "fac-01", scope: "FULL", capturedAt: p.at(1900, 10, 0), capturedById: "usr-clerk1" });
  p.consent({ facilityId: "fac-03", scope: "FULL", capturedAt: p.at(3100, 10, 0), capturedById: "usr-clerk3" });
  p.consent({ facilityId: "fac-06", scope: "FULL", capturedAt: p.at(1850, 10, 0), capturedById: "usr-clerk6" });

  p.allergy({ facilityId: "fac-09", at: p.at(from - 200, 10, 0), group: "PENICILLIN", severity: "SEVERE" });
  p.allergy({ facilityId: "fac-02", at: p.at(2400, 15, 0), group: "IODINE_CONTRAST", severity: "MODERATE" });
  p.allergy({ facilityId: "fac-03", at: p.at(2900, 10, 0), group: "SHRIMP", severity: "MILD" });
  p.allergy({ facilityId: "fac-08", at: p.at(5200, 10, 0), group: "CEDAR_POLLEN", severity: "MILD" });

  const ph: Physiology = {
    dm: { onset: from - 300, peak: 9.1, target: 7.0, worsenFrom: 700, worsenRate: 0.3 },
    ldl: { base: 168, statinFrom: 5000, treated: 104 }, hdl: 44, tg: 180, egfrNow: 38, egfrSlope: 1.6,
    sbp: { base: 162, treatedFrom: from - 100, treated: 136 }, drinker: false,
    ua: { base: 8.4, treatedFrom: 3000, treated: 6.2 }, hb: 13.2, height: 166, bmi: 25.8,
  };
  const body = new Body(p, ph, rng.fork("body"));

  p.condition({ key: "htn", facilityId: "fac-09", at: p.at(from - 100, 10, 0), major: true });
  p.condition({ key: "t2dm", facilityId: "fac-09", at: p.at(from - 300, 10, 0), major: true });
  p.condition({ key: "dyslipidemia", facilityId: "fac-09", at: p.at(5000, 10, 0) });
  p.condition({ key: "hyperuricemia", facilityId: "fac-03", at: p.at(3000, 10, 0) });
  p.condition({ key: "ckd", facilityId: "fac-02", at: p.at(2500, 10, 0) });
  p.condition({ key: "angina", facilityId: "fac-01", at: p.at(1900, 10, 0), major: true });
  p.condition({ key: "kneeOa", facilityId: "fac-04", at: p.at(3500, 10, 0) });
  p.condition({ key: "cataract", facilityId: "fac-05", at: p.at(1500, 10, 0), endedAt: p.at(1380, 10, 0), outcome: "CURED" });
  p.condition({ key: "allergicRhinitis", facilityId: "fac-08", at: p.at(5200, 10, 0) });

  // Chronic care: the first clinic (now suspended) for twelve years, then the network's clinic.
  // a routine panel at every visit (about the size of a real 一般採血 order), lipids every other visit
  const dmLabs = (_d: number, i: number) => ["hba1c", "glu", "cre", "egfr", "bun", "ua", "k", "na", "ast", "alt", "ggt", "hb", "wbc", "plt", ...(i % 2 === 0 ? ["ldl", "hdl", "tg"] : [])];
  runRegimen(p, body, {
    facilityId: "fac-09", department: "内科", pharmacyId: "fac-07", from: from - 100, until: 3010, gaps: [28, 42],
    reason: "定期受診（高血圧症、2型糖尿病）",
    drugsAt: (d) => [{ drug: C.drug("amlodin5") }, ...(d <= from - 300 ? [{ drug: C.drug("metgluco250") }] : []), ...(d <= 5000 ? [{ drug: C.drug("lipitor10") }] : [])],
    labsAt: dmLabs,
  });
  runRegimen(p, body, {
    facilityId: "fac-03", department: "内科", pharmacyId: "fac-07", from: 3000, last: 9, lastSupply: 56, gaps: [28, 42],
    reason: "定期受診（高血圧症、2型糖尿病、脂質異常症）",
    drugsAt: (d) => [
      { drug: C.drug("amlodin5") }, { drug: C.drug("metgluco250") }, { drug: C.drug("lipitor10") }, { drug: C.drug("feburic20") },
      ...(d <= 2000 ? [{ drug: C.drug("januvia50") }] : []),
    ],
    labsAt: dmLabs,
  });
  runRegimen(p, body, {
    facilityId: "fac-01", department: "循環器内科", pharmacyId: "fac-06", from: 1880, last: 12, lastSupply: 56, gaps: [28, 56],
    reason: "定期受診（狭心症 PCI後）",
    drugsAt: () => [{ drug: C.drug("bayaspirin100") }, { drug: C.drug("sigmart5") }, { drug: C.drug("takepronOd15") }, { drug: C.drug("nitropen"), times: 5 }],
    labsAt: () => ["cre", "egfr", "k", "na", "hb", "wbc", "plt", "ast", "alt", "ldl", "crp"],
  });
  runRegimen(p, body, {
    facilityId: "fac-02", department: "腎臓内科", pharmacyId: "fac-07", from: 2500, last: 20, lastSupply: 56, gaps: [56, 84],
    reason: "定期受診（慢性腎臓病）",
    drugsAt: () => [],
    labsAt: () => ["cre", "egfr", "bun", "k", "na", "hb", "alb", "ua"],
  });
  runRegimen(p, body, {
    facilityId: "fac-04", department: "整形外科", pharmacyId: "fac-06", from: 3500, last: 15, lastSupply: 28, gaps: [28, 42],
    reason: "定期受診（変形性膝関節症）",
    drugsAt: () => [{ drug: C.drug("loxoninTape100") }, { drug: C.drug("calonal500"), times: 10 }],
  });

  // The eye clinic and the paediatric clinic have no doctor names in the seed: visits only.
  for (let d = 1500; d > 30; d -= 180) p.encounter({ facilityId: "fac-05", at: p.visitTime(d), cls: "OUTPATIENT", department: "眼科", reason: "糖尿病網膜症 定期眼底検査" });
  for (let y = 0; y < YEARS; y++) p.encounter({ facilityId: "fac-08", at: p.visitTime(y * 365 + 300), cls: "OUTPATIENT", department: "小児科", reason: "インフルエンザ予防接種（家族と同時）" });

  // Yearly 特定健診 / 後期高齢者健診 with a report letter.
  for (let y = 0; y < YEARS; y++) {
    const d = 150 + y * 365 + rng.int(0, 10);
    const at = p.at(d, 9, 30);
    const fac = d > 3010 ? "fac-09" : "fac-03";
    const values = body.checkupValues(d);
    p.checkup({ facilityId: fac, at, programme: p.ageAt(at) >= 75 ? "後期高齢者健診" : "特定健診", values });
    p.document({ facilityId: fac, at: new Date(at.getTime() + 14 * DAY), kind: "CHECKUP_REPORT", title: "健診結果通知書", authorName: doctorName(fac, "内科"),
      body: `【受診日】${at.toISOString().slice(0, 10)}\n【HbA1c】${String(values.hba1c).slice(0, 4)}%\n【血圧】${Math.round(Number(values.sbp))}mmHg` });
  }

  // Episodes: PCI admission, polypectomy, cataract surgery, yearly echo reports, referrals.
  const admit = p.at(1900, 10, 0);
  p.encounter({ facilityId: "fac-01", at: admit, cls: "INPATIENT", department: "循環器内科", reason: "労作性狭心症（PCI目的）", endedAt: p.at(1895, 11, 0) });
  p.procedure({ facilityId: "fac-01", at: p.at(1898, 13, 0), key: "pci", note: "LAD #7 DES 1本留置" });
  p.document({ facilityId: "fac-01", at: p.at(1895, 11, 0), kind: "DISCHARGE_SUMMARY", title: "退院時サマリー", authorName: doctorName("fac-01", "循環器内科"), body: "労作性狭心症に対しPCI施行。経過良好にて退院。" });
  p.procedure({ facilityId: "fac-01", at: p.at(2600, 11, 0), key: "polypectomy", note: "S状結腸 8mm EMR" });
  p.procedure({ facilityId: "fac-01", at: p.at(1380, 10, 0), key: "iol", note: "右眼 水晶体再建術" });
  for (let d = 1850; d > 0; d -= 365) {
    p.document({ facilityId: "fac-01", at: p.at(d, 14, 0), kind: "IMAGING_REPORT", title: "心臓超音波検査報告書", authorName: doctorName("fac-01", "放射線科"), body: "壁運動異常なし。EF 58%。" });
    p.procedure({ facilityId: "fac-01", at: p.at(d, 13, 30), key: "gastroscopy", note: "定期上部消化管内視鏡" });
  }
  for (const [fac, to, d] of [["fac-03", "つなぐ中央病院 循環器内科", 1910], ["fac-03", "しずおか市民病院 腎臓内科", 2510], ["fac-09", "みなみ内科クリニック", 3015]] as const) {
    p.document({ facilityId: fac, at: p.at(d, 16, 0), kind: "REFERRAL", title: "診療情報提供書", authorName: doctorName(fac, "内科"), recipient: to, body: "高血圧症、2型糖尿病にて加療中の方です。ご高診のほどよろしくお願い申し上げます。" });
  }
  return rows;
}
