import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import { actorFactsFor } from "./helpers/facts";
import type { Db } from "../lib/db/client";
import { decideApiTokenIssue } from "../lib/access/duties";
import { API_TOKEN_MAX_HOURS, apiTokenRefusal, issueApiToken, listApiTokens, revokeApiToken } from "../lib/auth/api-token";
import { apiTokenRefusalText } from "../components/api-token-messages";
import { messages } from "../lib/i18n/messages";
import { capabilityStatement, everything } from "../lib/record/fhir-api";

/**
 * Clinicians' FHIR API tokens and GET /api/fhir/Patient/{id}/$everything: the token reads as its
 * clinician, every refusal an OperationOutcome with its status, each with the twin that is allowed.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const doctorA = testActor("fA", "DOCTOR");
const doctorB = testActor("fB", "DOCTOR");
const doctorC = testActor("fC", "DOCTOR");
const MARK = "秘匿マーカー";
const BASE = "https://tsunagu.example.jp/api/fhir";

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  for (const [id, code] of [["fA", "2210000001"], ["fB", "2210000002"], ["fC", "2210000003"], ["fS", "2213000004"]] as const) await db.facility.create({ data: { id, code, name: `施設${id}`, kind: "HOSPITAL" } });
  for (const a of [doctorA, doctorB, doctorC]) await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: new Date("2020-01-01") } });
  await db.patient.create({ data: { id: "p1", familyName: "田中", givenName: "遥", familyNameKana: "タナカ", givenNameKana: "ハルカ", sex: "FEMALE", birthDate: new Date("1971-07-07") } });
  // fA: consent withholding PSYCHIATRIC; fB: consent withholding nothing; fC: no consent
  await db.consent.create({ data: { patientId: "p1", id: "c-a", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorA.userId, withheldCategories: ["PSYCHIATRIC"] } });
  await db.consent.create({ data: { patientId: "p1", id: "c-b", facilityId: "fB", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorB.userId } });
  for (let n = 0; n < 12; n++) await db.condition.create({ data: { patientId: "p1", facilityId: "fS", id: `dx-${n}`, occurredAt: new Date(Date.UTC(2024, 0, n + 1)), codeSystem: "x", code: `${n}`, display: `病名${n}` } });
  await db.condition.create({ data: { patientId: "p1", facilityId: "fS", id: "dx-psy", occurredAt: new Date(Date.UTC(2024, 2, 1)), codeSystem: "x", code: "F32", display: `${MARK}うつ病`, sensitivity: "PSYCHIATRIC" } });
});
afterAll(async () => ctx?.close());

const get = (token: string | null, patientId = "p1", query = "") => everything({ authorization: token === null ? null : `Bearer ${token}`, patientId, query: new URLSearchParams(query), base: BASE });
type Outcome = { resourceType: string; issue: { code: string; diagnostics: string; details: { text: string }; expression?: string[] }[] };
type Searchset = { type: string; link: { relation: string; url: string }[]; entry: { resource: { resourceType: string; id: string } }[] };

describe("issuing a token (lib/access decideApiTokenIssue)", () => {
  it("is refused to a login without its second factor, allowed once it is complete (twin)", () => {
    expect(decideApiTokenIssue(actorFactsFor("DOCTOR", { loginComplete: false }))).toEqual({ allow: false, reason: "LOGIN_INCOMPLETE" });
    expect(decideApiTokenIssue(actorFactsFor("DOCTOR"))).toEqual({ allow: true });
  });
  it("is refused to a clerk, allowed to a doctor (twin); refused to an unverified licence", () => {
    expect(decideApiTokenIssue(actorFactsFor("CLERK"))).toEqual({ allow: false, reason: "PROFESSION_NOT_CLINICAL" });
    expect(decideApiTokenIssue(actorFactsFor("DOCTOR"))).toEqual({ allow: true });
    expect(decideApiTokenIssue(actorFactsFor("DOCTOR", { credentialVerified: false }))).toEqual({ allow: false, reason: "CREDENTIAL_UNVERIFIED" });
  });

  it("an unverified licence: the account page is told why (the licence, not the second factor) and the action refuses for the same reason; a verified twin is offered it", async () => {
    const unverified = { ...doctorA, credentialVerified: false };
    expect(apiTokenRefusal(unverified)).toBe("CREDENTIAL_UNVERIFIED");
    await expect(issueApiToken(unverified)).rejects.toMatchObject({ reason: "CREDENTIAL_UNVERIFIED" });
    expect(apiTokenRefusalText(messages.ja, "CREDENTIAL_UNVERIFIED")).toContain("資格（免許）の確認が完了していません");
    expect(apiTokenRefusalText(messages.ja, "CREDENTIAL_UNVERIFIED")).not.toContain("二要素");
    expect(apiTokenRefusalText(messages.en, "CREDENTIAL_UNVERIFIED")).toMatch(/licen[cs]e/i);
    expect(await db.apiToken.count()).toBe(0);
    // the twin: the same doctor with the licence checked is offered the form (the next test issues)
    expect(apiTokenRefusal(doctorA)).toBeNull();
  });

  it("stores only the token's hash, for 12 hours at most, audited; an incomplete login gets none", async () => {
    await expect(issueApiToken({ ...doctorA, mfa: false })).rejects.toMatchObject({ reason: "LOGIN_INCOMPLETE" });
    await expect(issueApiToken(doctorA, API_TOKEN_MAX_HOURS + 1)).rejects.toMatchObject({ reason: "INVALID_HOURS" });
    expect(await db.apiToken.count()).toBe(0);
    const t = await issueApiToken(doctorA, 12, "電子カルテ連携");
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: t.id } });
    expect(JSON.stringify(row)).not.toContain(t.token.split("_").pop());
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(12 * 3_600_000);
    expect(await db.auditEvent.count({ where: { action: "API_TOKEN_ISSUED", actorId: doctorA.userId } })).toBe(1);
    expect((await listApiTokens(doctorA)).map((x) => x.label)).toEqual(["電子カルテ連携"]);
  });
});

describe("GET /api/fhir/Patient/{id}/$everything", () => {
  it("401 without a token or with one that was never issued; 200 with a live one (twin)", async () => {
    for (const token of [null, "tsu_nope_xxxxxxxx", "not-a-token"]) {
      const a = await get(token);
      expect(a.status).toBe(401);
      expect((a.body as Outcome).issue[0]).toMatchObject({ code: "login" });
      expect(a.headers).toMatchObject({ "WWW-Authenticate": expect.stringContaining("Bearer") });
    }
    const { token } = await issueApiToken(doctorB);
    expect((await get(token)).status).toBe(200);
  });

  it("pages with link[next] carrying the filters, each page audited as the clinician; no resource twice", async () => {
    const { token } = await issueApiToken(doctorB);
    const seen: string[] = [];
    const before = await db.auditEvent.count({ where: { actorId: doctorB.userId, detail: { path: ["what"], equals: "fhir-export" } } });
    let query = "_count=5&_type=Condition";
    let pages = 0;
    for (;;) {
      const a = await get(token, "p1", query);
      expect(a.status).toBe(200);
      const b = a.body as Searchset;
      expect(b.type).toBe("searchset");
      seen.push(...b.entry.map((e) => `${e.resource.resourceType}/${e.resource.id}`));
      pages++;
      const next = b.link.find((l) => l.relation === "next")?.url;
      if (!next) break;
      expect(next.startsWith(`${BASE}/Patient/p1/$everything?`)).toBe(true);
      query = new URL(next).search.slice(1);
      expect(new URLSearchParams(query).get("_type")).toBe("Condition");
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(13);
    expect(seen).toHaveLength(13);
    expect(await db.auditEvent.count({ where: { actorId: doctorB.userId, detail: { path: ["what"], equals: "fhir-export" } } })).toBe(before + 3);
  });

  it("401 once the token is revoked or expired; the same token worked before (twin)", async () => {
    const t = await issueApiToken(doctorB);
    expect((await get(t.token)).status).toBe(200);
    await revokeApiToken(doctorB, t.id);
    expect((await get(t.token)).status).toBe(401);
    // presented again after it was revoked: on record under its user, with the token (review 5, m4)
    expect((await db.auditEvent.findFirstOrThrow({ where: { action: "REVOKED_CREDENTIAL_USED", actorId: doctorB.userId }, orderBy: { seq: "desc" } })).detail).toMatchObject({ credential: "api-token", tokenId: t.id, reason: "REVOKED" });
    await expect(revokeApiToken(doctorA, (await issueApiToken(doctorB)).id)).rejects.toMatchObject({ reason: "NO_SUCH_TOKEN" }); // not one's own
    const e = await issueApiToken(doctorB, 1);
    expect((await get(e.token)).status).toBe(200);
    await db.apiToken.update({ where: { id: e.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await get(e.token)).status).toBe(401);
    expect((await db.auditEvent.findFirstOrThrow({ where: { action: "REVOKED_CREDENTIAL_USED", actorId: doctorB.userId }, orderBy: { seq: "desc" } })).detail).toMatchObject({ tokenId: e.id, reason: "EXPIRED" });
  });

  it("403 with the reason for a facility the patient has not consented to; 200 for one she has (twin)", async () => {
    const a = await get((await issueApiToken(doctorC)).token);
    expect(a.status).toBe(403);
    expect((a.body as Outcome).issue[0]).toMatchObject({ code: "forbidden", diagnostics: expect.stringContaining("NO_CONSENT") });
    expect((await get((await issueApiToken(doctorB)).token)).status).toBe(200);
  });

  it("leaves out a category the patient withholds from the token's facility; the other facility gets it (twin)", async () => {
    const withheld = JSON.stringify((await get((await issueApiToken(doctorA)).token)).body);
    expect(withheld).not.toContain(MARK);
    expect(withheld).toContain("病名0");
    expect(JSON.stringify((await get((await issueApiToken(doctorB)).token)).body)).toContain(MARK);
  });

  it("a deactivated clinician's token reads nothing (403), an active one's does", async () => {
    const { token } = await issueApiToken(doctorB);
    await db.user.update({ where: { id: doctorB.userId }, data: { active: false } });
    expect((await get(token)).status).toBe(403);
    await db.user.update({ where: { id: doctorB.userId }, data: { active: true } });
    expect((await get(token)).status).toBe(200);
  });

  it("404 for a patient who does not exist, 400 naming a bad parameter", async () => {
    const { token } = await issueApiToken(doctorB);
    expect((await get(token, "nobody")).status).toBe(404);
    const bad = await get(token, "p1", "_count=0");
    expect(bad.status).toBe(400);
    expect((bad.body as Outcome).issue[0]).toMatchObject({ code: "invalid", expression: ["_count"] });
  });

  it("400 naming a parameter $everything does not support; the same request without it answers (twin)", async () => {
    const { token } = await issueApiToken(doctorB);
    const bad = await get(token, "p1", "_elements=id&_count=5");
    expect(bad.status).toBe(400);
    expect((bad.body as Outcome).issue[0]).toMatchObject({ code: "not-supported", expression: ["_elements"] });
    expect((await get(token, "p1", "_count=5")).status).toBe(200);
  });

  it("the CapabilityStatement names $everything on Patient with its parameters (the searches: tests/fhir-search.test.ts)", () => {
    const c = capabilityStatement(BASE) as { fhirVersion: string; rest: { resource: { type: string; operation?: { name: string }[] }[]; operation: { name: string; documentation: string }[] }[] };
    expect(c.fhirVersion).toBe("4.0.1");
    expect(c.rest[0]!.resource.filter((r) => r.operation).map((r) => [r.type, r.operation!.map((o) => o.name)])).toEqual([["Patient", ["everything"]]]);
    for (const p of ["start", "end", "_since", "_type", "_count", "cursor"]) expect(c.rest[0]!.operation[0]!.documentation).toContain(`${p} (`);
  });
});

