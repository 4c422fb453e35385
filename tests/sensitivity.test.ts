import { describe, expect, it } from "vitest";
import { classifyCare, classifyVisits, departmentCategory, drugCategory, icd10Category, type VisitRecord } from "../lib/access/sensitivity";
import { DRUG_BY_KEY } from "../lib/terminology/drugs";

/** The classifier as a matrix: each signal that makes a record sensitive, with its twin that stays NORMAL. */
describe("ICD-10 code", () => {
  it.each([
    ["F32.9", "PSYCHIATRIC", "G47.0"], // うつ病 | 不眠症 (organic insomnia is neurology, not chapter F)
    ["F51.0", "PSYCHIATRIC", "G43.9"], // nonorganic insomnia | migraine
    ["X70", "PSYCHIATRIC", "W19"], // intentional self-harm | a fall
    ["B24", "INFECTIOUS", "B02.9"], // HIV | zoster
    ["B20.1", "INFECTIOUS", "A09"], // HIV with bacterial infection | gastroenteritis
    ["B18.1", "INFECTIOUS", "B18.9"], // chronic hepatitis B | chronic viral hepatitis, unspecified (not B or C)
    ["B18.2", "INFECTIOUS", "J11.1"], // chronic hepatitis C | influenza
    ["A51.0", "INFECTIOUS", "N30.0"], // primary syphilis | cystitis
    ["A15.0", "INFECTIOUS", "J18.9"], // pulmonary TB | pneumonia
    ["Q90.9", "GENETIC", "Q65.0"], // Down syndrome | congenital hip dislocation
    ["Z15.0", "GENETIC", "Z13.6"], // genetic susceptibility to breast cancer | cardiovascular screening
    ["O03.9", "REPRODUCTIVE", "N40"], // spontaneous abortion | BPH
    ["N97.9", "REPRODUCTIVE", "N95.1"], // female infertility | menopause
    ["Z31.2", "REPRODUCTIVE", "Z38.0"], // in vitro fertilisation | a liveborn infant (the baby's record)
  ] as const)("%s is %s; its twin %s stays NORMAL", (code, category, twin) => {
    expect(icd10Category(code)).toBe(category);
    expect(classifyCare({ icd10: code })).toEqual({ category, signal: "code" });
    expect(icd10Category(twin)).toBeNull();
    expect(classifyCare({ icd10: twin })).toEqual({ category: "NORMAL", signal: null });
  });

  it("reads codes however they are written: no dot, lower case, full width", () => {
    for (const c of ["F329", "f32.9", "Ｆ３２．９", " F32.9 "]) expect(icd10Category(c)).toBe("PSYCHIATRIC");
    for (const c of ["", null, undefined, "20057766", "JVF9"]) expect(icd10Category(c)).toBeNull();
  });
});

describe("drug class (YJ)", () => {
  it.each([
    ["myslee5", "PSYCHIATRIC"], // マイスリー (zolpidem): 112 hypnotic
    ["jzoloft25", "PSYCHIATRIC"], // ジェイゾロフト: 117 antidepressant
    ["lexapro10", "PSYCHIATRIC"],
    ["baraclude0_5", "INFECTIOUS"], // entecavir (HBV)
    ["biktarvy", "INFECTIOUS"], // HIV
  ])("%s is %s", (key, category) => {
    const yj = DRUG_BY_KEY.get(key)!.yj;
    expect(drugCategory(yj)).toBe(category);
    expect(classifyCare({ yjCodes: ["2171022F2041", yj] })).toEqual({ category, signal: "drug" });
  });
  it.each([
    ["1124017F2", "PSYCHIATRIC"], // a benzodiazepine (112x)
    ["1179038F1", "PSYCHIATRIC"], // an antipsychotic (117x)
    ["6222001F1", "INFECTIOUS"], // an antituberculous drug (622x)
    ["2549008F1", "REPRODUCTIVE"], // a contraceptive (254x)
  ])("by class prefix: %s is %s", (yj, category) => expect(drugCategory(yj)).toBe(category));
  it("twins stay NORMAL: an antiepileptic, an analgesic, an antiviral for influenza, a Ca blocker", () => {
    for (const yj of ["1139004F1", "1149019F1560", "6250021M1", "2171022F2041", "", null]) expect(drugCategory(yj)).toBeNull();
    expect(classifyCare({ yjCodes: ["1149019F1560", "2171022F2041"] }).category).toBe("NORMAL");
  });
});

