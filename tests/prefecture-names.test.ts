import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { PREFECTURES } from "../lib/network/prefectures";
import { prefectureName } from "../lib/format/prefectures";
import { messages } from "../lib/i18n/messages";

/** English readers see prefectures romanised (the facility list, its filter and the facility form); Japanese readers as stored. */
describe("prefecture names by language", () => {
  it("gives each of the 47 prefectures its own romanised name in English, and the Japanese name in Japanese", () => {
    const en = PREFECTURES.map((p) => prefectureName(p, "en"));
    expect(new Set(en).size).toBe(47);
    for (const name of en) expect(name).toMatch(/^[A-Z][a-z]+$/);
    expect([en[0], en[12], en[21], en[25], en[26], en[38], en[46]]).toEqual(["Hokkaido", "Tokyo", "Shizuoka", "Kyoto", "Osaka", "Kochi", "Okinawa"]);
    expect(PREFECTURES.map((p) => prefectureName(p, "ja"))).toEqual([...PREFECTURES]);
    // a stored value that is no prefecture is shown as stored, not dropped
    expect(prefectureName("不明県", "en")).toBe("不明県");
  });

  it("the facility form's prefecture list reads 22 Shizuoka in English and 22 静岡県 in Japanese", async () => {
    const { FacilityForm } = await import("../components/FacilityForm");
    const en = renderToStaticMarkup(createElement(FacilityForm, { locale: "en", today: "2026-12-07" }));
    expect(en).toContain(">22 Shizuoka</option>");
    expect(en).not.toContain("静岡県</option>");
    expect(renderToStaticMarkup(createElement(FacilityForm, { locale: "ja", today: "2026-12-07" }))).toContain(">22 静岡県</option>");
  });

  it("an aside in English is in ASCII brackets with a comma, in Japanese in full-width ones", () => {
    const aside = (l: "ja" | "en") => messages[l].paren(messages[l].list([messages[l].admin.professions.DOCTOR!, "つなぐ中央病院"]));
    expect(aside("en")).toBe(" (Doctor, つなぐ中央病院)");
    expect(aside("ja")).toBe("（医師、つなぐ中央病院）");
  });
});
