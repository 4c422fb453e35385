// The network administrator's dashboard: what the counts say, day by day in Japan time, on the real
// database; that reading it is audited; that no patient appears in it; and who is refused.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import type { AuditInput } from "../lib/audit";
import { messages } from "../lib/i18n/messages";

// Sunday 2026-12-06, 12:00 in Japan: the last 30 days are 2026-11-07 … 2026-12-06, and the week began on Monday 11-30.
const NOW = new Date("2026-12-06T03:00:00Z");
const admin = testActor("fA", "ADMIN", { userId: "adm" });
const PATIENT = { id: "pat-dash-secret", familyName: "秘匿", givenName: "花子", familyNameKana: "ヒトク", givenNameKana: "ハナコ", insuredNumber: "77889911" };
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;

const auditAt = async (at: string, input: Omit<AuditInput, "at">) => {
  const { recordAuditNow } = await import("../lib/audit");
  await recordAuditNow(db, { ...input, at: new Date(at) });
};
const grant = (id: string, startedAt: string, reviewed: boolean) =>
  db.breakGlass.create({
    data: { patientId: PATIENT.id, id, userId: "er", facilityId: "fA", reason: "UNCONSCIOUS", startedAt: new Date(startedAt), expiresAt: new Date(Date.parse(startedAt) + 4 * 3_600_000), ...(reviewed ? { reviewedAt: NOW, reviewedById: "adm", reviewOutcome: "APPROPRIATE" } : {}) },
  });
const importRun = (id: string, startedAt: string, counts: Record<string, number>, warnings = 0) =>
  db.importLog.create({ data: { id, facilityId: "fA", via: "CLI", by: "operator", source: "/srv/ssmix2", startedAt: new Date(startedAt), finishedAt: new Date(startedAt), counts, problems: [], warnings } });
