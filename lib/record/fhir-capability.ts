import { JP_CORE_PROFILE } from "../interop/fhir/write-common";
import { EXPORT_TYPES } from "./export";
import { PAGING_PARAMETERS, searchCapabilities, type SearchParameter } from "./fhir-search";

/** $everything's parameters, as lib/record/export.ts checks them; anything else is refused by name. */
export const EVERYTHING_PARAMETERS: readonly SearchParameter[] = [
  { name: "start", type: "date", documentation: "記録日（日本時間）がこの日以降 / records on or after this day (Japan)" },
  { name: "end", type: "date", documentation: "記録日がこの日以前 / records on or before this day" },
  { name: "_since", type: "date", documentation: "この時刻以降に Tsunagu が保存した記録 / records Tsunagu stored at or after this instant" },
  { name: "_type", type: "string", documentation: `資源の種類（カンマ区切り）/ resource types, comma-separated: ${EXPORT_TYPES.join(", ")}` },
  ...PAGING_PARAMETERS,
];

const READ_DOCUMENTATION =
  "GET {type}/{id}（検索結果の fullUrl）。検索と同じ判断・監査で、見られない記録（非開示の区分、緊急時アクセスの範囲外）は存在しない id と同じ 404、患者自体を閲覧できないときは理由付きの 403 / GET {type}/{id} (each searchset entry's fullUrl), decided and audited as the search: a record this clinician may not see (a withheld category, outside the break-glass dataset) is the same 404 as an unknown id; a refused patient is a 403 with the reason";
const EVERYTHING = "http://hl7.org/fhir/OperationDefinition/Patient-everything";
const searchParam = (p: SearchParameter) => ({ name: p.name, type: p.type, documentation: p.documentation });

/**
 * What this server supports, exactly: reading the Patient and finding them by identifier, reading
 * every resource the searches return by its id,
 * $everything, and the searches by patient with their parameters (any other parameter is a 400), all
 * with a clinician's token; pushes with a facility's key.
 */
export function capabilityStatement(base: string) {
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date: "2026-12-06",
    kind: "instance",
    software: { name: "Tsunagu" },
    implementation: { description: "Tsunagu 地域医療情報連携ネットワーク FHIR API", url: base },
    fhirVersion: "4.0.1",
    format: ["application/fhir+json"],
    rest: [
      {
        mode: "server",
        documentation:
          "GET は臨床職員が発行した API トークン（Authorization: Bearer）で、その職員として判断・監査されます（同意、または本人の緊急時アクセス中は救急時医療情報のみ）。対応していないパラメータは 400 です。検索結果の fullUrl はこのベース上の絶対 URL、参照は相対（Patient/{id}）で、Bundle 内の Patient（$everything の最初のページ、または _include=<型>:patient で各ページに search.mode include として）か、同じトークンでの GET Patient/{id} に解決します。GET 以外のメソッドは 405（Allow ヘッダー付き）です。POST /api/fhir は施設システムの API キーで JP-CLINS の Bundle を受け付けます。 / Reads take a clinician's API token (Authorization: Bearer) and are decided and audited as that clinician (under the patient's consent, or during the clinician's own break-glass grant the emergency dataset only). A parameter not listed here is a 400. Every searchset entry's fullUrl is its absolute url on this base and every reference in it is relative (Patient/{id}): it resolves to the Patient entry where the Bundle holds one ($everything's first page, or _include=<type>:patient, search.mode include, beside every page), else to GET Patient/{id} with the same token; every fullUrl answers GET with the same token. Any method but GET is a 405 with Allow. POST /api/fhir takes a facility system's API key and JP-CLINS Bundles.",
        security: { service: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/restful-security-service", code: "OAuth", display: "Bearer token" }] }], description: "Authorization: Bearer <token>" },
        resource: [
          {
            type: "Patient",
            profile: JP_CORE_PROFILE("JP_Patient"),
            interaction: [{ code: "read" }, { code: "search-type", documentation: "identifier（必須）だけで検索します。閲覧できる患者だけが見つかります / by identifier only (required): only a patient this clinician may open is found" }],
            searchParam: [
              {
                name: "identifier",
                type: "token",
                documentation: "system|value: urn:oid:1.2.392.100495.20.3.51.1<医療機関コード>|<患者ID>、または http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID|保険者番号:記号:番号:枝番 / a facility's local patient id, or the insured-person id",
              },
            ],
            operation: [{ name: "everything", definition: EVERYTHING }],
          },
          {
            type: "Coverage",
            profile: JP_CORE_PROFILE("JP_Coverage"),
            documentation:
              "施設が登録した保険（SS-MIX2 ADT-00 の IN1）。$everything が Patient の後に書き、その fullUrl で読めます。保険者番号、本人・家族、有効期間。救急時医療情報だけが見られるとき（救急時のみの同意、緊急時アクセス）は含みません / the insurance a facility registered (SS-MIX2 ADT-00 IN1), written by $everything after the Patient and read by its fullUrl: the 保険者番号, self or family, the validity; none when only the emergency dataset may be seen (an emergency-only consent, break-glass)",
            interaction: [{ code: "read", documentation: READ_DOCUMENTATION }],
          },
          ...searchCapabilities().map((s) => ({
            type: s.type,
            ...(s.profiles[0] ? { profile: JP_CORE_PROFILE(s.profiles[0]) } : {}),
            ...(s.profiles.length > 1 ? { supportedProfile: s.profiles.slice(1).map(JP_CORE_PROFILE) } : {}),
            ...(s.type === "Composition" ? { documentation: "診療情報提供書と退院時サマリー、【見出し】ごとの section / referral letters and discharge summaries, a section per 【heading】" } : {}),
            interaction: [{ code: "read", documentation: READ_DOCUMENTATION }, { code: "search-type" }],
            searchInclude: [s.include],
            searchParam: s.params.map(searchParam),
          })),
        ],
        operation: [{ name: "everything", definition: EVERYTHING, documentation: EVERYTHING_PARAMETERS.map((p) => `${p.name} (${p.type}): ${p.documentation}`).join("; ") }],
        interaction: [{ code: "transaction", documentation: "POST /api/fhir: JP-CLINS document, collection and transaction Bundles (facility API key)" }],
      },
    ],
  };
}
