/**
 * The demo network: ten facilities in 静岡県 (one a psychiatric clinic) and the demo accounts. Ids, login ids and codes are fixed
 * (README and tests refer to them). Demo password for every account: DEMO_PASSWORD — the CLI refuses
 * to seed a production database unless explicitly told to.
 */
import { hashPassword } from "../../lib/auth/password";
import { hashKey } from "../../lib/auth/facility-key";
import { initialPasswordExpiry } from "../../lib/auth/initial-password";
import type { Db } from "../../lib/db/client";
import type { Prisma } from "../../lib/db/generated/client";
import { DEMO_FHIR_KEY, DEMO_PASSWORD, DEMO_TOTP_SECRET } from "./demo-credentials";

export { DEMO_PASSWORD, DEMO_TOTP_SECRET };

/**
 * 医療機関コード (10 digits): 都道府県 2 + 点数表 1 (1 医科, 3 歯科, 4 調剤, 6 訪問看護) + 郡市区 2 + 機関番号 4 + 検証番号 1.
 * The check digit is the modulus-10 weight-2,1 digit over the six digits before it.
 */
export function institutionCode(prefecture: string, table: "1" | "3" | "4" | "6", district: string, serial: string): string {
  const six = `${district}${serial}`;
  let sum = 0;
  for (let i = 0; i < six.length; i++) {
    const p = Number(six[i]) * (i % 2 === 0 ? 2 : 1);
    sum += Math.floor(p / 10) + (p % 10);
  }
  return `${prefecture}${table}${six}${(10 - (sum % 10)) % 10}`;
}

export interface DemoFacility {
  id: string;
  code: string;
  name: string;
  nameKana: string;
  kind: "HOSPITAL" | "CLINIC" | "DENTAL_CLINIC" | "PHARMACY" | "CARE_FACILITY";
  discloses: boolean;
  views: boolean;
  canBreakGlass: boolean;
  status: "ACTIVE" | "SUSPENDED";
  /** all care here is of this category (a psychiatric clinic): the facility signal of lib/access/sensitivity */
  careCategory?: "PSYCHIATRIC" | "INFECTIOUS" | "GENETIC" | "REPRODUCTIVE";
  address: string;
  phone: string;
  /** whom the network office contacts there, and the day it joined (lib/network's facility page) */
  contactName: string;
  contactEmail: string;
  joinedOn: string;
}

const PREF = "22"; // 静岡県

