// A 枝番 conflict resolved by the identity review (issues 14 and 16), end to end on the real database:
// the published JP-CLINS examples give their one hospital patient id two 枝番 (01 in the Observations
// Bundle, 05 in the referral). Her link was made on 01, so the referral is held. The network
// administrator may confirm it only onto the patient that link names, saying why 05 is the same
// person: the link then accepts 05 (who, when, why), the held referral is filed and seen through
// lib/record, and later files with 05 file by themselves. Unlinking undoes all of it exactly.
import fs from "node:fs";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import { recordSnapshot } from "./helpers/record-snapshot";
import type { Db } from "../lib/db/client";
import { messages } from "../lib/i18n/messages";
import { importFhirPath } from "../lib/ingest/fhir-files";
import { importFhirDocument } from "../lib/ingest/fhir-document";
import { unlinkPatient } from "../lib/ingest/identity-review";
import { decideLinkedConfirm } from "../lib/access/identity-match";
import { jpClinsNetwork, OBSERVATIONS, REFERRAL } from "./helpers/jp-clins";

const admin = testActor("fA", "ADMIN", { userId: "adm", loginId: "adm" });
const doctorB = testActor("fB", "DOCTOR", { userId: "dr-b", name: "dr-b" });
const source = { facilityId: "fH", facilityCode: "1318814790", careCategory: "NORMAL" as const, by: "test" };
const REASON = "保険証の再交付で枝番が01から05に変わったことを本人と保険者に確認";
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
let decide: typeof import("../app/actions/identity-review-form").identityDecision;
let network: typeof import("../lib/network");
let before: string;
let candidateId: string;

const form = (fields: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  return fd;
};
/** the hospital's lab results again, as it sends them under another 枝番 and Bundle.identifier */
function labsWithBranch(branch: string, key: string) {
  const labs = JSON.parse(fs.readFileSync(OBSERVATIONS, "utf8"));
  labs.entry[0].resource.identifier[1].value = `00012345:あいう:１８７:${branch}`;
  labs.identifier.value = `1318814790^2024^${key}`;
  return labs;
}
const fromHospital = async () => ({
  conditions: await db.condition.count({ where: { patientId: "tp", facilityId: "fH" } }),
  labs: await db.labResult.count({ where: { patientId: "tp", facilityId: "fH" } }),
  documents: await db.document.count({ where: { patientId: "tp", facilityId: "fH" } }),
});

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  // the examples' patient as Tsunagu knows her: 被保険者個人識別子 with 枝番 01 (as the Observations Bundle says)
  await jpClinsNetwork(db, "01");
  await db.user.create({ data: { id: "dr-b", loginId: "dr-b", name: "dr-b", profession: "DOCTOR", facilityId: "fB", passwordHash: "x", credentialVerifiedAt: new Date("2024-01-01") } });
  // another person, whom the reviewer might pick by mistake
  await db.patient.create({ data: { id: "tp-other", familyName: "牧野", givenName: "春子", familyNameKana: "マキノ", givenNameKana: "ハルコ", sex: "FEMALE", birthDate: new Date("1960-01-01") } });
  await db.patientLink.create({ data: { patientId: "tp", id: "lk-b", facilityId: "fB", localPatientId: "B-1" } });
  await db.consent.create({ data: { patientId: "tp", id: "c1", facilityId: "fB", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: "dr-b" } });
  await db.condition.create({ data: { patientId: "tp", id: "own-dx", facilityId: "fB", occurredAt: new Date("2020-01-01"), codeSystem: "x", code: "8830052", display: "本態性高血圧症" } });
  before = await recordSnapshot(db, "tp");
  decide = (await import("../app/actions/identity-review-form")).identityDecision;
  network = await import("../lib/network");
}, 120_000);
afterAll(async () => ctx?.close());

