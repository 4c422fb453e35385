import { describe, expect, it } from "vitest";
import { insuranceNumbers } from "../lib/format/insurance";
import { messages } from "../lib/i18n/messages";

/** The header's insurance line: each number named, as the card names it (review 4, F13). */
describe("insuranceNumbers", () => {
  it("names the insurer number, the symbol and the number, in Japanese and in English", () => {
    const card = { insurerNumber: "01220011", insuredSymbol: "2231907", insuredNumber: "5" };
    expect(insuranceNumbers(card, messages.ja.insuranceCard)).toBe("保険者番号 01220011 · 記号 2231907 · 番号 5");
    expect(insuranceNumbers(card, messages.en.insuranceCard)).toBe("Insurer 01220011 · Symbol 2231907 · Number 5");
  });

  it("a card without a symbol names the two numbers it has; no numbers at all is null (the header prints a dash)", () => {
    expect(insuranceNumbers({ insurerNumber: "39221010", insuredSymbol: null, insuredNumber: "00123456" }, messages.ja.insuranceCard)).toBe("保険者番号 39221010 · 番号 00123456");
    expect(insuranceNumbers({ insurerNumber: null, insuredSymbol: null, insuredNumber: null }, messages.ja.insuranceCard)).toBeNull();
  });
});