export const FACILITIES: readonly DemoFacility[] = [
  { id: "fac-01", code: institutionCode(PREF, "1", "01", "0011"), name: "つなぐ中央病院", nameKana: "ツナグチュウオウビョウイン", kind: "HOSPITAL", discloses: true, views: true, canBreakGlass: true, status: "ACTIVE", address: "静岡県静岡市葵区城東町10-1", phone: "054-200-1100", contactName: "地域医療連携室 佐野", contactEmail: "renkei@chuo-hosp.example.jp", joinedOn: "2019-04-01" },
  { id: "fac-02", code: institutionCode(PREF, "1", "02", "0027"), name: "しずおか市民病院", nameKana: "シズオカシミンビョウイン", kind: "HOSPITAL", discloses: true, views: true, canBreakGlass: true, status: "ACTIVE", address: "静岡県静岡市駿河区南八幡町5-3", phone: "054-285-2200", contactName: "医療情報課 望月", contactEmail: "iryojoho@shimin-hosp.example.jp", joinedOn: "2019-04-01" },
  { id: "fac-03", code: institutionCode(PREF, "1", "01", "1035"), name: "みなみ内科クリニック", nameKana: "ミナミナイカクリニック", kind: "CLINIC", discloses: true, views: true, canBreakGlass: false, status: "ACTIVE", address: "静岡県静岡市駿河区みずほ2-8-15", phone: "054-259-3300", contactName: "院長 南", contactEmail: "info@minami-naika.example.jp", joinedOn: "2020-07-01" },
  { id: "fac-04", code: institutionCode(PREF, "1", "01", "1142"), name: "きた整形外科クリニック", nameKana: "キタセイケイゲカクリニック", kind: "CLINIC", discloses: true, views: true, canBreakGlass: false, status: "ACTIVE", address: "静岡県静岡市葵区北安東3-12-7", phone: "054-247-4400", contactName: "事務長 北村", contactEmail: "office@kita-seikei.example.jp", joinedOn: "2020-10-01" },
  { id: "fac-05", code: institutionCode(PREF, "1", "01", "1258"), name: "ひがし眼科医院", nameKana: "ヒガシガンカイイン", kind: "CLINIC", discloses: false, views: true, canBreakGlass: false, status: "ACTIVE", address: "静岡県静岡市葵区東町21-4", phone: "054-251-5500", contactName: "院長 東", contactEmail: "info@higashi-ganka.example.jp", joinedOn: "2021-04-01" },
  { id: "fac-06", code: institutionCode(PREF, "4", "01", "0063"), name: "あおば薬局 本町店", nameKana: "アオバヤッキョクホンマチテン", kind: "PHARMACY", discloses: true, views: true, canBreakGlass: false, status: "ACTIVE", address: "静岡県静岡市葵区本通2-3-1", phone: "054-252-6600", contactName: "管理薬剤師 青木", contactEmail: "honmachi@aoba-ph.example.jp", joinedOn: "2020-04-01" },
  { id: "fac-07", code: institutionCode(PREF, "4", "02", "0074"), name: "さくら調剤薬局", nameKana: "サクラチョウザイヤッキョク", kind: "PHARMACY", discloses: true, views: true, canBreakGlass: false, status: "ACTIVE", address: "静岡県静岡市駿河区曲金6-1-20", phone: "054-288-7700", contactName: "管理薬剤師 桜井", contactEmail: "info@sakura-ph.example.jp", joinedOn: "2021-01-15" },
  { id: "fac-08", code: institutionCode(PREF, "1", "02", "1189"), name: "にし小児科クリニック", nameKana: "ニシショウニカクリニック", kind: "CLINIC", discloses: true, views: true, canBreakGlass: false, status: "ACTIVE", address: "静岡県静岡市駿河区西脇1-9-2", phone: "054-283-8800", contactName: "院長 西", contactEmail: "info@nishi-shoni.example.jp", joinedOn: "2022-04-01" },
  { id: "fac-09", code: institutionCode(PREF, "1", "04", "1296"), name: "やまびこ診療所", nameKana: "ヤマビコシンリョウジョ", kind: "CLINIC", discloses: true, views: true, canBreakGlass: false, status: "SUSPENDED", address: "静岡県藤枝市岡部町岡部1850", phone: "054-667-9900", contactName: "所長 山本", contactEmail: "info@yamabiko.example.jp", joinedOn: "2019-10-01" },
  // a psychiatric clinic that discloses only: its name in a patient's header would say what they withheld
  { id: "fac-10", code: institutionCode(PREF, "1", "01", "1364"), name: "こころの森メンタルクリニック", nameKana: "ココロノモリメンタルクリニック", kind: "CLINIC", discloses: true, views: false, canBreakGlass: false, status: "ACTIVE", careCategory: "PSYCHIATRIC", address: "静岡県静岡市葵区呉服町1-5-2", phone: "054-255-1010", contactName: "事務 森", contactEmail: "office@kokoro-no-mori.example.jp", joinedOn: "2023-04-01" },
  // a hospital that sends JP-CLINS FHIR: its code is the one the published JP-CLINS examples
  // (../shared/fixtures/jp-clins) name as their patient's hospital, so those files push unmodified
  // a dental clinic and a care facility with a 訪問看護 station: the other kinds a network admits (no records yet)
  { id: "fac-12", code: institutionCode(PREF, "3", "01", "2011"), name: "はなみずき歯科医院", nameKana: "ハナミズキシカイイン", kind: "DENTAL_CLINIC", discloses: true, views: true, canBreakGlass: false, status: "ACTIVE", address: "静岡県静岡市葵区鷹匠2-4-8", phone: "054-253-1212", contactName: "院長 花井", contactEmail: "info@hanamizuki-dental.example.jp", joinedOn: "2024-04-01" },
  { id: "fac-13", code: institutionCode(PREF, "6", "02", "0138"), name: "介護老人保健施設 あおい苑", nameKana: "カイゴロウジンホケンシセツアオイエン", kind: "CARE_FACILITY", discloses: false, views: true, canBreakGlass: false, status: "ACTIVE", address: "静岡県静岡市駿河区池田155", phone: "054-262-1313", contactName: "看護部 葵", contactEmail: "kango@aoi-en.example.jp", joinedOn: "2025-04-01" },
  { id: "fac-11", code: "1318814790", name: "東京みなと病院", nameKana: "トウキョウミナトビョウイン", kind: "HOSPITAL", discloses: true, views: false, canBreakGlass: false, status: "ACTIVE", address: "東京都港区芝公園4-2-8", phone: "03-3433-1111", contactName: "医療情報部 港", contactEmail: "fhir@minato-hosp.example.jp", joinedOn: "2025-10-01" },
];