describe("department", () => {
  it.each([
    ["精神科", "PSYCHIATRIC"],
    ["心療内科", "PSYCHIATRIC"],
    ["児童精神科", "PSYCHIATRIC"],
    ["精神神経科", "PSYCHIATRIC"],
    ["神経科", "PSYCHIATRIC"],
    ["感染症内科", "INFECTIOUS"],
    ["臨床遺伝科", "GENETIC"],
    ["産婦人科", "REPRODUCTIVE"],
    ["生殖医療センター", "REPRODUCTIVE"],
  ])("%s is %s", (department, category) => {
    expect(departmentCategory(department)).toBe(category);
    expect(classifyCare({ department })).toEqual({ category, signal: "department" });
  });
  it("twins stay NORMAL: neurology, internal medicine, urology, paediatrics", () => {
    for (const department of ["脳神経内科", "神経内科", "内科", "泌尿器科", "小児科", "", null]) expect(classifyCare({ department }).category).toBe("NORMAL");
  });
  // SS-MIX2 files carry the 統一診療科コード, not the name: a psychiatric admission arrives as PV1-10 "02"
  it.each([
    ["02", "PSYCHIATRIC"],
    ["０２", "PSYCHIATRIC"],
    ["03", "PSYCHIATRIC"],
    ["33", "PSYCHIATRIC"],
    ["21", "INFECTIOUS"],
    ["23", "REPRODUCTIVE"],
    ["25", "REPRODUCTIVE"],
  ])("the SS-MIX2 department code %s is %s", (department, category) => {
    expect(classifyCare({ department })).toEqual({ category, signal: "department" });
  });
  it("twins stay NORMAL: the codes of internal medicine, neurology, cardiology and one no table names", () => {
    for (const department of ["01", "04", "08", "99", "002"]) expect(classifyCare({ department }).category).toBe("NORMAL");
  });
});

describe("facility kind and the source's own flag", () => {
  it("everything at a psychiatric clinic is psychiatric; the twin at a general clinic is not", () => {
    expect(classifyCare({ department: "内科", facilityCategory: "PSYCHIATRIC" })).toEqual({ category: "PSYCHIATRIC", signal: "facility" });
    expect(classifyCare({ department: "内科", facilityCategory: "NORMAL" }).category).toBe("NORMAL");
    expect(classifyCare({ department: "内科", facilityCategory: null }).category).toBe("NORMAL");
  });
  it("a declared category is never lowered; a declared NORMAL does not override the code", () => {
    expect(classifyCare({ icd10: "I10", declared: "INFECTIOUS" })).toEqual({ category: "INFECTIOUS", signal: "declared" });
    expect(classifyCare({ icd10: "F32.9", declared: "NORMAL" })).toEqual({ category: "PSYCHIATRIC", signal: "code" });
    expect(classifyCare({ icd10: "I10", declared: "NORMAL" }).category).toBe("NORMAL");
  });
  it("the most specific signal wins: the record's code over its department over its facility", () => {
    expect(classifyCare({ icd10: "B24", department: "精神科", facilityCategory: "REPRODUCTIVE" }).category).toBe("INFECTIOUS");
    expect(classifyCare({ department: "精神科", facilityCategory: "REPRODUCTIVE" }).category).toBe("PSYCHIATRIC");
  });
});

