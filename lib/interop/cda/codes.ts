/**
 * CDA document types the record has a kind for. LOINC (2.16.840.1.113883.6.1) as the NHO's 医師記録等
 * specification and HL7 CDA R2 write them, and JAHIS's JMIX 文書コード (1.2.392.200119.5.3.1) that the
 * same specification names for the 診療情報提供書. A code sent without its system is read as LOINC when
 * it is one of these. Any other type (74465-6 災害時JSPEED記録, a local code) has no kind: the document is
 * still filed, under its own code and title.
 */
export const LOINC = "2.16.840.1.113883.6.1";
export const JMIX = "1.2.392.200119.5.3.1";

type Kind = "REFERRAL" | "DISCHARGE_SUMMARY" | "PROGRESS_NOTE";

const BY_SYSTEM: Readonly<Record<string, Readonly<Record<string, Kind>>>> = {
  [LOINC]: {
    "57133-1": "REFERRAL", // Referral note (紹介状)
    "18842-5": "DISCHARGE_SUMMARY", // 退院時サマリー
    "11506-3": "PROGRESS_NOTE", // 経過記録 (外来・入院)
    "34108-1": "PROGRESS_NOTE", // 外来診療録
    "34112-3": "PROGRESS_NOTE", // 入院診療録
  },
  [JMIX]: { MD0020730: "REFERRAL" }, // 診療情報提供書
};

export function cdaDocumentKind(c: { system: string | null; code: string }): Kind | null {
  return BY_SYSTEM[c.system ?? LOINC]?.[c.code] ?? null;
}

/**
 * The document type an extended-storage data kind folder names (`[local code]^local name^[local
 * system]^standard code^standard name^standard system`, e.g. `^退院時サマリー^^18842-5^退院時サマリー^LN`),
 * when its standard code is LOINC; null for a folder that names none.
 */
export function folderDocumentKind(kindFolder: string): Kind | null {
  const [, , , code = "", , system = ""] = kindFolder.split("^");
  return system === "LN" && code ? cdaDocumentKind({ system: LOINC, code }) : null;
}