export const FACILITY_BY_ID: ReadonlyMap<string, DemoFacility> = new Map(FACILITIES.map((f) => [f.id, f]));
export function facility(id: string): DemoFacility {
  const f = FACILITY_BY_ID.get(id);
  if (!f) throw new Error(`unknown facility ${id}`);
  return f;
}

export type DemoProfession = "DOCTOR" | "DENTIST" | "PHARMACIST" | "NURSE" | "EMERGENCY" | "CLERK" | "ADMIN";

export interface DemoUser {
  id: string;
  loginId: string;
  name: string;
  nameKana: string;
  profession: DemoProfession;
  facilityId: string;
  licenseNumber: string | null;
  /** false only for doctor-unverified: the account exists but must not work until an admin verifies it */
  verified: boolean;
  /** a first login still to come: must change the password and enrol a second factor */
  fresh?: boolean;
  /** 施設管理者: manages this facility's accounts */
  facilityAdministrator?: boolean;
}

const u = (loginId: string, name: string, nameKana: string, profession: DemoProfession, facilityId: string, licenseNumber: string | null, verified = true, fresh = false): DemoUser => ({
  id: `usr-${loginId}`,
  loginId,
  name,
  nameKana,
  profession,
  facilityId,
  licenseNumber,
  verified,
  fresh,
});

export const USERS: readonly DemoUser[] = [
  u("admin", "石川 典子", "イシカワ ノリコ", "ADMIN", "fac-01", null),
  u("doctor1", "中村 健一", "ナカムラ ケンイチ", "DOCTOR", "fac-01", "512345"),
  u("doctor2", "南 雅之", "ミナミ マサユキ", "DOCTOR", "fac-03", "438112"),
  u("doctor3", "東 さやか", "ヒガシ サヤカ", "DOCTOR", "fac-05", "561870"),
  u("doctor4", "小林 誠", "コバヤシ マコト", "DOCTOR", "fac-02", "497315"),
  u("doctor5", "北村 大輔", "キタムラ ダイスケ", "DOCTOR", "fac-04", "523904"),
  u("doctor8", "西田 美和", "ニシダ ミワ", "DOCTOR", "fac-08", "540266"),
  u("doctor-unverified", "岡本 翔太", "オカモト ショウタ", "DOCTOR", "fac-02", "601452", false),
  u("doctor-new", "今村 葵", "イマムラ アオイ", "DOCTOR", "fac-03", "612093", true, true),
  u("doctor9", "山本 勇", "ヤマモト イサム", "DOCTOR", "fac-09", "401938"),
  u("dentist1", "木下 歩", "キノシタ アユム", "DENTIST", "fac-04", "145678"),
  u("pharmacist1", "青木 葉子", "アオキ ヨウコ", "PHARMACIST", "fac-06", "345678"),
  u("pharmacist2", "桜井 大樹", "サクライ ダイキ", "PHARMACIST", "fac-07", "389021"),
  u("nurse1", "松本 さくら", "マツモト サクラ", "NURSE", "fac-01", "1234567"),
  u("er1", "藤田 拓也", "フジタ タクヤ", "EMERGENCY", "fac-01", "534210"),
  u("clerk1", "高木 由美", "タカギ ユミ", "CLERK", "fac-01", null),
  u("clerk2", "吉田 真理", "ヨシダ マリ", "CLERK", "fac-02", null),
  u("clerk3", "森 恵子", "モリ ケイコ", "CLERK", "fac-03", null),
  u("clerk4", "井上 彩", "イノウエ アヤ", "CLERK", "fac-04", null),
  u("clerk5", "原 智子", "ハラ トモコ", "CLERK", "fac-05", null),
  u("clerk6", "村上 亜希", "ムラカミ アキ", "CLERK", "fac-06", null),
  u("clerk7", "清水 香織", "シミズ カオリ", "CLERK", "fac-07", null),
  u("clerk8", "斎藤 舞", "サイトウ マイ", "CLERK", "fac-08", null),
  // the clinic's own 施設管理者: registers みなみ内科クリニック's staff, nobody else's
  { ...u("facadmin3", "三浦 晴美", "ミウラ ハルミ", "CLERK", "fac-03", null), facilityAdministrator: true },
];

/** the clerk who captures consents at a facility */
export function clerkOf(facilityId: string): string {
  const n = Number(facilityId.slice(-2));
  if (!(n >= 1 && n <= 8)) throw new Error(`no clerk at ${facilityId}`);
  return `usr-clerk${n}`;
}

