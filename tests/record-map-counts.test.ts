// The record map and the header's facility list read RecordMapCount and its yearly sums RecordMapYear,
// which triggers keep in step with the eight record tables (migrations record_map_counts, record_map_years). Whatever the writes — single and bulk inserts,
// updates that move a record to another month, facility or sensitivity, deletes, cascades — the counts
// must equal a count of the records themselves, which is what the map computed before: a fast-check
// run of random writes, each followed by that comparison, on the real database of this run.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";

let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const doctor = testActor("fA", "DOCTOR");
const TABLES = [
  ["Encounter", "encounter"],
  ["Condition", "condition"],
  ["Prescription", "prescription"],
  ["LabResult", "lab"],
  ["Checkup", "checkup"],
  ["Allergy", "allergy"],
  ["Procedure", "procedure"],
  ["Document", "document"],
] as const;
const FACILITIES = ["fA", "fB"];
const PRECISE = new Set(["Condition", "Allergy"]);
const SENSITIVITIES = ["NORMAL", "PSYCHIATRIC", "INFECTIOUS"] as const;

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  for (const [i, id] of FACILITIES.entries()) await db.facility.create({ data: { id, code: `221000000${i + 1}`, name: `施設${id}`, kind: "HOSPITAL" } });
  await db.user.create({ data: { id: doctor.userId, loginId: doctor.userId, name: doctor.name, profession: "DOCTOR", facilityId: "fA", passwordHash: "x", credentialVerifiedAt: new Date("2026-01-01") } });
  for (const id of ["p1", "p2"]) {
    await db.patient.create({ data: { id, familyName: "山田", givenName: id, familyNameKana: "ヤマダ", givenNameKana: "ハナ", sex: "FEMALE", birthDate: new Date("1950-02-03") } });
  }
  await db.consent.create({ data: { patientId: "p1", id: "c1", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", withheldCategories: ["PSYCHIATRIC"], capturedById: doctor.userId } });
}, 120_000);
afterAll(async () => ctx?.close());

/** The oracle: the records themselves, counted per patient, facility, month (Japan time), kind and sensitivity. */
async function counted(): Promise<string[]> {
  // a year-only date (occurredPrecision YEAR, on Condition and Allergy) counts in its year, not in January
  const month = (t: string) => (PRECISE.has(t) ? `CASE WHEN "occurredPrecision" = 'YEAR' THEN 'YYYY' ELSE 'YYYY-MM' END` : `'YYYY-MM'`);
  const parts = TABLES.map(([t, k]) => `SELECT "patientId", "facilityId", to_char("occurredAt" + interval '9 hours', ${month(t)}) AS month, '${k}' AS kind, sensitivity::text AS s, count(*)::int AS n FROM "${t}" GROUP BY 1, 2, 3, 5`);
  const rows = await db.$queryRawUnsafe<{ patientId: string; facilityId: string; month: string; kind: string; s: string; n: number }[]>(parts.join(" UNION ALL "));
  return rows.map((r) => `${r.patientId}|${r.facilityId}|${r.month}|${r.kind}|${r.s}|${r.n}`).sort();
}
async function kept(): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ patientId: string; facilityId: string; month: string; kind: string; s: string; n: number }[]>(
    `SELECT "patientId", "facilityId", month, kind, sensitivity::text AS s, n FROM "RecordMapCount"`,
  );
  return rows.map((r) => `${r.patientId}|${r.facilityId}|${r.month}|${r.kind}|${r.s}|${r.n}`).sort();
}