describe("the visit: records of the same facility and day inherit", () => {
  const at = (iso: string) => new Date(iso);
  const rec = (x: Partial<VisitRecord>): VisitRecord => ({ facilityId: "fac-01", occurredAt: at("2024-06-14T05:00:00Z"), own: "NORMAL", ...x });

  it("the insomnia diagnosed with the depression is withheld; the same diagnosis another day, or elsewhere, is not", () => {
    const depression = rec({ own: "PSYCHIATRIC" });
    const insomnia = rec({});
    const nextDay = rec({ occurredAt: at("2024-06-15T05:00:00Z") });
    const otherFacility = rec({ facilityId: "fac-03" });
    expect(classifyVisits([depression, insomnia, nextDay, otherFacility])).toEqual(["PSYCHIATRIC", "PSYCHIATRIC", "NORMAL", "NORMAL"]);
  });

  it("the day is Japan's: 23:30 JST is the same visit as 10:00 JST, 00:30 JST the next day is not", () => {
    const morning = rec({ own: "PSYCHIATRIC", occurredAt: at("2024-06-14T01:00:00Z") });
    expect(classifyVisits([morning, rec({ occurredAt: at("2024-06-14T14:30:00Z") }), rec({ occurredAt: at("2024-06-14T15:30:00Z") })])).toEqual(["PSYCHIATRIC", "PSYCHIATRIC", "NORMAL"]);
  });

  it("a record naming another department keeps its own category; one of the same department, or of none, inherits", () => {
    const psych = rec({ own: "PSYCHIATRIC", department: "精神科" });
    expect(classifyVisits([psych, rec({ department: "循環器内科" }), rec({ department: "精神科" }), rec({ department: null })])).toEqual(["PSYCHIATRIC", "NORMAL", "PSYCHIATRIC", "PSYCHIATRIC"]);
    // a sensitive record without a department (a diagnosis) marks the whole visit
    expect(classifyVisits([rec({ own: "PSYCHIATRIC" }), rec({ department: "循環器内科" })])).toEqual(["PSYCHIATRIC", "PSYCHIATRIC"]);
  });

  it("allergies do not inherit (safety information); twin: the same allergy at a psychiatric facility on its own signals is withheld", () => {
    expect(classifyVisits([rec({ own: "PSYCHIATRIC" }), rec({ inherits: false })])).toEqual(["PSYCHIATRIC", "NORMAL"]);
    expect(classifyVisits([rec({ own: "PSYCHIATRIC" }), rec({ inherits: false, own: classifyCare({ facilityCategory: "PSYCHIATRIC" }).category })])).toEqual(["PSYCHIATRIC", "PSYCHIATRIC"]);
  });

  it("a visit with nothing sensitive changes nothing", () => {
    expect(classifyVisits([rec({}), rec({ department: "内科" })])).toEqual(["NORMAL", "NORMAL"]);
  });
});

describe("a medicine's class marks its own record, not the visit", () => {
  const rec = (x: Partial<VisitRecord>): VisitRecord => ({ facilityId: "fac-03", occurredAt: new Date("2024-06-14T01:00:00Z"), own: "NORMAL", ...x });
  it("a hypnotic at a diabetes check-up is withheld; that day's HbA1c is not. Twin: a psychiatric diagnosis that day marks the visit", () => {
    const hypnotic = rec({ department: "内科", ...(() => { const c = classifyCare({ yjCodes: ["1129009F1025"], department: "内科" }); return { own: c.category, signal: c.signal }; })() });
    expect(hypnotic).toMatchObject({ own: "PSYCHIATRIC", signal: "drug" });
    expect(classifyVisits([hypnotic, rec({})])).toEqual(["PSYCHIATRIC", "NORMAL"]);
    expect(classifyVisits([hypnotic, rec({ own: "PSYCHIATRIC", signal: "code" }), rec({})])).toEqual(["PSYCHIATRIC", "PSYCHIATRIC", "PSYCHIATRIC"]);
  });
});