const dashboardViews = () => db.auditEvent.count({ where: { action: "DASHBOARD_VIEW", actorId: "adm", outcome: "SUCCESS" } });

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  const { setClockForTests } = await import("../lib/clock");
  setClockForTests(NOW);
  await db.facility.createMany({
    data: [
      { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL", discloses: true, views: true, canBreakGlass: true },
      { id: "fB", code: "2210000002", name: "施設B", kind: "HOSPITAL", discloses: true, views: false },
      { id: "fC", code: "2210000003", name: "施設C", kind: "CLINIC", discloses: false, views: true },
      { id: "fD", code: "2240000004", name: "薬局D", kind: "PHARMACY", discloses: true, views: true, status: "SUSPENDED", suspendedAt: NOW },
    ],
  });
  const user = (id: string, facilityId: string, profession: "ADMIN" | "DOCTOR" | "NURSE" | "PHARMACIST" | "EMERGENCY", over: Record<string, unknown> = {}) => ({ id, loginId: id, name: `氏名-${id}`, profession, facilityId, passwordHash: "x", credentialVerifiedAt: NOW, ...over });
  await db.user.createMany({
    data: [
      user("adm", "fA", "ADMIN", { credentialVerifiedAt: null }),
      user("doc", "fA", "DOCTOR"),
      user("doc-new", "fC", "DOCTOR", { credentialVerifiedAt: null }),
      user("doc-gone", "fC", "DOCTOR", { active: false }),
      user("nurse", "fA", "NURSE", { lockedUntil: new Date(NOW.getTime() + 600_000) }),
      user("nurse-was-locked", "fA", "NURSE", { lockedUntil: new Date(NOW.getTime() - 600_000) }),
      user("er", "fA", "EMERGENCY"),
      user("pharm", "fD", "PHARMACIST"),
    ],
  });
  await db.patient.create({ data: { ...PATIENT, sex: "FEMALE", birthDate: new Date("1950-01-02") } });

  const doctor = { userId: "doc", name: "氏名-doc", profession: "DOCTOR", facilityId: "fA" };
  const view = { actor: doctor, action: "RECORD_VIEW", outcome: "ALLOW", patientId: PATIENT.id, detail: { what: "patient-record" } } as const;
  await auditAt("2026-11-06T14:59:59Z", { ...view, purpose: "TREATMENT" }); // 11-06 23:59:59 in Japan: before the window
  await auditAt("2026-11-06T15:00:00Z", { ...view, purpose: "TREATMENT" }); // 11-07 00:00 in Japan: its first day
  await auditAt("2026-12-04T23:30:00Z", { ...view, purpose: "TREATMENT" }); // 12-05 08:30 in Japan
  await auditAt("2026-12-05T14:59:00Z", { ...view, purpose: "TREATMENT" }); // 12-05 23:59
  await auditAt("2026-12-05T15:00:00Z", { ...view, purpose: "EMERGENCY" }); // 12-06 00:00
  await auditAt("2026-12-05T10:00:00Z", { ...view, outcome: "DENY", action: "RECORD_VIEW_DENIED", purpose: "TREATMENT", detail: { what: "patient-record", reason: "NO_CONSENT" } }); // 12-05 19:00
  await auditAt("2026-12-05T23:30:00Z", { ...view, outcome: "DENY", action: "RECORD_VIEW_DENIED", purpose: "TREATMENT", detail: { what: "patient-record", reason: "NO_CONSENT" } }); // 12-06 08:30
  await auditAt("2026-12-05T23:40:00Z", { actor: doctor, action: "RATE_LIMITED", outcome: "DENY", detail: { limit: "CARD_LOOKUP" } }); // no reason: counted under its action

  await grant("g-old", "2026-06-01T00:00:00Z", false); // before the chart's 12 weeks, still waiting
  await grant("g-sun", "2026-11-22T14:30:00Z", true); // Sun 11-22 23:30 in Japan: the week of 11-16
  await grant("g-mon", "2026-11-22T15:30:00Z", false); // Mon 11-23 00:30 in Japan: the week of 11-23, 13½ days old
  await grant("g-this-mon", "2026-11-29T15:30:00Z", false); // Mon 11-30 00:30: 6½ days old, not yet due
  await grant("g-this-sat", "2026-12-05T01:00:00Z", true);

  await importRun("i1", "2026-12-05T23:30:00Z", { created: 10, rejected: 2 }, 3); // 12-06 in Japan
  await importRun("i2", "2026-12-06T01:00:00Z", { created: 4, rejected: 0 });
  await importRun("i3", "2026-12-05T02:00:00Z", {}); // killed before it counted anything
  await db.identityCandidate.createMany({
    data: [
      { id: "c1", facilityId: "fA", localPatientId: "L1", status: "PENDING", identity: {}, firstFile: "a.hl7" },
      { id: "c2", facilityId: "fA", localPatientId: "L2", status: "PENDING", identity: {}, firstFile: "b.hl7" },
      { id: "c3", facilityId: "fA", localPatientId: "L3", status: "CONFIRMED", identity: {}, firstFile: "c.hl7", patientId: PATIENT.id },
    ],
  });
}, 120_000);
afterAll(async () => {
  (await import("../lib/clock")).setClockForTests(null);
  await ctx?.close();
});