/** The oracle for RecordMapYear: the records' monthly counts summed per year, with the bits of the months that have any. */
function byYear(monthly: string[]): string[] {
  const years = new Map<string, { n: number; months: number }>();
  for (const line of monthly) {
    const [patientId, facilityId, month, kind, s, n] = line.split("|") as [string, string, string, string, string, string];
    const key = [patientId, facilityId, month.slice(0, 4), kind, s].join("|");
    const y = years.get(key) ?? { n: 0, months: 0 };
    y.n += Number(n);
    y.months |= month.length === 4 ? 1 << 12 : 1 << (Number(month.slice(5, 7)) - 1);
    years.set(key, y);
  }
  return [...years].map(([k, y]) => `${k}|${y.n}|${y.months}`).sort();
}
async function keptYears(): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ patientId: string; facilityId: string; year: string; kind: string; s: string; n: number; months: number }[]>(
    `SELECT "patientId", "facilityId", year, kind, sensitivity::text AS s, n, months FROM "RecordMapYear"`,
  );
  return rows.map((r) => `${r.patientId}|${r.facilityId}|${r.year}|${r.kind}|${r.s}|${r.n}|${r.months}`).sort();
}

// the last hours of a month in UTC are the next month in Japan: the boundary is where a count can go wrong
const instant = fc.oneof(
  fc.date({ min: new Date("2016-01-01T00:00:00Z"), max: new Date("2026-12-31T00:00:00Z"), noInvalidDate: true }),
  fc.integer({ min: 0, max: 119 }).map((m) => new Date(Date.UTC(2016, m + 1, 1) - 9 * 3_600_000 + (m % 2 ? -1 : 0))),
);

let serial = 0;
const row = (table: string, patientId: string, facilityId: string, at: Date, s: string, precision: string | null = null) => {
  const id = `r${++serial}`;
  const extra: Record<string, string> = {
    Encounter: `, class`,
    Condition: `, "codeSystem", code, display`,
    Prescription: `, kind`,
    LabResult: `, "codeSystem", code, display`,
    Checkup: `, programme`,
    Allergy: `, kind, display`,
    Procedure: `, kind, display`,
    Document: `, kind, title, body`,
  };
  const values: Record<string, string> = {
    Encounter: `, 'OUTPATIENT'`,
    Condition: `, 'MEDIS', 'X', '病名'`,
    Prescription: `, 'PRESCRIPTION'`,
    LabResult: `, 'JLAC10', 'X', '検査'`,
    Checkup: `, '特定健診'`,
    Allergy: `, 'FOOD', '卵'`,
    Procedure: `, 'OTHER', '処置'`,
    Document: `, 'REFERRAL', '紹介状', '本文'`,
  };
  const [pc, pv] = PRECISE.has(table) ? [`, "occurredPrecision"`, precision ? `, '${precision}'` : ", NULL"] : ["", ""];
  return `INSERT INTO "${table}" ("patientId", id, "facilityId", "occurredAt", sensitivity${extra[table]}${pc}) VALUES ('${patientId}', '${id}', '${facilityId}', '${at.toISOString()}'::timestamptz AT TIME ZONE 'UTC', '${s}'${values[table]}${pv})`;
};

const write = fc.oneof(
  fc.record({ op: fc.constant("insert" as const), table: fc.constantFrom(...TABLES.map((t) => t[0])), patient: fc.constantFrom("p1", "p2"), facility: fc.constantFrom(...FACILITIES), at: instant, s: fc.constantFrom(...SENSITIVITIES), copies: fc.integer({ min: 1, max: 3 }), precision: fc.constantFrom(null, "YEAR", "MONTH", "NONE") }),
  fc.record({ op: fc.constant("move" as const), table: fc.constantFrom(...TABLES.map((t) => t[0])), at: instant, facility: fc.constantFrom(...FACILITIES), s: fc.constantFrom(...SENSITIVITIES) }),
  fc.record({ op: fc.constant("delete" as const), table: fc.constantFrom(...TABLES.map((t) => t[0])), some: fc.boolean() }),
);

