import { describe, expect, it } from "vitest";
import { sectionsOf } from "../lib/format/document-sections";

describe("a letter's sections", () => {
  it("reads 【title】 lines as headings, with their text on the same line or the next", () => {
    expect(sectionsOf("拝啓\n【紹介目的】精査をお願いします。\n【既往歴】\n2018年 狭心症\n2019年 骨折\n")).toEqual([
      { title: null, text: "拝啓" },
      { title: "紹介目的", text: "精査をお願いします。" },
      { title: "既往歴", text: "2018年 狭心症\n2019年 骨折" },
    ]);
  });
  it("keeps a body without titles as one section, and a 【 inside a line as text", () => {
    expect(sectionsOf("本文のみ。【注】は本文中。")).toEqual([{ title: null, text: "本文のみ。【注】は本文中。" }]);
  });
});