describe("a referral held on a 枝番 conflict", () => {
  it("is held, not filed: the id is linked (automatically, on 枝番 01) and the referral says 05", async () => {
    expect((await importFhirPath(db, "1318814790", OBSERVATIONS, { by: "test" })).counts).toMatchObject({ created: 1, held: 0 });
    expect(await db.patientLink.findFirstOrThrow({ where: { facilityId: "fH" } })).toMatchObject({ patientId: "tp", provenance: "AUTOMATIC", branchNumber: "01", vouchedBranches: [] });
    expect((await importFhirPath(db, "1318814790", REFERRAL, { by: "test" })).counts).toMatchObject({ created: 0, held: 1 });
    const c = await db.identityCandidate.findFirstOrThrow({ where: { facilityId: "fH", status: "PENDING" } });
    candidateId = c.id;
    expect(c).toMatchObject({ localPatientId: "000999739", suggestedPatientId: "tp" });
    // lab results under yet another 枝番 wait with the same facility id
    expect((await importFhirDocument(db, source, "labs-07", labsWithBranch("07", "labs-07"))).status).toBe("held");
    expect(await db.heldDocument.count({ where: { candidateId } })).toBe(2);
    expect(await fromHospital()).toEqual({ conditions: 0, labs: 4, documents: 0 });
  });

  it("the review screen says why in Japanese (and in English for an English UI), and what confirming will vouch for", async () => {
    const c = (await network.getIdentityReview(admin)).find((x) => x.id === candidateId)!;
    expect(c).toMatchObject({ branchConflict: { sent: "05", linked: ["01"] }, linkedPatientId: "tp", vouchBranch: "05", compared: { id: "tp" } });
    const { IdentityHeldReason } = await import("../components/IdentityHeldReason");
    const ja = renderToStaticMarkup(createElement(IdentityHeldReason, { c, t: messages.ja }));
    expect(ja).toContain("自動で登録しなかった理由: この施設の患者IDは枝番 01 の被保険者としてつながっていますが、保留中のファイルは枝番 05 を示しています。");
    expect(ja).not.toMatch(/BRANCH_CONFLICT|under id|whose link/);
    const en = renderToStaticMarkup(createElement(IdentityHeldReason, { c, t: messages.en }));
    expect(en).toContain("linked as the insured person with branch number 01, but the held files give branch number 05");
  });

  it("confirming it as another patient is refused with the reason, and nothing changes; so is vouching without saying why", async () => {
    const link = await db.patientLink.findFirstOrThrow({ where: { facilityId: "fH" } });
    expect(await decide(admin, form({ candidateId, decision: "confirm", patientId: "tp-other", overrideReason: REASON }))).toBe(`/admin/identity?error=ALREADY_LINKED&candidate=${candidateId}&patient=tp-other`);
    expect(messages.ja.identityReview.errors.ALREADY_LINKED).toContain("既に別の患者につながっているため");
    expect(await decide(admin, form({ candidateId, decision: "confirm", patientId: "tp" }))).toBe(`/admin/identity?error=VOUCH_REASON_REQUIRED&candidate=${candidateId}&patient=tp`);
    expect(await decide(admin, form({ candidateId, decision: "confirm", patientId: "tp", overrideReason: "確認" }))).toMatch(/error=VOUCH_REASON_REQUIRED/);
    expect(await db.patientLink.findFirstOrThrow({ where: { facilityId: "fH" } })).toEqual(link);
    expect((await db.identityCandidate.findUniqueOrThrow({ where: { id: candidateId } })).status).toBe("PENDING");
    expect(await db.heldDocument.count({ where: { candidateId } })).toBe(2);
    expect(await db.condition.count({ where: { facilityId: "fH" } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "IDENTITY_LINK_CONFIRMED", patientId: { in: ["tp", "tp-other"] }, actorId: "adm" } })).toBe(0);
  });

  it("twin: confirmed onto the linked patient with a reason, the link accepts 05 with provenance, audited before and after, and the referral is filed", async () => {
    expect(await decide(admin, form({ candidateId, decision: "confirm", patientId: "tp", overrideReason: REASON }))).toBe("/admin/identity?done=confirm&filed=1&held=1&sent=07&linked=01%2F05");
    const link = await db.patientLink.findFirstOrThrow({ where: { facilityId: "fH" } });
    expect(link).toMatchObject({ patientId: "tp", provenance: "AUTOMATIC", branchNumber: "01", vouchedBranches: [{ branch: "05", by: "adm", reason: REASON, candidate: candidateId }] });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "IDENTITY_LINK_CONFIRMED", patientId: "tp", actorId: "adm" } });
    expect(event.detail).toMatchObject({ candidate: candidateId, chosen: "tp", vouchedBranch: "05", overrideReason: REASON, before: { id: link.id, branchNumber: "01", vouchedBranches: [] }, after: { id: link.id, branchNumber: "01", vouchedBranches: [{ branch: "05", by: "adm" }] } });
    expect(await db.identityCandidate.findUniqueOrThrow({ where: { id: candidateId } })).toMatchObject({ status: "CONFIRMED", decidedBy: "adm", patientId: "tp" });
    expect(await fromHospital()).toEqual({ conditions: 5, labs: 4, documents: 1 });
    // the referral filed by the administrator's decision is theirs in the audit: searching by them finds it,
    // naming the hospital it came from (twin, the CLI's operator: ingest-fhir.test.ts)
    const { searchAudit } = await import("../lib/record");
    const filed = (await searchAudit(admin, { user: "adm", action: "RECORDS_IMPORTED" })).events;
    expect(filed.map((e) => e.patientId)).toEqual(["tp"]);
    expect(await db.auditEvent.findFirstOrThrow({ where: { action: "RECORDS_IMPORTED", actorId: "adm" } })).toMatchObject({ facilityId: "fA", detail: { sourceFacilityId: "fH" } });
    // the 07 results vouch for nothing: held again, with a new candidate of their own, body and all
    expect(await db.heldDocument.count({ where: { candidateId } })).toBe(0);
    const next = await db.identityCandidate.findFirstOrThrow({ where: { facilityId: "fH", status: "PENDING" } });
    expect(await db.heldDocument.findMany({ where: { candidateId: next.id }, select: { name: true } })).toEqual([{ name: "labs-07" }]);
  });

  it("a doctor with her consent sees the referral in her record: the letter, its allergies in the banner, its diagnoses", async () => {
    const { getPatientView } = await import("../lib/record");
    const view = await getPatientView(doctorB, "tp");
    expect(view.timeline.entries.some((e) => e.kind === "document" && e.facilityId === "fH")).toBe(true);
    expect(view.summary.banner.allergies.map((a) => a.display).sort()).toEqual(["さば", "キーウイ", "ヨードうがい液"].sort());
    expect(view.summary.problems.map((p) => p.display)).toContain("上腹部痛");
  });

  it("a later file with the vouched 05 files by itself; one with a 枝番 nobody vouched for (07) is still held", async () => {
    expect((await importFhirDocument(db, source, "labs-05", labsWithBranch("05", "labs-05"))).status).toBe("created");
    expect((await fromHospital()).labs).toBe(8);
    const other = await importFhirDocument(db, source, "labs-07", labsWithBranch("07", "labs-07"));
    expect(other.status).toBe("held");
    expect(other.reason).toContain("BRANCH_CONFLICT");
    expect((await fromHospital()).labs).toBe(8);
    const held = (await network.getIdentityReview(admin)).find((x) => x.localPatientId === "000999739")!;
    expect(held).toMatchObject({ branchConflict: { sent: "07", linked: ["01", "05"], vouched: ["05"] }, vouchBranch: "07" });
    // the link's own 枝番 and the vouched one are named apart, not as one list
    const { IdentityHeldReason } = await import("../components/IdentityHeldReason");
    const ja = renderToStaticMarkup(createElement(IdentityHeldReason, { c: held, t: messages.ja }));
    expect(ja).toContain("この施設の患者IDは枝番 01 の被保険者としてつながっています（確認により同一人物と記録された枝番: 05）が、保留中のファイルは枝番 07 を示しています。");
    const en = renderToStaticMarkup(createElement(IdentityHeldReason, { c: held, t: messages.en }));
    expect(en).toContain("linked as the insured person with branch number 01 (a review also accepted branch number 05 as the same person), but the held files give branch number 07");
    await network.decideIdentity(admin, { candidateId: held.id, decision: "reject" });
  });

  it("unlinking undoes the vouched 枝番 with the link: her record is exactly as before, and a file with 05 is held again", async () => {
    const u = await unlinkPatient(db, { facilityCode: "1318814790", localPatientId: "000999739", by: "adm", reason: "枝番05は家族の別人と判明" });
    expect(u).toMatchObject({ patientId: "tp", documents: 3 });
    expect(await recordSnapshot(db, "tp")).toBe(before);
    expect(await db.patientLink.count({ where: { facilityId: "fH" } })).toBe(0);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "IDENTITY_UNLINKED", patientId: "tp" } });
    expect(event.detail).toMatchObject({ before: { branchNumber: "01", vouchedBranches: [{ branch: "05", reason: REASON }] }, after: null });
    // held with the unlink's candidate, body and all (the 07 rejected earlier does not make it a rejected id)
    const again = await importFhirDocument(db, source, "labs-05-again", labsWithBranch("05", "labs-05-again"));
    expect(again).toMatchObject({ status: "held", reason: expect.stringContaining(u.candidate) });
    expect(await db.heldDocument.count({ where: { candidateId: u.candidate } })).toBe(4);
    expect(await recordSnapshot(db, "tp")).toBe(before);
  });
});

