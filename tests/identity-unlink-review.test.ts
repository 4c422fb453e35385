// The identity review after つながりの解除 (review 4, F14), on the real database with the published
// JP-CLINS examples: the referral (枝番 05) links 牧野 爛漫 automatically, the Observations Bundle
// (枝番 01) waits on a 枝番 conflict. The administrator undoes the link. The facility id then waits on
// one card, which shows what its files say (not 「情報なし」) and a suggestion, and no longer claims a
// link that is gone. Confirming it records the 枝番 it stands for on the new link, files what that
// allows and says exactly why the rest waits; the rest is then confirmed with the vouching reason.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { messages } from "../lib/i18n/messages";
import { importFhirPath } from "../lib/ingest/fhir-files";
import { currentConflict } from "../lib/ingest/patient-identity";
import { formOf as form } from "./helpers/form";
import { filedFromHospital, jpClinsReview, OBSERVATIONS, REFERRAL } from "./helpers/jp-clins";

const admin = testActor("fA", "ADMIN", { userId: "adm", loginId: "adm" });
const REASON = "保険証の再交付で枝番が05から01に変わったことを本人に確認";
let ctx: Awaited<ReturnType<typeof jpClinsReview>>["ctx"];
let db: Db;
let decide: typeof import("../app/actions/identity-review-form").identityDecision;
let network: typeof import("../lib/network");
let IdentityHeldReason: typeof import("../components/IdentityHeldReason").IdentityHeldReason;
let candidateId: string;
const cardsOf = async (localPatientId: string) => (await network.getIdentityReview(admin)).filter((c) => c.localPatientId === localPatientId);
const fromHospital = () => filedFromHospital(db);

beforeAll(async () => {
  // as the demo's pat-9001: the examples' person with 枝番 05, so the referral links automatically
  ({ ctx, db, decide, network } = await jpClinsReview("05"));
  IdentityHeldReason = (await import("../components/IdentityHeldReason")).IdentityHeldReason;
}, 120_000);
afterAll(async () => ctx?.close());

