import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import type { Actor } from "../lib/auth/actor";
import { messages } from "../lib/i18n/messages";
import { auditActorOf, flushCheckpoints, recordAuditNow, type AuditInput } from "../lib/audit";
import { CSV_BOM } from "../lib/format/csv";
import { checkpointIfDue } from "../lib/audit/checkpoint";

/**
 * The network administrator's audit search, its exports and its verify button, on the real database:
 * each page, action and route handler refuses a non-administrator and a half-finished login (audited),
 * and its twin serves the administrator.
 */

// read by lib/env on first use: a small maximum, so the refusal of a large export is cheap to reach
process.env.TSUNAGU_AUDIT_EXPORT_MAX_ROWS = "50";

let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
let lib: typeof import("../lib/record");
let screens: { search: typeof import("../app/(app)/admin/audit/screen").auditSearchScreen; event: typeof import("../app/(app)/admin/audit/[seq]/screen").auditEventScreen };
let core: typeof import("../app/actions/admin-audit-core");
let auditExportResponse: typeof import("../app/api/admin/audit/export/respond").auditExportResponse;

const t = messages.ja;
const admin = testActor("fA", "ADMIN", { userId: "adm", loginId: "admin" });
const halfAdmin = { ...admin, mfa: false };
const doctor = testActor("fA", "DOCTOR", { userId: "doc" });
const doctorB = testActor("fB", "DOCTOR", { userId: "docb" });
const CARD = { kana: "サイトウ マイ", birthDate: "1966-02-02", insurerNumber: "39221010", insuredNumber: "00660202" };
const T0 = Date.parse("2026-06-01T00:00:00Z"); // 09:00 JST
const MIN = 60_000;

const write = (actor: Actor, input: Omit<AuditInput, "actor">) => recordAuditNow(db, { actor: auditActorOf(actor), ...input });
const html = async (node: Promise<unknown>) => renderToStaticMarkup((await node) as React.ReactElement);
const rowsOf = (h: string) => [...h.matchAll(/data-seq="(\d+)"/g)].map((m) => m[1]!);
const lastEvent = () => db.auditEvent.findFirst({ orderBy: { seq: "desc" } });
const text = async (r: Response) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(await r.arrayBuffer());

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  lib = await import("../lib/record");
  screens = { search: (await import("../app/(app)/admin/audit/screen")).auditSearchScreen, event: (await import("../app/(app)/admin/audit/[seq]/screen")).auditEventScreen };
  core = await import("../app/actions/admin-audit-core");
  ({ auditExportResponse } = await import("../app/api/admin/audit/export/respond"));
  await db.facility.createMany({ data: [{ id: "fA", code: "2210000001", name: "中央病院", kind: "HOSPITAL" }, { id: "fB", code: "2210000002", name: "みなみ医院", kind: "CLINIC" }] });
  for (const a of [admin, doctor, doctorB]) await db.user.create({ data: { id: a.userId, loginId: a.loginId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: new Date("2024-01-01") } });
  await db.patient.create({ data: { id: "r1", familyName: "斎藤", givenName: "舞", familyNameKana: "サイトウ", givenNameKana: "マイ", sex: "FEMALE", birthDate: new Date("1966-02-02"), insurerNumber: "39221010", insuredNumber: "00660202" } });
  // 60 views of r1 by the doctor of fA, a minute apart from 09:00 JST; then, at one instant, events of
  // fB's doctor about r2 (ties in time, so the cursor must order by seq too)
  for (let i = 0; i < 60; i++) await write(doctor, { action: "RECORD_VIEW", outcome: "ALLOW", patientId: "r1", purpose: "TREATMENT", at: new Date(T0 + i * MIN), detail: { what: "patient-record", i } });
  const tie = new Date(T0 + 120 * MIN);
  await write(doctorB, { action: "RECORD_VIEW_DENIED", outcome: "DENY", patientId: "r2", purpose: "TREATMENT", at: tie, detail: { what: "patient-record", reason: "NO_CONSENT" } });
  await write(doctorB, { action: "BREAK_GLASS_START", outcome: "SUCCESS", patientId: "r2", purpose: "EMERGENCY", at: tie, detail: { what: "break-glass", reason: "UNCONSCIOUS", reasonText: "=HYPERLINK(\"x\")" } });
  await write(doctorB, { action: "RECORD_VIEW", outcome: "ALLOW", patientId: "r2", purpose: "EMERGENCY", at: tie, detail: { what: "emergency-summary" } });
  await write(doctorB, { action: "BREAK_GLASS_STOP", outcome: "SUCCESS", patientId: "r2", purpose: "EMERGENCY", at: tie, detail: { what: "break-glass" } });
  await write(doctor, { action: "LOGIN", outcome: "SUCCESS", at: new Date(T0 - MIN) });
}, 240_000);
afterAll(async () => ctx?.close());