describe("the network dashboard", () => {
  it("counts facilities by kind and role, and the suspended", async () => {
    const { getDashboard } = await import("../lib/network");
    const d = await getDashboard(admin);
    expect(d.facilities.find((f) => f.kind === "HOSPITAL")).toEqual({ kind: "HOSPITAL", total: 2, discloses: 2, views: 1, breakGlass: 1, suspended: 0 });
    expect(d.facilities.find((f) => f.kind === "CLINIC")).toEqual({ kind: "CLINIC", total: 1, discloses: 0, views: 1, breakGlass: 0, suspended: 0 });
    expect(d.facilities.find((f) => f.kind === "PHARMACY")).toEqual({ kind: "PHARMACY", total: 1, discloses: 1, views: 1, breakGlass: 0, suspended: 1 });
    expect(d.facilities.find((f) => f.kind === "DENTAL_CLINIC")?.total).toBe(0);
  });

  it("counts active users by profession, with the locked and the clinicians whose licence is unchecked; a suspended facility's apart", async () => {
    const { getDashboard } = await import("../lib/network");
    const d = await getDashboard(admin);
    const of = (p: string) => d.users.find((u) => u.profession === p);
    expect(of("DOCTOR")).toEqual({ profession: "DOCTOR", active: 2, locked: 0, licenceUnchecked: 1 });
    expect(of("NURSE")).toEqual({ profession: "NURSE", active: 2, locked: 1, licenceUnchecked: 0 });
    // an administrator has no licence to check
    expect(of("ADMIN")).toEqual({ profession: "ADMIN", active: 1, locked: 0, licenceUnchecked: null });
    expect(of("PHARMACIST")?.active).toBe(0);
    expect(d.usersAtSuspendedFacilities).toBe(1);
  });

  it("counts record views per Japanese day: an event at 23:30 UTC is the next day's, 15:00 UTC starts a day", async () => {
    const { getDashboard } = await import("../lib/network");
    const d = await getDashboard(admin);
    expect(d.today).toBe("2026-12-06");
    expect(d.days).toHaveLength(30);
    expect(d.days[0]).toBe("2026-11-07");
    const on = (day: string) => d.recordViews.find((v) => v.day === day);
    expect(on("2026-11-07")).toEqual({ day: "2026-11-07", treatment: 1, emergency: 0 });
    expect(on("2026-12-04")).toEqual({ day: "2026-12-04", treatment: 0, emergency: 0 });
    expect(on("2026-12-05")).toEqual({ day: "2026-12-05", treatment: 2, emergency: 0 });
    expect(on("2026-12-06")).toEqual({ day: "2026-12-06", treatment: 0, emergency: 1 });
    // the view at 11-06 23:59:59 in Japan is outside the 30 days
    expect(d.recordViews.reduce((n, v) => n + v.treatment + v.emergency, 0)).toBe(4);
  });

  it("counts refusals per Japanese day by reason", async () => {
    const { getDashboard } = await import("../lib/network");
    const d = await getDashboard(admin);
    expect(d.refusals.find((r) => r.day === "2026-12-05")?.reasons).toEqual({ NO_CONSENT: 1 });
    expect(d.refusals.find((r) => r.day === "2026-12-06")?.reasons).toEqual({ NO_CONSENT: 1, RATE_LIMITED: 1 });
    expect(d.refusalReasons).toEqual(["NO_CONSENT", "RATE_LIMITED"]);
  });

  it("counts break-glass grants per week from Monday in Japan, the unreviewed and the overdue apart, and the whole waiting queue", async () => {
    const { getDashboard } = await import("../lib/network");
    const d = await getDashboard(admin);
    expect(d.breakGlass).toHaveLength(12);
    expect(d.breakGlass.at(-1)).toEqual({ week: "2026-11-30", granted: 2, unreviewed: 1, overdue: 0 });
    expect(d.breakGlass.at(-2)).toEqual({ week: "2026-11-23", granted: 1, unreviewed: 1, overdue: 1 });
    expect(d.breakGlass.at(-3)).toEqual({ week: "2026-11-16", granted: 1, unreviewed: 0, overdue: 0 });
    expect(d.breakGlassUnreviewed).toEqual({ total: 3, overdue: 2 });
  });

  it("counts imports per Japanese day with their rejections and warnings, and the identity candidates waiting", async () => {
    const { getDashboard } = await import("../lib/network");
    const d = await getDashboard(admin);
    expect(d.imports.find((i) => i.day === "2026-12-06")).toEqual({ day: "2026-12-06", runs: 2, rejected: 2, warnings: 3 });
    expect(d.imports.find((i) => i.day === "2026-12-05")).toEqual({ day: "2026-12-05", runs: 1, rejected: 0, warnings: 0 });
    expect(d.identityPending).toBe(2);
  });

  it("names no patient: not the id, the name, the kana or the card", async () => {
    const { getDashboard } = await import("../lib/network");
    const text = JSON.stringify(await getDashboard(admin));
    for (const v of Object.values(PATIENT)) expect(text).not.toContain(v);
  });

  it("the page gives each chart its numbers as a table, in Japanese and in English, and names no patient", async () => {
    const { getDashboard } = await import("../lib/network");
    const { DashboardView } = await import("../components/DashboardView");
    const d = await getDashboard(admin);
    const ja = renderToStaticMarkup(createElement(DashboardView, { d, t: messages.ja }));
    const row = (html: string, head: string) => html.match(new RegExp(`<tr[^>]*><th scope="row"[^>]*>${head}</th>(.*?)</tr>`, "g")) ?? [];
    const cells = (tr: string) => [...tr.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]);
    // 12-06: record views (treatment 0, emergency 1, total 1), then refusals (同意なし 1, 回数制限 1, total 2), then imports
    const today = row(ja, "2026-12-06").map(cells);
    expect(today).toEqual([["0", "1", "1"], ["1", "1", "2"], ["2", "2", "3"]]);
    expect(ja).toContain("拒否（日別・理由別）の表");
    expect(ja).toContain("同意なし");
    expect(ja).toContain("未確認の緊急時アクセス: 3 件（うち7日を超えたもの 2 件）");
    // the overdue week stands out, in words (its column) and in colour
    const breakGlass = ja.slice(ja.indexOf('data-testid="dash-break-glass"')).split("</section>")[0]!;
    expect(row(breakGlass, "2026-11-23").map(cells)).toEqual([["1", "0", "1", "1"]]);
    expect(row(breakGlass, "2026-11-23")[0]).toMatch(/bg-red-50/);
    expect(row(breakGlass, "2026-11-30")[0]).not.toMatch(/bg-red-50/);
    expect(ja).toContain("確認を待っている候補: 2 件");
    expect(ja).toContain('href="/admin/identity"');
    // a scrolling table is a labelled region a keyboard can reach
    expect(ja).toMatch(/role="region" aria-label="診療記録の閲覧（日別）の表" tabindex="0"/);
    const en = renderToStaticMarkup(createElement(DashboardView, { d, t: messages.en }));
    expect(en).toContain("Refusals (per day, by reason)");
    expect(en).toContain("No consent");
    for (const v of Object.values(PATIENT)) {
      expect(ja).not.toContain(v);
      expect(en).not.toContain(v);
    }
  });

  it("each read is audited under the administrator", async () => {
    const { getDashboard } = await import("../lib/network");
    const before = await dashboardViews();
    await getDashboard(admin);
    expect(await dashboardViews()).toBe(before + 1);
    const last = await db.auditEvent.findFirst({ where: { action: "DASHBOARD_VIEW" }, orderBy: { seq: "desc" } });
    expect(last).toMatchObject({ actorId: "adm", purpose: "ADMINISTRATION", patientId: null, detail: { what: "dashboard", from: "2026-11-07", to: "2026-12-06" } });
  });

  it("refuses a clinician and an administrator of a suspended facility, audited, and reads nothing (twin: the administrator above)", async () => {
    const { getDashboard, FacilityAdminRefusedError } = await import("../lib/network");
    const before = await dashboardViews();
    await expect(getDashboard(testActor("fA", "DOCTOR", { userId: "doc" }))).rejects.toBeInstanceOf(FacilityAdminRefusedError);
    await expect(getDashboard({ ...admin, facilityStatus: "SUSPENDED" })).rejects.toMatchObject({ reason: "NOT_NETWORK_ADMINISTRATOR" });
    expect(await dashboardViews()).toBe(before);
    const refusals = await db.auditEvent.findMany({ where: { action: "FACILITY_ADMIN_DENIED", detail: { path: ["attempted"], equals: "VIEW_DASHBOARD" } } });
    expect(refusals.map((r) => r.actorId).sort()).toEqual(["adm", "doc"]);
    // and the refusals are on the dashboard the next time it is read
    const { getDashboard: read } = await import("../lib/network");
    expect((await read(admin)).refusals.at(-1)?.reasons).toMatchObject({ NOT_NETWORK_ADMINISTRATOR: 2 });
  });
});
