// Viewer reads go to the read replica (DATABASE_REPLICA_URL); the decision, the audit row and what a
// user must see right after writing it stay on the primary; a replica that is away is not an outage.
// The "replica" here is a copy of the primary made with CREATE DATABASE … TEMPLATE and then made to
// differ on purpose, so each answer shows which database it came from. It is reached through a TCP
// relay the test can cut. PostgreSQL only: PGlite has no replicas (and the setting is refused there).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { relay } from "./helpers/relay";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";

const onPostgres = !!process.env.DATABASE_URL;
const doctorA = testActor("fA", "DOCTOR");
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);

let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let link: Awaited<ReturnType<typeof relay>>;
let replicaName: string;
let owner: (database: string) => pg.Client;

const lab = (id: string, display: string, n: number) => ({ patientId: "p1", id, facilityId: "fA", occurredAt: day(n), codeSystem: "JLAC10", code: "3D046000001906202", display, valueNumeric: 6, unit: "%" });

beforeAll(async () => {
  if (!onPostgres) return;
  const base = new URL(process.env.DATABASE_URL!);
  const ownerBase = new URL(process.env.TSUNAGU_MIGRATION_DATABASE_URL || process.env.DATABASE_URL!);
  owner = (database) => {
    const u = new URL(ownerBase);
    u.pathname = `/${database}`;
    return new pg.Client({ connectionString: u.toString() });
  };
  // lib/env reads the replica's URL once: it is set before anything opens, to a database made below
  link = await relay(base);
  replicaName = `tsunagu_replica_${process.pid}_${Date.now().toString(36)}`;
  const replicaUrl = new URL(base);
  replicaUrl.hostname = "127.0.0.1";
  replicaUrl.port = String(link.port);
  replicaUrl.pathname = `/${replicaName}`;
  process.env.DATABASE_REPLICA_URL = replicaUrl.toString();

  ctx = await freshDatabase();
  const db: Db = ctx.db;
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設fA", kind: "HOSPITAL" } });
  await db.user.create({ data: { id: doctorA.userId, loginId: doctorA.userId, name: doctorA.name, profession: "DOCTOR", facilityId: "fA", passwordHash: "x", credentialVerifiedAt: day(0) } });
  for (const id of ["p1", "p2"]) {
    await db.patient.create({ data: { id, familyName: "山田", givenName: id, familyNameKana: "ヤマダ", givenNameKana: "ハナ", sex: "FEMALE", birthDate: new Date("1950-02-03") } });
  }
  await db.consent.create({ data: { patientId: "p1", id: "c1", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorA.userId } });
  await db.labResult.create({ data: lab("lab-both", "HbA1c（両方）", 1) });

  // the copy: no connection may be open to the template while it is copied
  const primaryName = new URL(process.env.DATABASE_URL!).pathname.slice(1);
  const { closeDb } = await import("../lib/db/client");
  await closeDb();
  const admin = owner("postgres");
  await admin.connect();
  await admin.query(`CREATE DATABASE ${replicaName} TEMPLATE ${primaryName}`);
  await admin.end();

  // then the two differ: a result only the replica has, one only the primary has (the replica
  // "lags"), and a consent for p2 only on the replica
  const replica = owner(replicaName);
  await replica.connect();
  await replica.query(`INSERT INTO "LabResult" ("patientId", id, "facilityId", "occurredAt", "codeSystem", code, display, "valueNumeric", unit) VALUES ('p1', 'lab-replica', 'fA', $1, 'JLAC10', '3D046000001906202', 'HbA1c（レプリカ）', 6, '%')`, [day(2)]);
  await replica.query(`INSERT INTO "Consent" ("patientId", id, "facilityId", scope, status, method, "identityVerification", "capturedById") VALUES ('p2', 'c2', 'fA', 'FULL', 'ACTIVE', 'WRITTEN', 'MYNUMBER_CARD', $1)`, [doctorA.userId]);
  await replica.end();
  const { getDb } = await import("../lib/db/client");
  ctx.db = await getDb();
  await ctx.db.labResult.create({ data: lab("lab-primary", "HbA1c（プライマリ）", 3) });
}, 180_000);

afterAll(async () => {
  if (!onPostgres) return;
  await ctx?.close();
  await link?.close();
  const admin = owner("postgres");
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${replicaName} WITH (FORCE)`);
  await admin.end();
});

const labNames = async () => {
  const { getTimelinePage } = await import("../lib/record");
  return (await getTimelinePage(doctorA, "p1", { kinds: "lab" })).entries.map((e) => e.summary).join(" ");
};
const auditRows = async (patientId: string) => ctx.db.auditEvent.count({ where: { patientId, action: "RECORD_VIEW", outcome: "ALLOW" } });

describe.skipIf(!onPostgres)("a read replica (DATABASE_REPLICA_URL)", () => {
  it("the records come from the replica; the audit row is written on the primary", async () => {
    const before = await auditRows("p1");
    const names = await labNames();
    expect(names).toContain("レプリカ");
    expect(names).not.toContain("プライマリ");
    expect(await auditRows("p1")).toBe(before + 1);
    const replica = owner(replicaName);
    await replica.connect();
    const onReplica = Number((await replica.query(`SELECT count(*) AS n FROM "AuditEvent" WHERE "patientId" = 'p1'`)).rows[0].n);
    await replica.end();
    expect(onReplica).toBe(0);
  });

  it("who may see is decided on the primary: a consent only the replica holds opens nothing, and the refusal is audited there", async () => {
    const { getPatientView, AccessDeniedError } = await import("../lib/record");
    await expect(getPatientView(doctorA, "p2")).rejects.toBeInstanceOf(AccessDeniedError);
    expect(await ctx.db.auditEvent.count({ where: { patientId: "p2", action: "RECORD_VIEW_DENIED" } })).toBe(1);
  });

  it("what the user just wrote is read from the primary: an acknowledgement the replica has not replayed is shown", async () => {
    const { readAcknowledgements } = await import("../lib/record/medication-checks");
    const { readOnReplica } = await import("../lib/record/replica");
    await ctx.db.warningAcknowledgement.create({ data: { patientId: "p1", id: "ack-1", warningKey: "k-1", reason: "確認済み", userId: doctorA.userId, userName: doctorA.name, profession: "DOCTOR", facilityId: "fA" } });
    const seen = await ctx.db.$transaction((primary) => readOnReplica(primary, (tx) => readAcknowledgements(tx, "p1", ["k-1"])));
    expect(seen.get("k-1")?.reason).toBe("確認済み");
  });

  it("a replica that is away is not an outage: the read falls back to the primary, and returns to the replica when it is back", async () => {
    await link.cut();
    const names = await labNames();
    expect(names).toContain("プライマリ");
    expect(names).not.toContain("レプリカ");
    await link.restore();
    let back = "";
    for (let i = 0; i < 40 && !back.includes("レプリカ"); i++) {
      back = await labNames();
      if (!back.includes("レプリカ")) await new Promise((r) => setTimeout(r, 250));
    }
    expect(back).toContain("レプリカ");
  });
});