describe("the search (lib/record searchAudit)", () => {
  it("pages newest first with a cursor, ties in time ordered by seq, never repeating or skipping an event", async () => {
    const first = await lib.searchAudit(admin, { facility: "fA", action: "RECORD_VIEW" });
    expect(first.events).toHaveLength(50);
    expect(first.events[0]!.detail).toEqual({ what: "patient-record", i: 59 });
    const second = await lib.searchAudit(admin, { facility: "fA", action: "RECORD_VIEW", cursor: first.next! });
    expect(second.events.map((e) => (e.detail as { i: number }).i)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(second.next).toBeNull();

    // four events at one instant, two to a page: seq breaks the tie
    const tied = await db.auditEvent.findMany({ where: { patientId: "r2" }, orderBy: { seq: "desc" } });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const r = await lib.searchAudit(admin, { patient: "r2", ...(cursor ? { cursor } : {}) });
      seen.push(...r.events.map((e) => e.seq));
      cursor = r.next ?? undefined;
      if (!cursor) break;
    } while (seen.length < 10);
    expect(seen).toEqual(tied.map((e) => e.seq.toString()));
  });

  it("filters by user (login ID or id), facility, action, purpose, outcome and a Japan-time range", async () => {
    const seqs = async (f: Record<string, string>) => (await lib.searchAudit(admin, f)).events.length;
    expect(await seqs({ user: "docb" })).toBe(4);
    expect(await seqs({ user: doctorB.loginId })).toBe(4);
    expect(await seqs({ facility: "fB", purpose: "EMERGENCY" })).toBe(3);
    expect(await seqs({ facility: "fB", outcome: "DENY" })).toBe(1);
    expect(await seqs({ action: "LOGIN" })).toBe(1);
    // 09:00–09:09 JST is the first ten views: the end minute is included whole
    expect(await seqs({ patient: "r1", from: "2026-06-01T09:00", to: "2026-06-01T09:09" })).toBe(10);
    // its twin: one minute earlier ends before the tenth
    expect(await seqs({ patient: "r1", from: "2026-06-01T09:00", to: "2026-06-01T09:08" })).toBe(9);
  });

  it("refuses a malformed filter, naming it, and an end before the start", async () => {
    await expect(lib.searchAudit(admin, { from: "2026-02-30T09:00" })).rejects.toMatchObject({ fields: { from: "invalid" } });
    await expect(lib.searchAudit(admin, { purpose: "FUN" })).rejects.toMatchObject({ fields: { purpose: "invalid" } });
    await expect(lib.searchAudit(admin, { from: "2026-06-02T00:00", to: "2026-06-01T00:00" })).rejects.toMatchObject({ fields: { to: "beforeFrom" } });
  });

  it("audits the administrator's own search, with its filters, under the patient searched for", async () => {
    await lib.searchAudit(admin, { patient: "r1", outcome: "ALLOW" });
    expect(await lastEvent()).toMatchObject({ actorId: "adm", action: "AUDIT_SEARCH", outcome: "SUCCESS", patientId: "r1", purpose: "ADMINISTRATION", detail: { what: "audit-search", filters: { patient: "r1", outcome: "ALLOW" }, rows: 50 } });
    // the patient's access report shows that their trail was looked at, named in words
    const report = await lib.getAccessReport(admin, "r1");
    expect(report.entries.find((e) => e.action === "AUDIT_SEARCH")).toMatchObject({ facilityName: "中央病院", profession: "ADMIN", purpose: "ADMINISTRATION" });
    expect(t.report.actions.AUDIT_SEARCH).toBe("監査ログの確認（管理者）");
  });

  it("refuses (and audits) a doctor and an administrator's half-finished login", async () => {
    await expect(lib.searchAudit(doctor, {})).rejects.toMatchObject({ reason: "NOT_ADMINISTRATOR" });
    expect(await lastEvent()).toMatchObject({ actorId: "doc", action: "AUDIT_SEARCH", outcome: "DENY", detail: { reason: "NOT_ADMINISTRATOR" } });
    await expect(lib.searchAudit(halfAdmin, {})).rejects.toMatchObject({ reason: "LOGIN_INCOMPLETE" });
  });
});