describe("after つながりの解除", () => {
  it("the id waits on one card that shows what its files say, with a suggestion, and no 枝番 reason about the link that is gone", async () => {
    expect((await importFhirPath(db, "1318814790", REFERRAL, { by: "test" })).counts).toMatchObject({ created: 1 });
    expect((await importFhirPath(db, "1318814790", OBSERVATIONS, { by: "test" })).counts).toMatchObject({ held: 1 });
    const [held] = await cardsOf("000999739");
    expect(held).toMatchObject({ branchConflict: { sent: "01", linked: ["05"] }, linkedPatientId: "tp" });
    candidateId = held!.id;

    expect(await network.unlinkIdentity(admin, { facilityCode: "1318814790", localPatientId: "000999739", reason: "別人の記録と判明したため" })).toEqual({ patientId: "tp", documents: 1, records: 9 });
    expect(await fromHospital()).toEqual({ conditions: 0, labs: 0 });
    const cards = await cardsOf("000999739");
    // one card: the referral the unlink took back joined the Observations file already waiting
    expect(cards.map((c) => c.id)).toEqual([candidateId]);
    const c = cards[0]!;
    expect(c).toMatchObject({ heldFiles: 2, alsoWaiting: 0, conflict: null, branchConflict: null, linkedPatientId: null, vouchBranch: null, unlinkedFrom: "tp", unlinkReason: "別人の記録と判明したため", otherBranches: ["05"], suggestedPatientId: "tp" });
    expect(await db.heldDocument.count({ where: { candidateId } })).toBe(2);
    // what the files say beside the suggestion, not 「情報なし」, 枝番 by 枝番: the referral's 05 agrees in
    // every item and comes first; the Observations file's 01 agrees in all but the 枝番 (review 7, H2)
    expect(c.comparisons.map((x) => [x.branch, x.files, x.rows.map((r) => [r.field, r.source, r.agree])])).toEqual([
      ["05", 1, [["name", "牧野 爛漫", true], ["kana", "マキノ ランマン", true], ["birthDate", "1930-06-28", true], ["sex", "FEMALE", true], ["insured", "00012345 187-05", true]]],
      ["01", 1, [["name", "牧野 爛漫", true], ["kana", "マキノ ランマン", true], ["birthDate", "1930-06-28", true], ["sex", "FEMALE", true], ["insured", "00012345 187-01", false]]],
    ]);
    expect(renderToStaticMarkup(createElement(IdentityHeldReason, { c, t: messages.ja }))).toBe("");
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "IDENTITY_UNLINKED", patientId: "tp" } });
    expect(event).toMatchObject({ actorId: "adm", detail: { candidate: candidateId, joinedCandidate: true, suggested: "tp" } });
  });

  it("confirming it records the card's own 枝番 on the new link, files what that allows, and says exactly why the rest waits", async () => {
    // the reviewer confirms the 01 comparison: not the patient's 05, so another member of the family until they say why not (review 7, H2)
    expect(await decide(admin, form({ candidateId, decision: "confirm", patientId: "tp", branch: "01" }))).toBe(`/admin/identity?error=IDENTITY_DIFFERS&candidate=${candidateId}&patient=tp`);
    expect(await fromHospital()).toEqual({ conditions: 0, labs: 0 });
    const next = await decide(admin, form({ candidateId, decision: "confirm", patientId: "tp", branch: "01", overrideReason: REASON }));
    expect(next).toBe("/admin/identity?done=confirm&filed=1&held=1&sent=05&linked=01");
    expect(await db.patientLink.findFirstOrThrow({ where: { facilityId: "fH" } })).toMatchObject({ patientId: "tp", provenance: "CONFIRMED", branchNumber: "01", confirmedBy: "adm" });
    const confirmed = await db.auditEvent.findFirstOrThrow({ where: { action: "IDENTITY_LINK_CONFIRMED", actorId: "adm" } });
    expect(confirmed.detail).toMatchObject({ candidate: candidateId, chosen: "tp", before: null, after: { branchNumber: "01" } });
    // the Observations Bundle (枝番 01) is filed, by the administrator; the referral (05) is not
    expect(await fromHospital()).toEqual({ conditions: 0, labs: 4 });
    expect(await db.auditEvent.count({ where: { action: "RECORDS_IMPORTED", actorId: "adm", patientId: "tp" } })).toBe(1);
    const sp = new URLSearchParams(next.split("?")[1]);
    const said = { filed: Number(sp.get("filed")), held: Number(sp.get("held")), sent: sp.get("sent"), linked: sp.get("linked"), notFiled: 0 };
    expect(messages.ja.identityRequeue.confirmed(said)).toContain("確定しました。保留していた送信記録 1 件を登録しました。1 件は枝番 05 を示しており、このつながりの枝番 01 と異なるため登録していません。");
    expect(messages.en.identityRequeue.confirmed(said)).toContain("1 gives branch number 05, not this link's 01, so it is not filed");
    // the referral waits on a new card whose reason names the link as it is
    const cards = await cardsOf("000999739");
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ branchConflict: { sent: "05", linked: ["01"] }, linkedPatientId: "tp", vouchBranch: "05", compared: { id: "tp" } });
    expect((await db.identityCandidate.findUniqueOrThrow({ where: { id: cards[0]!.id } })).identity).toMatchObject({ conflict: "BRANCH_CONFLICT: 枝番 05 under id 000999739, whose link is 枝番 01" });
    expect(renderToStaticMarkup(createElement(IdentityHeldReason, { c: cards[0]!, t: messages.ja }))).toContain("この施設の患者IDは枝番 01 の被保険者としてつながっていますが、保留中のファイルは枝番 05 を示しています。");
  });

  it("the referral is confirmed only with the vouching reason, as before the unlink; then it is filed and the link accepts 05", async () => {
    const [c] = await cardsOf("000999739");
    expect(await decide(admin, form({ candidateId: c!.id, decision: "confirm", patientId: "tp" }))).toBe(`/admin/identity?error=VOUCH_REASON_REQUIRED&candidate=${c!.id}&patient=tp`);
    expect(await fromHospital()).toEqual({ conditions: 0, labs: 4 });
    expect(await decide(admin, form({ candidateId: c!.id, decision: "confirm", patientId: "tp", overrideReason: REASON }))).toBe("/admin/identity?done=confirm&filed=1");
    expect(await fromHospital()).toEqual({ conditions: 5, labs: 4 });
    expect(await db.patientLink.findFirstOrThrow({ where: { facilityId: "fH" } })).toMatchObject({ branchNumber: "01", vouchedBranches: [{ branch: "05", by: "adm", reason: REASON }] });
    expect(await cardsOf("000999739")).toEqual([]);
  });

  it("an unlink with no card waiting raises one that shows its files' person and a suggestion", async () => {
    expect(await network.unlinkIdentity(admin, { facilityCode: "1318814790", localPatientId: "000999739", reason: "もう一度確認するため" })).toMatchObject({ documents: 2 });
    const cards = await cardsOf("000999739");
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ heldFiles: 2, branchConflict: null, unlinkedFrom: "tp", suggestedPatientId: "tp", compared: { id: "tp" }, source: { familyName: "牧野", familyNameKana: "マキノ", birthDate: "1930-06-28", sex: "FEMALE" } });
    expect(cards[0]!.compared!.rows.every((r) => r.source !== null)).toBe(true);
    expect(await fromHospital()).toEqual({ conditions: 0, labs: 0 });
  });
});

