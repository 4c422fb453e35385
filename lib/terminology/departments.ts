/**
 * The SS-MIX2 統一診療科コード (JAMI, urn:oid:1.2.392.200250.2.2.2; JP Core's JP_Department_SsMix_CS),
 * two-digit level. SS-MIX2 senders put these codes, not names, in PV1-10 (an admission's 診療科) and in
 * PV1-3's first component (an outpatient's), so a record filed as sent reads 「診療科 01」 — and a
 * psychiatric admission (02) would escape the department rule of lib/access/sensitivity.ts, which
 * reads names. The two-digit codes are those of the レセプト 別表10 診療科名コード, which the JP Core
 * examples also use (08 循環器科). The three-digit level is not listed: a code not here stays as sent.
 */
const SSMIX_DEPARTMENTS: Readonly<Record<string, string>> = {
  "01": "内科",
  "02": "精神科",
  "03": "神経科",
  "04": "神経内科",
  "05": "呼吸器科",
  "06": "消化器科",
  "07": "胃腸科",
  "08": "循環器科",
  "09": "小児科",
  "10": "外科",
  "11": "整形外科",
  "12": "形成外科",
  "13": "美容外科",
  "14": "脳神経外科",
  "15": "呼吸器外科",
  "16": "心臓血管外科",
  "17": "小児外科",
  "18": "皮膚ひ尿器科",
  "19": "皮膚科",
  "20": "ひ尿器科",
  "21": "性病科",
  "22": "こう門科",
  "23": "産婦人科",
  "24": "産科",
  "25": "婦人科",
  "26": "眼科",
  "27": "耳鼻いんこう科",
  "28": "気管食道科",
  "30": "放射線科",
  "31": "麻酔科",
  "33": "心療内科",
  "34": "アレルギー科",
  "35": "リウマチ科",
  "36": "リハビリテーション科",
  "37": "病理診断科",
  "38": "臨床検査科",
  "39": "救急科",
};

/** The 診療科's name when `department` is a two-digit SS-MIX2 code (full-width digits too); null otherwise. */
export function ssmixDepartmentName(department: string | null | undefined): string | null {
  const code = department?.normalize("NFKC").trim();
  return code ? (SSMIX_DEPARTMENTS[code] ?? null) : null;
}

/** The department as a clinician reads it: 「内科 (01)」 for a code, the text itself for a name. */
export function departmentLabel(department: string | null | undefined): string | null {
  if (!department) return null;
  const name = ssmixDepartmentName(department);
  return name ? `${name} (${department.normalize("NFKC").trim()})` : department;
}