describe("the audit search page", () => {
  it("shows the administrator the filtered events, each with a labelled link to its details, and the next page", async () => {
    const h = await html(screens.search(admin, "ja", t, { patient: "r2", user: "docb" }));
    expect(rowsOf(h)).toHaveLength(4);
    expect(h).toContain("緊急時アクセスの開始");
    // every filter has its label around it
    for (const name of ["patient", "user", "facility", "action", "purpose", "outcome", "from", "to"]) expect(h).toMatch(new RegExp(`<label[^>]*>[^<]+<(input|select)[^>]* name="${name}"`));
    expect(h).toMatch(/href="\/api\/admin\/audit\/export\?format=csv&amp;patient=r2&amp;user=docb"/);
    const older = await html(screens.search(admin, "ja", t, { facility: "fA", action: "RECORD_VIEW" }));
    expect(older).toContain(t.auditLog.older);
  });

  it("refuses a doctor and a half-finished login with the reason, and lists nothing (twin above)", async () => {
    for (const [who, reason] of [[doctor, "NOT_ADMINISTRATOR"], [halfAdmin, "LOGIN_INCOMPLETE"]] as const) {
      const h = await html(screens.search(who, "ja", t, { patient: "r2" }));
      expect(h).toContain(t.denied.reasons[reason]);
      expect(rowsOf(h)).toEqual([]);
    }
  });

  it("shows a malformed filter as an error beside the form, not a crash", async () => {
    const h = await html(screens.search(admin, "ja", t, { from: "yesterday" }));
    expect(h).toContain(t.error.invalidInput);
    expect(h).toContain('aria-invalid="true"');
    // the form stays whole: the facilities are still offered
    expect(h).toContain('<option value="fB">みなみ医院（fB）</option>');
  });

  it("opens one event with every field for the administrator (audited), and refuses the others", async () => {
    const e = (await db.auditEvent.findFirst({ where: { action: "BREAK_GLASS_START" } }))!;
    const h = await html(screens.event(admin, t, e.seq.toString()));
    for (const v of [e.hash, e.prevHash, "UNCONSCIOUS", "みなみ医院", "r2", `${e.chainSeq}`]) expect(h).toContain(v);
    expect(await lastEvent()).toMatchObject({ actorId: "adm", action: "AUDIT_EVENT_VIEW", patientId: "r2", detail: { seq: e.seq.toString() } });
    for (const [who, reason] of [[doctor, "NOT_ADMINISTRATOR"], [halfAdmin, "LOGIN_INCOMPLETE"]] as const) {
      const refused = await html(screens.event(who, t, e.seq.toString()));
      expect(refused).toContain(t.denied.reasons[reason]);
      expect(refused).not.toContain(e.hash);
    }
    expect(await html(screens.event(admin, t, "999999"))).toContain(t.auditLog.eventNotFound);
  });
});

