import path from "node:path";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { messages } from "../lib/i18n/messages";

/**
 * "What did operator X import?": an import run from the command line is audited under its operator
 * (ingest:cli:<operator>, as scripts/import.ts names it), and the network administrator's audit search
 * finds those events by that name — and nothing under another operator's.
 */
const JP_CLINS = path.resolve(import.meta.dirname, "../../shared/fixtures/jp-clins");
const admin = testActor("fA", "ADMIN", { userId: "adm", loginId: "admin" });
const doctor = testActor("fA", "DOCTOR", { userId: "doc" });
const t = messages.ja;
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
let lib: typeof import("../lib/record");
let screen: typeof import("../app/(app)/admin/audit/screen").auditSearchScreen;
const html = async (node: Promise<unknown>) => renderToStaticMarkup((await node) as React.ReactElement);
/** A text as the markup writes it (<, > and ' escaped). */
const inMarkup = (s: string) => s.replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&#x27;");

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  lib = await import("../lib/record");
  screen = (await import("../app/(app)/admin/audit/screen")).auditSearchScreen;
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "中央病院", kind: "HOSPITAL" } });
  await db.facility.create({ data: { id: "fH", code: "1318814790", name: "東京みなと病院", kind: "HOSPITAL" } });
  for (const a of [admin, doctor]) await db.user.create({ data: { id: a.userId, loginId: a.loginId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: new Date("2024-01-01") } });
  // the published referral letter's patient, matched by the 被保険者個人識別子 with 枝番, birth date and sex
  await db.patient.create({
    data: { id: "tp", familyName: "牧野", givenName: "爛漫", familyNameKana: "マキノ", givenNameKana: "ランマン", sex: "FEMALE", birthDate: new Date("1930-06-28"), insurerNumber: "00012345", insuredSymbol: "あいう", insuredNumber: "187", insuredBranch: "05" },
  });
  const { importFhirPath } = await import("../lib/ingest/fhir-files");
  // scripts/import.ts runs as `cli:${USER}`
  const run = await importFhirPath(db, "1318814790", path.join(JP_CLINS, "Bundle-Bundle-CLINS-Referral-Example-01.json"), { by: "cli:yamada" });
  expect(run.counts.created).toBe(1);
}, 120_000);
afterAll(async () => ctx?.close());

describe("the audit search by an import's operator", () => {
  it("finds the records a CLI import filed under ingest:cli:<operator>, naming the patient and the facility", async () => {
    const found = await lib.searchAudit(admin, { user: "ingest:cli:yamada" });
    expect(found.events.length).toBeGreaterThan(0);
    expect(found.events.every((e) => e.actorId === "ingest:cli:yamada" && e.actorName === "cli:yamada")).toBe(true);
    expect(found.events.find((e) => e.action === "RECORDS_IMPORTED")).toMatchObject({ patientId: "tp", facilityId: "fH", facilityName: "東京みなと病院", outcome: "SUCCESS" });
    // narrowed by action and patient too, as any other user
    expect((await lib.searchAudit(admin, { user: "ingest:cli:yamada", action: "RECORDS_IMPORTED", patient: "tp" })).events).toHaveLength(1);
    // the search itself is audited with the operator it asked about
    expect(await db.auditEvent.findFirst({ where: { actorId: "adm", action: "AUDIT_SEARCH" }, orderBy: { seq: "desc" } })).toMatchObject({ detail: { filters: { user: "ingest:cli:yamada", action: "RECORDS_IMPORTED", patient: "tp" } } });
  });

  it("finds nothing under another operator, nor under the operator's name alone", async () => {
    expect((await lib.searchAudit(admin, { user: "ingest:cli:suzuki" })).events).toEqual([]);
    expect((await lib.searchAudit(admin, { user: "ingest:key:k1" })).events).toEqual([]);
  });

  it("refuses a value that is neither a user nor an import's operator, with a message that shows the form", async () => {
    for (const user of ["ingest:", "ingest:cli:", "shell:cli:yamada", "ingest:cli:ya mada", `ingest:cli:${"x".repeat(130)}`]) {
      await expect(lib.searchAudit(admin, { user })).rejects.toMatchObject({ fields: { user: "user" } });
    }
    const h = await html(screen(admin, "ja", t, { user: "shell:cli:yamada" }));
    expect(h).toContain(inMarkup(t.auditOperator.errors.user));
    expect(h).toContain('aria-describedby="user-hint user-error"');
    expect(await html(screen(admin, "en", messages.en, { user: "ingest:" }))).toContain(inMarkup(messages.en.auditOperator.errors.user));
  });

  it("shows the administrator the operator's events, with the hint on how to name an operator; a doctor is refused", async () => {
    const h = await html(screen(admin, "ja", t, { user: "ingest:cli:yamada" }));
    expect(h).toContain(inMarkup(t.auditOperator.hint));
    expect(h).toContain('value="ingest:cli:yamada"');
    expect([...h.matchAll(/data-seq="\d+"/g)].length).toBeGreaterThan(0);
    expect(h).toContain("cli:yamada");
    expect(await html(screen(admin, "en", messages.en, {}))).toContain(inMarkup(messages.en.auditOperator.hint));
    await expect(lib.searchAudit(doctor, { user: "ingest:cli:yamada" })).rejects.toMatchObject({ reason: "NOT_ADMINISTRATOR" });
    expect(await html(screen(doctor, "ja", t, { user: "ingest:cli:yamada" }))).not.toContain("data-seq=");
  });
});