describe("RecordMapCount and RecordMapYear", () => {
  it("equal the count of the records after any sequence of inserts, bulk inserts, moves and deletes (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 12 }), async (writes) => {
        for (const w of writes) {
          if (w.op === "insert") {
            // several rows in one statement: one trigger call for all of them
            const one = Array.from({ length: w.copies }, () => row(w.table, w.patient, w.facility, w.at, w.s, w.precision));
            const values = one.map((sql) => sql.slice(sql.indexOf("VALUES ") + 7));
            await db.$executeRawUnsafe(one[0]!.slice(0, one[0]!.indexOf("VALUES ") + 7) + values.join(", "));
          } else if (w.op === "move") {
            await db.$executeRawUnsafe(
              `UPDATE "${w.table}" SET "occurredAt" = '${w.at.toISOString()}'::timestamptz AT TIME ZONE 'UTC', "facilityId" = '${w.facility}', sensitivity = '${w.s}' WHERE id IN (SELECT id FROM "${w.table}" ORDER BY id LIMIT 2)`,
            );
          } else {
            await db.$executeRawUnsafe(`DELETE FROM "${w.table}" WHERE ${w.some ? `id IN (SELECT id FROM "${w.table}" ORDER BY id DESC LIMIT 1)` : "true"}`);
          }
          const records = await counted();
          expect(await kept()).toEqual(records);
          expect(await keptYears()).toEqual(byYear(records));
        }
      }),
      { numRuns: 25 },
    );
  });

  it("a rolled-back write leaves the counts as they were", async () => {
    const before = [await kept(), await keptYears()];
    await expect(
      db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(row("LabResult", "p1", "fA", new Date("2020-05-05T00:00:00Z"), "NORMAL"));
        throw new Error("abandon");
      }),
    ).rejects.toThrow("abandon");
    expect([await kept(), await keptYears()]).toEqual(before);
  });

  it("the map a clinician sees comes from the counts, and a withheld category stays out of it (twin: the same records when not withheld)", async () => {
    await db.$executeRawUnsafe(`DELETE FROM "LabResult"`);
    await db.$executeRawUnsafe(row("LabResult", "p1", "fB", new Date("2024-03-31T16:00:00Z"), "NORMAL")); // 2024-04-01 in Japan
    await db.$executeRawUnsafe(row("LabResult", "p1", "fB", new Date("2024-03-31T14:00:00Z"), "PSYCHIATRIC")); // still 2024-03 in Japan
    const { getMonthlyRecordMap } = await import("../lib/record");
    const labs = (await getMonthlyRecordMap(doctor, "p1")).cells.filter((c) => c.kind === "lab");
    expect(labs).toEqual([{ facilityId: "fB", period: "2024-04", kind: "lab", count: 1 }]);
    await db.consent.create({ data: { patientId: "p1", id: "c2", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", withheldCategories: [], capturedById: doctor.userId, capturedAt: new Date(Date.now() + 1000) } });
    const all = (await getMonthlyRecordMap(doctor, "p1")).cells.filter((c) => c.kind === "lab");
    expect(all).toEqual([
      { facilityId: "fB", period: "2024-03", kind: "lab", count: 1 },
      { facilityId: "fB", period: "2024-04", kind: "lab", count: 1 },
    ]);
  });

  it("a diagnosis whose source gave only the year is counted in that year, not in its January (twin: a full date in January is)", async () => {
    await db.$executeRawUnsafe(`DELETE FROM "Condition"`);
    await db.$executeRawUnsafe(row("Condition", "p1", "fA", new Date("2017-12-31T15:00:00Z"), "NORMAL", "YEAR")); // 2018-01-01 in Japan, year only
    await db.$executeRawUnsafe(row("Condition", "p1", "fA", new Date("2018-01-15T00:00:00Z"), "NORMAL"));
    const { getMonthlyRecordMap } = await import("../lib/record");
    const conditions = (await getMonthlyRecordMap(doctor, "p1")).cells.filter((c) => c.kind === "condition");
    expect(conditions).toEqual([
      { facilityId: "fA", period: "2018", kind: "condition", count: 1 },
      { facilityId: "fA", period: "2018-01", kind: "condition", count: 1 },
    ]);
    expect(await kept()).toEqual(await counted());
  });
});