describe("finding the patient by card (action)", () => {
  const form = (card: Record<string, string>) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(card)) fd.set(k, v);
    return fd;
  };
  it("gives the administrator the search for that patient, audited as a card look-up", async () => {
    expect(await core.auditPatientLookup(admin, form(CARD))).toEqual({ href: "/admin/audit?patient=r1" });
    expect(await lastEvent()).toMatchObject({ actorId: "adm", action: "PATIENT_IDENTIFY", outcome: "SUCCESS", patientId: "r1", detail: { what: "audit-search", identifiedBy: "card" } });
  });
  it("refuses a doctor and a half-finished login before any look-up", async () => {
    expect(await core.auditPatientLookup(doctor, form(CARD))).toEqual({ errors: { form: "NOT_ADMINISTRATOR" } });
    expect(await core.auditPatientLookup(halfAdmin, form(CARD))).toEqual({ errors: { form: "LOGIN_INCOMPLETE" } });
  });
});

describe("the export (route handler)", () => {
  const params = (q: Record<string, string>) => new URLSearchParams(q);
  it("streams the administrator a CSV with a BOM that Excel reads as UTF-8, every filtered event, formula-like text defused", async () => {
    const r = await auditExportResponse(admin, params({ format: "csv", patient: "r2", user: "docb" }));
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(r.headers.get("Content-Disposition")).toMatch(/^attachment; filename="tsunagu-audit-\d{8}-\d{6}\.csv"$/);
    const body = await text(r);
    expect(body.startsWith(CSV_BOM)).toBe(true);
    const lines = body.slice(1).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^通番 seq,日時 at,/);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain("BREAK_GLASS_STOP");
    // the time as stored (UTC) and as the network's wall clock reads it
    expect(lines[1]).toContain(",2026-06-01T02:00:00.000Z,2026-06-01 11:00:00,");
    expect(lines.find((l) => l.includes("BREAK_GLASS_START"))).toContain(`"{""what"":""break-glass"",""reason"":""UNCONSCIOUS"",""reasonText"":""=HYPERLINK(\\""x\\"")""}"`);
    expect(await db.auditEvent.findFirst({ where: { action: "AUDIT_EXPORT" }, orderBy: { seq: "desc" } })).toMatchObject({ actorId: "adm", outcome: "SUCCESS", patientId: "r2", detail: { format: "csv", rows: 4, filters: { patient: "r2", user: "docb" } } });
  });

  it("reads and writes in pages: the stream holds one page at a time", async () => {
    const x = await lib.exportAudit(admin, { facility: "fA", action: "RECORD_VIEW" }, "csv", { pageSize: 7, maxRows: 1000 });
    const reader = x.body.getReader();
    const chunks: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(new TextDecoder().decode(value));
    }
    // the heading, then ceil(60 / 7) = 9 pages of at most 7 rows
    expect(chunks).toHaveLength(10);
    expect(chunks.slice(1).map((c) => c.split("\r\n").length - 1)).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 4]);
  });

  it("refuses an export over TSUNAGU_AUDIT_EXPORT_MAX_ROWS whole, in Japanese and English, and audits the refusal", async () => {
    const r = await auditExportResponse(admin, params({ format: "csv" }));
    expect(r.status).toBe(422);
    expect(await r.json()).toEqual({ error: "EXPORT_TOO_LARGE", limit: 50, message: { ja: t.auditLog.tooLarge("50"), en: messages.en.auditLog.tooLarge("50") } });
    expect(await lastEvent()).toMatchObject({ action: "AUDIT_EXPORT", outcome: "FAILURE", detail: { reason: "EXPORT_TOO_LARGE", limit: 50 } });
    // its twin: the same export narrowed to fewer rows than the maximum is sent
    expect((await auditExportResponse(admin, params({ format: "csv", user: "docb" }))).status).toBe(200);
  });

  it("an administrator's browser following the export link is sent back to the same search, which says why nothing was exported; narrowed, the file comes (twin)", async () => {
    const r = await auditExportResponse(admin, params({ format: "csv", facility: "fA" }), { navigation: true });
    expect(r.status).toBe(303);
    const back = r.headers.get("Location")!;
    expect(back).toBe("/admin/audit?facility=fA&exportRefused=EXPORT_TOO_LARGE");
    const h = await html(screens.search(admin, "ja", t, Object.fromEntries(new URL(back, "http://x").searchParams)));
    expect(h).toContain(`role="alert"`);
    expect(h).toContain(t.auditLog.tooLarge("50"));
    // the same filters, shown again: the export links still carry them, and not the refusal
    expect(h).toContain(`/api/admin/audit/export?format=csv&amp;facility=fA"`);
    expect(await html(screens.search(admin, "en", messages.en, { facility: "fA", exportRefused: "EXPORT_TOO_LARGE" }))).toContain(messages.en.auditLog.tooLarge("50"));
    // twin: the search without the refusal shows no such message, and a narrowed export from the browser is the file
    expect(await html(screens.search(admin, "ja", t, { facility: "fA" }))).not.toContain(t.auditLog.tooLarge("50"));
    const narrowed = await auditExportResponse(admin, params({ format: "csv", user: "docb" }), { navigation: true });
    expect(narrowed.status).toBe(200);
    expect(narrowed.headers.get("Content-Disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
  });

  it("refuses no login, a doctor and a half-finished login, sending no file", async () => {
    const none = await auditExportResponse(null, params({ format: "csv" }));
    expect(none.status).toBe(401);
    const doc = await auditExportResponse(doctor, params({ format: "csv" }));
    expect(doc.status).toBe(403);
    expect(await doc.json()).toMatchObject({ error: "ACCESS_DENIED", reason: "NOT_ADMINISTRATOR", message: { ja: t.denied.reasons.NOT_ADMINISTRATOR, en: messages.en.denied.reasons.NOT_ADMINISTRATOR } });
    expect((await auditExportResponse(halfAdmin, params({ format: "csv" }))).status).toBe(401);
    expect((await auditExportResponse(admin, params({ format: "xml" }))).status).toBe(400);
  });

  it("checks the caller before the query: a doctor with a bad query is refused as with a good one, an administrator gets the parameter's help", async () => {
    for (const q of [{}, { format: "xml" }, { format: "csv", from: "2026-02-30" }] as Record<string, string>[]) {
      const r = await auditExportResponse(doctor, params(q));
      expect(r.status, JSON.stringify(q)).toBe(403);
      expect(await r.json()).toEqual({ error: "ACCESS_DENIED", reason: "NOT_ADMINISTRATOR", message: { ja: t.denied.reasons.NOT_ADMINISTRATOR, en: messages.en.denied.reasons.NOT_ADMINISTRATOR } });
      expect(await lastEvent()).toMatchObject({ actorId: "doc", action: "AUDIT_EXPORT", outcome: "DENY" });
    }
    // the twin: the administrator's missing format is a 400 that names the parameter and its values
    const r = await auditExportResponse(admin, params({}));
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: "INVALID_INPUT", field: "format", message: { ja: "format は csv または fhir を指定してください。", en: "format must be csv or fhir." } });
  });

  it("names the file by the Japan time of the export, also between 00:00 and 09:00 JST when UTC is still the day before", async () => {
    const { setClockForTests } = await import("../lib/clock");
    const filename = async (utc: string) => {
      setClockForTests(new Date(utc));
      try {
        return (await auditExportResponse(admin, params({ format: "csv", user: "docb" }))).headers.get("Content-Disposition");
      } finally {
        setClockForTests(null);
      }
    };
    expect(await filename("2026-12-06T22:54:41Z")).toBe('attachment; filename="tsunagu-audit-20261207-075441.csv"'); // 07:54 JST on the 7th
    expect(await filename("2026-12-06T15:00:00Z")).toBe('attachment; filename="tsunagu-audit-20261207-000000.csv"'); // midnight JST
    expect(await filename("2026-12-06T14:59:59Z")).toBe('attachment; filename="tsunagu-audit-20261206-235959.csv"'); // the twin: still the 6th in Japan
  });

  it("writes FHIR AuditEvents shaped as IHE BALP: break-glass as DICOM 110127 / 110138 with ETREAT, a patient read as PatientRead", async () => {
    const r = await auditExportResponse(admin, params({ format: "fhir", patient: "r2", user: "docb" }));
    expect(r.headers.get("Content-Type")).toBe("application/fhir+ndjson");
    const events = (await text(r)).trimEnd().split("\n").map((l) => JSON.parse(l));
    const byAction = (a: string) => events.find((e) => e.subtype.some((s: { code: string }) => s.code === a));
    const start = byAction("BREAK_GLASS_START");
    expect(start).toMatchObject({ resourceType: "AuditEvent", type: { system: "http://dicom.nema.org/resources/ontology/DCM", code: "110113" }, action: "E", outcome: "0" });
    expect(start.subtype[0]).toMatchObject({ system: "http://dicom.nema.org/resources/ontology/DCM", code: "110127" });
    expect(start.purposeOfEvent[0].coding[0]).toMatchObject({ system: "http://terminology.hl7.org/CodeSystem/v3-ActReason", code: "ETREAT" });
    expect(start.agent[0]).toMatchObject({ requestor: true, who: { identifier: { value: "docb" } }, purposeOfUse: [{ coding: [{ code: "ETREAT" }] }] });
    expect(start.entity[0]).toMatchObject({ what: { reference: "Patient/r2" }, role: { code: "1" } });
    expect(byAction("BREAK_GLASS_STOP").subtype[0]).toMatchObject({ code: "110138" });
    const read = byAction("RECORD_VIEW");
    expect(read).toMatchObject({ meta: { profile: ["https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead"] }, action: "R", subtype: [{ code: "read" }, { code: "RECORD_VIEW" }] });
    // a refusal is a minor failure with its reason, and claims no read profile
    expect(byAction("RECORD_VIEW_DENIED")).toMatchObject({ outcome: "4", outcomeDesc: "NO_CONSENT" });
    expect(byAction("RECORD_VIEW_DENIED").meta).toBeUndefined();
  });
});