describe("decideLinkedConfirm (lib/access)", () => {
  const facts = { linkedPatientId: "tp", chosenPatientId: "tp", sentBranch: "０５", acceptedBranches: ["01"], reason: REASON };
  it("another patient than the link's is refused; the linked one is allowed (twins)", () => {
    expect(decideLinkedConfirm({ ...facts, chosenPatientId: "tp-other" })).toEqual({ allow: false, reason: "ALREADY_LINKED" });
    expect(decideLinkedConfirm(facts)).toEqual({ allow: true, vouch: "05" });
  });
  it("a new 枝番 without a reason of at least 5 characters is refused; with one, or a 枝番 already accepted, or none, is allowed (twins)", () => {
    expect(decideLinkedConfirm({ ...facts, reason: null })).toEqual({ allow: false, reason: "VOUCH_REASON_REQUIRED" });
    expect(decideLinkedConfirm({ ...facts, reason: " 確認 " })).toEqual({ allow: false, reason: "VOUCH_REASON_REQUIRED" });
    expect(decideLinkedConfirm({ ...facts, reason: null, acceptedBranches: ["01", "05"] })).toEqual({ allow: true, vouch: null });
    expect(decideLinkedConfirm({ ...facts, reason: null, sentBranch: null })).toEqual({ allow: true, vouch: null });
  });
});