/** Doctors who sign prescriptions and letters (demo users where there is one, otherwise staff without accounts). */
const STAFF: Record<string, Record<string, string>> = {
  "fac-01": { 循環器内科: "中村 健一", 内科: "林 直人", 消化器内科: "林 直人", 外科: "石井 亮", 精神科: "遠藤 理恵", 救急科: "藤田 拓也", 呼吸器内科: "岩崎 隆", 腎臓内科: "上野 恭子", 脳神経内科: "石原 慎也", 感染症内科: "丸山 恵", 整形外科: "池田 修", 眼科: "大野 千尋", 泌尿器科: "菅原 功", 放射線科: "今井 康弘", 病理診断科: "千葉 俊介" },
  "fac-02": { 外科: "小林 誠", 内科: "長谷川 聡", 腎臓内科: "上田 浩二", 整形外科: "近藤 剛", 循環器内科: "野口 亮介", 呼吸器内科: "長谷川 聡", 消化器内科: "松井 哲也", 救急科: "小野 悠", 放射線科: "宮本 裕子", 病理診断科: "千葉 俊介" },
  "fac-03": { 内科: "南 雅之" },
  "fac-04": { 整形外科: "北村 大輔" },
  "fac-08": { 小児科: "西田 美和" },
  "fac-09": { 内科: "山本 勇" },
  "fac-10": { 内科: "森田 静香" },
};

export function doctorName(facilityId: string, department: string): string {
  const byDept = STAFF[facilityId];
  if (!byDept) throw new Error(`no doctors at ${facilityId}`);
  return byDept[department] ?? Object.values(byDept)[0] ?? "担当医";
}

/** Pharmacists who sign dispenses. */
export const PHARMACIST_NAME: Record<string, string> = { "fac-06": "青木 葉子", "fac-07": "桜井 大樹" };

/**
 * Upserts facilities and users. Existing rows are left exactly as they are (update: {}), so a second
 * run changes nothing — and never resets a password or a lock that the demo has since changed.
 */
export async function seedNetwork(db: Db, now: Date): Promise<{ facilities: number; users: number }> {
  for (const f of FACILITIES) {
    const data: Prisma.FacilityCreateInput = { ...f, prefecture: f.address.startsWith("東京都") ? "東京都" : "静岡県", joinedOn: new Date(`${f.joinedOn}T00:00:00Z`), suspendedAt: f.status === "SUSPENDED" ? now : null };
    await db.facility.upsert({ where: { id: f.id }, create: data, update: {} });
  }
  // the demo FHIR sender's key, stored as its hash like any issued key (README: pushing a record)
  await db.facilityApiKey.upsert({ where: { id: "fk-demo-fac11" }, create: { id: "fk-demo-fac11", facilityId: "fac-11", hash: hashKey(DEMO_FHIR_KEY), createdBy: "seed" }, update: {} });
  const existing = new Set((await db.user.findMany({ select: { id: true } })).map((x) => x.id));
  const missing = USERS.filter((x) => !existing.has(x.id));
  if (missing.length > 0) {
    // one argon2id hash for every demo account: hashing is deliberately slow
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const verifiedAt = new Date(now.getTime() - 60 * 86400_000);
    // admin first: the others reference it as their verifier
    const ordered = [...missing].sort((a, b) => (a.loginId === "admin" ? -1 : b.loginId === "admin" ? 1 : 0));
    for (const x of ordered) {
      await db.user.upsert({
        where: { id: x.id },
        update: {},
        create: {
          id: x.id,
          loginId: x.loginId,
          name: x.name,
          nameKana: x.nameKana,
          profession: x.profession,
          licenseNumber: x.licenseNumber,
          facilityId: x.facilityId,
          passwordHash,
          mustChangePassword: !!x.fresh,
          facilityAdministrator: !!x.facilityAdministrator,
          // 72 hours from the seed's day (its 00:00 UTC): a fresh demo network, and the e2e server
          // seeded just before its tests, always has doctor-new's first login open.
          initialPasswordExpiresAt: x.fresh ? initialPasswordExpiry(now) : null,
          totpSecret: x.fresh ? null : DEMO_TOTP_SECRET,
          totpEnrolledAt: x.fresh ? null : verifiedAt,
          credentialVerifiedAt: x.verified ? verifiedAt : null,
          credentialVerifiedById: x.verified ? "usr-admin" : null,
          credentialVerificationMethod: x.verified ? "LICENCE_ORIGINAL" : null,
        },
      });
    }
  }
  return { facilities: FACILITIES.length, users: USERS.length };
}