describe("the verify button (action)", () => {
  it("refuses a doctor and a half-finished login", async () => {
    expect(await core.auditVerification(doctor)).toEqual({ error: "NOT_ADMINISTRATOR" });
    expect(await core.auditVerification(halfAdmin)).toEqual({ error: "LOGIN_INCOMPLETE" });
  });

  it("tells the administrator an untouched trail is intact, then the first broken seq of an edited one (audited)", async () => {
    // a keyed checkpoint of every chain's head now (the schedule takes one per 1,000 events or hour)
    await flushCheckpoints();
    await checkpointIfDue(db, { force: true });
    const ok = await core.auditVerification(admin);
    expect(ok.result).toMatchObject({ ok: true, findings: [], firstBrokenSeq: null });
    expect(ok.result!.checked).toBeGreaterThan(60);
    expect(await lastEvent()).toMatchObject({ action: "AUDIT_VERIFIED", outcome: "SUCCESS" });

    const victim = (await db.auditEvent.findFirst({ where: { patientId: "r1" }, orderBy: { seq: "asc" }, skip: 5 }))!;
    await ctx.asOwner(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`, `UPDATE "AuditEvent" SET outcome = 'DENY' WHERE seq = ${victim.seq}`, `ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    const broken = await core.auditVerification(admin);
    expect(broken.result).toMatchObject({ ok: false, firstBrokenSeq: victim.seq.toString(), findings: [{ kind: "edited", seq: victim.seq.toString() }] });
    expect(await lastEvent()).toMatchObject({ action: "AUDIT_VERIFIED", outcome: "FAILURE", detail: { firstBrokenSeq: victim.seq.toString() } });
  });
});