describe("a 枝番 reason is read from the links as they are now", () => {
  it("a card held on a link since undone (kept from before this was fixed) shows no conflict, and confirming records its 枝番 on the new link", async () => {
    await db.identityCandidate.create({
      data: {
        id: "cand-stale", facilityId: "fB", localPatientId: "B-7", status: "PENDING", firstFile: "api:x", heldFiles: 1, suggestedPatientId: "tp",
        identity: { localId: "B-7", familyNameKana: "マキノ", givenNameKana: "ランマン", birthDate: "1930-06-28", sex: "FEMALE", insured: { insurerNumber: "00012345", number: "187", branch: "０２" }, conflict: "BRANCH_CONFLICT: 枝番 02 under id B-7, whose link is 枝番 03", branchConflict: { sent: "02", linked: ["03"] } },
      },
    });
    const [c] = await cardsOf("B-7");
    expect(c).toMatchObject({ conflict: null, branchConflict: null, linkedPatientId: null, vouchBranch: null });
    // no held pushed document: the confirmation still says what it did
    expect(await decide(admin, form({ candidateId: "cand-stale", decision: "confirm", patientId: "tp", overrideReason: "保険証の枝番02の本人と確認" }))).toBe("/admin/identity?done=confirm&filed=0");
    expect(messages.ja.identityRequeue.confirmed({ filed: 0, held: 0, sent: null, linked: null, notFiled: 0 })).toContain("確定しました。保留していた送信記録はありません。");
    expect(await db.patientLink.findFirstOrThrow({ where: { facilityId: "fB", localPatientId: "B-7" } })).toMatchObject({ patientId: "tp", branchNumber: "02" });
  });

  it("currentConflict: no link, or a link that accepts the 枝番 now, leaves no conflict; a link that does not names what it accepts now (twins)", () => {
    const held = { conflict: "BRANCH_CONFLICT: 枝番 01 under id X, whose link is 枝番 05", branchConflict: { sent: "01", linked: ["05"] } };
    const link = (branchNumber: string | null, vouched: string[] = [], insuredBranch: string | null = null) => ({ branchNumber, vouchedBranches: vouched.map((branch) => ({ branch, by: "a", at: "", reason: "r", candidate: "c" })), patient: { insuredBranch } });
    expect(currentConflict(held, null)).toEqual({ conflict: null, branchConflict: null });
    expect(currentConflict(held, link("05", ["01"]))).toEqual({ conflict: null, branchConflict: null });
    expect(currentConflict(held, link("05", ["07"]))).toEqual({ conflict: held.conflict, branchConflict: { sent: "01", linked: ["05", "07"], vouched: ["07"] } });
    expect(currentConflict(held, link(null, [], "03"))).toEqual({ conflict: held.conflict, branchConflict: { sent: "01", linked: ["03"] } });
    // a candidate held for no 枝番 reason keeps its reason whatever the link
    expect(currentConflict({ conflict: "OTHER" }, null)).toEqual({ conflict: "OTHER", branchConflict: null });
  });
});
