// The identity review when one facility id's held files give two 枝番 (review 7, H2 leftover), on the
// real database with the published JP-CLINS examples imported whole: hospital id 000999739 comes with
// 枝番 01 in the Observations Bundle and 05 in the referral and both Patient examples. The Observations
// file comes first, so it made the card, and 牧野 爛漫 as Tsunagu knows her has 05. The card compares
// each 枝番 on its own, with how many held files carry it, the one where every item agrees first; what
// the reviewer confirms is the 枝番 they read, and a disagreeing 枝番 still needs a written reason.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testActor } from "./helpers/actor";
import { formOf as form } from "./helpers/form";
import { filedFromHospital, jpClinsReview, REFERRAL } from "./helpers/jp-clins";
import type { Db } from "../lib/db/client";
import { messages } from "../lib/i18n/messages";
import { importFhirPath } from "../lib/ingest/fhir-files";

const JP_CLINS = path.dirname(REFERRAL);
const admin = testActor("fA", "ADMIN", { userId: "adm", loginId: "adm" });
let ctx: Awaited<ReturnType<typeof jpClinsReview>>["ctx"];
let db: Db;
let decide: typeof import("../app/actions/identity-review-form").identityDecision;
let network: typeof import("../lib/network");
let IdentityComparison: typeof import("../components/IdentityComparison").IdentityComparison;
const cardOf = async () => (await network.getIdentityReview(admin)).filter((c) => c.localPatientId === "000999739");
const agreement = (rows: { field: string; agree: boolean | null }[]) => Object.fromEntries(rows.map((r) => [r.field, r.agree]));
const fromHospital = () => filedFromHospital(db);

beforeAll(async () => {
  ({ ctx, db, decide, network } = await jpClinsReview("05"));
  IdentityComparison = (await import("../components/IdentityComparison")).IdentityComparison;
  // the Observations Bundle (01) comes first and raises the card; the 05 files then wait with it
  expect((await importFhirPath(db, "1318814790", JP_CLINS, { by: "test" })).counts).toMatchObject({ created: 0, held: 4 });
}, 120_000);
afterAll(async () => ctx?.close());

describe("a held id whose files give two 枝番", () => {
  it("the card compares each 枝番 with how many held files carry it, the one where every item agrees first", async () => {
    const [c, ...more] = await cardOf();
    expect(more).toEqual([]);
    expect(c).toMatchObject({ heldFiles: 4, identityFrom: "Bundle-Bundle-CLINS-Observations-Example-01.json", suggestedPatientId: "tp" });
    expect(c!.comparisons.map((x) => [x.branch, x.files, x.reasonNeeded])).toEqual([
      ["05", 3, false],
      ["01", 1, true],
    ]);
    expect(agreement(c!.comparisons[0]!.rows)).toEqual({ name: true, kana: true, birthDate: true, sex: true, insured: true });
    expect(agreement(c!.comparisons[1]!.rows)).toEqual({ name: true, kana: true, birthDate: true, sex: true, insured: false });
    expect(c!.comparisons[1]).toMatchObject({ from: "Bundle-Bundle-CLINS-Observations-Example-01.json", rows: expect.arrayContaining([{ field: "insured", source: "00012345 187-01", patient: "00012345 187-05", agree: false }]) });
    // the best one is what the card leads with
    expect(c!.compared).toBe(c!.comparisons[0]);

    // as the reviewer reads it, in both languages: 05 first, each with its count and its own confirmation
    const ja = renderToStaticMarkup(createElement("div", null, ...c!.comparisons.map((cmp) => createElement(IdentityComparison, { key: cmp.branch, c: c!, cmp, elsewhere: false, t: messages.ja, locale: "ja" }))));
    expect(ja.indexOf("枝番 05：保留中のファイル 3 件")).toBeGreaterThan(-1);
    expect(ja.indexOf("枝番 05：保留中のファイル 3 件")).toBeLessThan(ja.indexOf("枝番 01：保留中のファイル 1 件"));
    expect(ja).toContain("枝番 05 を患者 tp として確定する");
    expect(ja).toContain("枝番 01 を患者 tp として確定する");
    // only the disagreeing 枝番 asks for the reason
    expect(ja.match(/name="overrideReason"/g)).toHaveLength(1);
    expect(ja.indexOf('name="overrideReason"')).toBeGreaterThan(ja.indexOf("枝番 01：保留中のファイル 1 件"));
    const en = renderToStaticMarkup(createElement(IdentityComparison, { c: c!, cmp: c!.comparisons[0]!, elsewhere: false, t: messages.en, locale: "en" }));
    expect(en).toContain("Branch number 05: 3 held files");
    expect(en).toContain("Confirm branch number 05 as patient tp");
  });

  it("confirming the disagreeing 枝番 still needs the written reason, and a 枝番 no held file gives is refused: nothing is linked", async () => {
    const [c] = await cardOf();
    expect(await decide(admin, form({ candidateId: c!.id, decision: "confirm", patientId: "tp", branch: "01" }))).toBe(`/admin/identity?error=IDENTITY_DIFFERS&candidate=${c!.id}&patient=tp`);
    expect(await decide(admin, form({ candidateId: c!.id, decision: "confirm", patientId: "tp", branch: "07", overrideReason: "保険証で本人と確認した" }))).toBe(`/admin/identity?error=NO_SUCH_BRANCH&candidate=${c!.id}&patient=tp`);
    expect(await db.patientLink.count({ where: { facilityId: "fH" } })).toBe(0);
    expect(await fromHospital()).toEqual({ conditions: 0, labs: 0 });
  });

  it("twin: confirming the 枝番 where every item agrees needs no reason; its files are filed, and the 01 file waits on its own card", async () => {
    const [c] = await cardOf();
    expect(await decide(admin, form({ candidateId: c!.id, decision: "confirm", patientId: "tp", branch: "０５" }))).toBe("/admin/identity?done=confirm&filed=3&held=1&sent=01&linked=05");
    expect(await db.patientLink.findFirstOrThrow({ where: { facilityId: "fH" } })).toMatchObject({ patientId: "tp", provenance: "CONFIRMED", branchNumber: "05", confirmedBy: "adm" });
    expect(await fromHospital()).toEqual({ conditions: 5, labs: 0 });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "IDENTITY_LINK_CONFIRMED", actorId: "adm" } });
    expect(event.detail).toMatchObject({ candidate: c!.id, chosen: "tp", differs: [], after: { branchNumber: "05" } });
    expect(event.detail).not.toHaveProperty("overrideReason");
    // the 01 file alone: one comparison, the 枝番 conflict with the new link, and the vouching reason to give
    const [rest, ...more] = await cardOf();
    expect(more).toEqual([]);
    expect(rest).toMatchObject({ heldFiles: 1, branchConflict: { sent: "01", linked: ["05"] }, vouchBranch: "01" });
    expect(rest!.comparisons.map((x) => [x.branch, x.files])).toEqual([[null, null]]);
  });
});
