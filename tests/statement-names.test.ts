import { describe, expect, it } from "vitest";
import { statementNamer } from "../lib/db/statement-names";

// node-postgres prepares a named statement once per connection and refuses one name for two texts:
// each text must keep one name, no two texts may share one, and past the bound statements go unnamed.
describe("prepared statement names", () => {
  it("gives a text the same name every time, and another text another name", () => {
    const name = statementNamer();
    const a = name(`SELECT 1 FROM "Patient" WHERE id = $1`);
    const b = name(`SELECT 1 FROM "Consent" WHERE "patientId" = $1`);
    expect(a).toBeDefined();
    expect(name(`SELECT 1 FROM "Patient" WHERE id = $1`)).toBe(a);
    expect(b).not.toBe(a);
  });

  it("names at most `max` texts; later ones are sent unnamed while the named keep their names (twin)", () => {
    const name = statementNamer(2);
    const first = name("SELECT $1");
    const second = name("SELECT $1, $2");
    expect(name("SELECT $1, $2, $3")).toBeUndefined();
    expect([name("SELECT $1"), name("SELECT $1, $2")]).toEqual([first, second]);
    expect(new Set([first, second]).size).toBe(2);
  });
});
