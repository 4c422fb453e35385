// The identity review's held card says whom the facility's files are about before any patient is
// named to compare with (review 10: the administrator had to type some patient id to learn it).
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, it } from "vitest";
import { IdentitySent } from "../components/IdentitySent";
import { messages } from "../lib/i18n/messages";
import type { ReviewCandidate } from "../lib/network";

const held = { source: { familyName: "患者", givenName: "太郎", familyNameKana: "カンジャ", givenNameKana: "タロウ", birthDate: "1948-04-05", sex: "MALE", insured: null } } as unknown as ReviewCandidate;
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();

it("shows the held person's name, kana, birth date with 和暦 and sex, and says what the files did not give", () => {
  expect(text(renderToStaticMarkup(createElement(IdentitySent, { c: held, t: messages.ja, locale: "ja" })))).toBe(
    "氏名 患者 太郎 カナ氏名 カンジャ タロウ 生年月日 1948-04-05（昭和23年4月5日） 性別 男性 保険者番号・被保険者番号-枝番 情報なし",
  );
});

it("twin: in English, the same items in English and the date in ISO alone", () => {
  expect(text(renderToStaticMarkup(createElement(IdentitySent, { c: held, t: messages.en, locale: "en" })))).toBe(
    "Name 患者 太郎 Name (kana) カンジャ タロウ Date of birth 1948-04-05 Sex Male Insurer · insured number-branch not given",
  );
});
