import { PRODUCTION } from "./helpers/production-env";
import { describe, expect, it } from "vitest";
import { parseEnv, ConfigError } from "../lib/env";
import { ageOn, dateWithWareki, isoDate, warekiDate } from "../lib/format/dates";
import { decodeCursor, encodeCursor } from "../lib/record/cursor";
import { InvalidInputError } from "../lib/record/errors";
import { normaliseKana } from "../lib/record/search";
import { packMap, unpackMap } from "../lib/format/record-map";
import { en, ja } from "../lib/i18n/messages";

describe("configuration", () => {
  it("defaults to embedded PGlite with no DATABASE_URL", () => {
    const e = parseEnv({});
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.PGLITE_DIR).toBe(".data/pglite");
  });
  it("accepts a PostgreSQL URL", () => {
    expect(parseEnv({ DATABASE_URL: "postgresql://u:p@db:5432/tsunagu" }).DATABASE_URL).toContain("postgresql://");
  });
  it("refuses a DATABASE_URL that is not PostgreSQL, with one line naming the variable", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://u@h/db" })).toThrow(ConfigError);
    expect(() => parseEnv({ DATABASE_URL: "mysql://u@h/db" })).toThrow(/^Tsunagu configuration error: set DATABASE_URL — it must be a PostgreSQL URL/);
  });
  it("requires NEXTAUTH_SECRET in production, and accepts production with one", () => {
    const server: Record<string, string> = { ...PRODUCTION };
    delete server.NEXTAUTH_SECRET;
    expect(() => parseEnv(server)).toThrow(/set NEXTAUTH_SECRET/);
    expect(parseEnv(PRODUCTION).NODE_ENV).toBe("production");
  });
  it("refuses a port that is not a port", () => {
    expect(() => parseEnv({ PORT: "99999" })).toThrow(/set PORT/);
  });
  it("refuses the movable test clock except on an end-to-end database; allows it there (twin)", () => {
    expect(() => parseEnv({ TSUNAGU_TEST_CLOCK: "1" })).toThrow(/set TSUNAGU_TEST_CLOCK/);
    expect(() => parseEnv({ TSUNAGU_TEST_CLOCK: "1", DATABASE_URL: "postgresql://u:p@db:5432/tsunagu" })).toThrow(/set TSUNAGU_TEST_CLOCK/);
    expect(parseEnv({ TSUNAGU_TEST_CLOCK: "1", PGLITE_DIR: ".data/e2e" }).TSUNAGU_TEST_CLOCK).toBe("1");
    expect(parseEnv({ TSUNAGU_TEST_CLOCK: "1", DATABASE_URL: "postgresql://u:p@db:5432/tsunagu_e2e" }).TSUNAGU_TEST_CLOCK).toBe("1");
  });
});

describe("dates", () => {
  it("prints ISO dates in Japan time and 和暦", () => {
    expect(isoDate("2026-03-31T16:00:00Z")).toBe("2026-04-01");
    expect(warekiDate("1958-04-12")).toBe("昭和33年4月12日");
    expect(warekiDate("2019-05-01")).toBe("令和元年5月1日");
    expect(dateWithWareki("1958-04-12", "ja")).toBe("1958-04-12（昭和33年4月12日）");
    expect(dateWithWareki("1958-04-12", "en")).toBe("1958-04-12");
  });
  it("shows a dash, never 'Invalid Date', for missing or broken values", () => {
    expect(isoDate(null)).toBe("—");
    expect(isoDate("not a date")).toBe("—");
    expect(warekiDate(undefined)).toBe("—");
  });
  it("computes age on the birthday boundary", () => {
    expect(ageOn("1958-04-12", new Date("2026-04-11T03:00:00Z"))).toBe(67);
    expect(ageOn("1958-04-12", new Date("2026-04-12T03:00:00Z"))).toBe(68);
  });
});

describe("timeline cursor", () => {
  it("round-trips", () => {
    const c = { at: new Date("2025-01-02T03:04:05.000Z"), kind: "lab" as const, id: "pat-1-lab-9" };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });
  it("rejects tampered or malformed cursors with a validation error", () => {
    expect(() => decodeCursor("%%%")).toThrow(InvalidInputError);
    expect(() => decodeCursor(Buffer.from('["x","lab","1"]').toString("base64url"))).toThrow(InvalidInputError);
    expect(() => decodeCursor(Buffer.from('["2025-01-01T00:00:00Z","secret","1"]').toString("base64url"))).toThrow(InvalidInputError);
  });
});

describe("record map packing", () => {
  it("sends the same cells it was given, and nothing for an empty record", () => {
    const map = {
      by: "month" as const,
      cells: [
        { facilityId: "fac-02", period: "2026-11", kind: "lab" as const, count: 3 },
        { facilityId: "fac-01", period: "2006-12", kind: "encounter" as const, count: 1 },
        { facilityId: "fac-01", period: "2026-11", kind: "lab" as const, count: 12 },
      ],
    };
    const packed = JSON.parse(JSON.stringify(packMap(map)));
    expect(packed.by).toBe("month");
    expect(packed.periods).toEqual(["2026-11", "2006-12"]);
    expect(unpackMap(packed)).toEqual(map.cells);
    expect(unpackMap(packMap({ by: "year", cells: [] }))).toEqual([]);
  });
});

describe("kana search normalisation", () => {
  it("folds hiragana and half-width kana to full-width katakana", () => {
    expect(normaliseKana("やまだ　たろう")).toBe("ヤマダ タロウ");
    expect(normaliseKana("ﾔﾏﾀﾞ")).toBe("ヤマダ");
  });
});

describe("messages", () => {
  it("English has every key Japanese has", () => {
    const keys = (o: object, prefix = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(keys(en).sort()).toEqual(keys(ja).sort());
  });
});
