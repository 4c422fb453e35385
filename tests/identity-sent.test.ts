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

it("says the insurer number a file gave without the insured number, on the card and in the comparison, with the 和暦 in both", async () => {
  // the NHO sample's ADT-00: IN1-3 保険者番号 67999991, no 記号・番号 (review 11)
  const insurerOnly = { ...held, source: { ...held.source, insured: { insurerNumber: "67999991", number: null, branch: null } } } as unknown as ReviewCandidate;
  expect(text(renderToStaticMarkup(createElement(IdentitySent, { c: insurerOnly, t: messages.ja, locale: "ja" })))).toContain("保険者番号・被保険者番号-枝番 67999991（被保険者番号なし）");
  expect(text(renderToStaticMarkup(createElement(IdentitySent, { c: insurerOnly, t: messages.en, locale: "en" })))).toContain("67999991 (no insured number)");
  const { IdentityComparison } = await import("../components/IdentityComparison");
  const cmp = {
    id: "pat-0001",
    branch: null,
    files: null,
    from: null,
    vouchBranch: null,
    reasonNeeded: false,
    rows: [
      { field: "birthDate", source: "1948-04-05", patient: "1958-04-12", agree: false },
      { field: "insured", source: null, patient: "67999991 12345-00", agree: null },
    ],
  } as unknown as import("../lib/network").ReviewComparison;
  const table = text(renderToStaticMarkup(createElement(IdentityComparison, { c: insurerOnly, cmp, elsewhere: true, t: messages.ja, locale: "ja" })));
  expect(table).toContain("生年月日 1948-04-05（昭和23年4月5日） 1958-04-12（昭和33年4月12日）");
  expect(table).toContain("67999991（被保険者番号なし） 67999991 12345-00 – 照合できません（被保険者番号なし）");
  const en = text(renderToStaticMarkup(createElement(IdentityComparison, { c: insurerOnly, cmp, elsewhere: true, t: messages.en, locale: "en" })));
  expect(en).toContain("67999991 (no insured number) 67999991 12345-00 – cannot be compared (no insured number)");
});

it("twin: a file that named no insurance at all reads 情報なし in the comparison", async () => {
  const { IdentityComparison } = await import("../components/IdentityComparison");
  const cmp = { id: "pat-0001", branch: null, files: null, from: null, vouchBranch: null, reasonNeeded: false, rows: [{ field: "insured", source: null, patient: "67999991 12345-00", agree: null }] } as unknown as import("../lib/network").ReviewComparison;
  const table = text(renderToStaticMarkup(createElement(IdentityComparison, { c: held, cmp, elsewhere: true, t: messages.ja, locale: "ja" })));
  expect(table).toContain("情報なし 67999991 12345-00 – 情報なし");
  expect(table).not.toContain("照合できません");
});
