// The identity review screen (issue 16) over lib/ingest's review: the network administrator sees each
// held facility patient id beside the patient it may be, with what agrees and what differs, and
// confirms or rejects it; anyone else is refused and nothing is linked. On the real database, with
// the candidates made by importing the unmodified SS-MIX2 samples into a facility with no links.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Db } from "../lib/db/client";
import { compareIdentity } from "../lib/access/identity-match";

const FIXTURES = path.resolve(import.meta.dirname, "../../shared/fixtures/ssmix2/sampleData");
const admin = testActor("fA", "ADMIN", { userId: "adm", loginId: "adm" });
const doctor = testActor("fA", "DOCTOR", { userId: "doc", loginId: "doc" });
const halfway = testActor("fA", "ADMIN", { userId: "adm2", loginId: "adm2", mfa: false });
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
let decide: typeof import("../app/actions/identity-review-form").identityDecision;
let network: typeof import("../lib/network");
let candidateId: string;
const form = (fields: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  return fd;
};

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: "fA", code: "2210000001", name: "施設A", kind: "HOSPITAL" } });
  await db.facility.create({ data: { id: "fS", code: "2213000001", name: "登呂病院", kind: "HOSPITAL" } });
  const { importSsmix2Tree } = await import("../lib/ingest/ssmix2-tree");
  await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" });
  candidateId = (await db.identityCandidate.findFirstOrThrow({ where: { localPatientId: "9999013" } })).id;
  const who = (await db.identityCandidate.findUniqueOrThrow({ where: { id: candidateId } })).identity as Record<string, string>;
  // the same person at Tsunagu by kana, birth date and sex, but with another kanji spelling
  await db.patient.create({ data: { id: "tp1", familyName: "別字", givenName: "太郎", familyNameKana: who.familyNameKana!, givenNameKana: who.givenNameKana!, sex: who.sex as "MALE", birthDate: new Date(`${who.birthDate}T00:00:00Z`) } });
  decide = (await import("../app/actions/identity-review-form")).identityDecision;
  network = await import("../lib/network");
}, 120_000);
afterAll(async () => ctx?.close());

describe("who may review", () => {
  it("a clinician and a half-finished login are refused the queue and the decision, nothing is linked, and each refusal is audited", async () => {
    for (const who of [doctor, halfway]) {
      await expect(network.getIdentityReview(who)).rejects.toBeInstanceOf(network.FacilityAdminRefusedError);
      expect(await decide(who, form({ candidateId, decision: "confirm", patientId: "tp1" }))).toMatch(/error=(NOT_NETWORK_ADMINISTRATOR|LOGIN_INCOMPLETE)/);
    }
    expect(await db.patientLink.count({ where: { facilityId: "fS" } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "FACILITY_ADMIN_DENIED", actorId: { in: ["doc", "adm2"] } } })).toBe(4);
  });

  it("twin: the network administrator sees the queue, and reading it is audited", async () => {
    const list = await network.getIdentityReview(admin);
    expect(list.map((c) => c.localPatientId)).toContain("9999013");
    expect(await db.auditEvent.count({ where: { action: "IDENTITY_REVIEW_VIEW", actorId: "adm", patientId: null } })).toBe(1);
  });
});

describe("side by side, then a decision", () => {
  it("compares the facility's record with a named patient, marking what agrees and what differs", async () => {
    const c = (await network.getIdentityReview(admin, { candidateId, patientId: "tp1" })).find((x) => x.id === candidateId)!;
    expect(c.compared?.id).toBe("tp1");
    const agree = Object.fromEntries(c.compared!.rows.map((r) => [r.field, r.agree]));
    // the facility's patient master (ADT-00) gives her birth date, but two other held files give others
    // (the samples' own inconsistency): the birth date row is a disagreement, and the screen names them
    expect(agree).toMatchObject({ kana: true, birthDate: false, sex: true, name: false });
    expect(c).toMatchObject({ identityFrom: expect.stringContaining("/ADT-00/"), otherBirthDates: ["1965-04-15", "1970-04-05"], otherSexes: [] });
    // a look at that patient's identity and insurance numbers: recorded under her, so her access report shows it (review 5, M1)
    const look = await db.auditEvent.findFirstOrThrow({ where: { action: "IDENTITY_REVIEW_VIEW", actorId: "adm", patientId: "tp1" }, orderBy: { seq: "desc" } });
    expect(look.detail).toMatchObject({ what: "identity-review-compare", candidates: [candidateId], named: true });
    const missing = (await network.getIdentityReview(admin, { candidateId, patientId: "nobody" })).find((x) => x.id === candidateId)!;
    expect(missing).toMatchObject({ compared: null, namedMissing: true });
  });

  it("the held card names the insurer the ADT-00's IN1 gives (no 記号・番号 in it), in Japanese and English (review 12)", async () => {
    const c = (await network.getIdentityReview(admin, { candidateId, patientId: "tp1" })).find((x) => x.id === candidateId)!;
    expect(c.source.insured).toEqual({ insurerNumber: "67999991", symbol: null, number: null, branch: null });
    const { createElement } = await import("react");
    const { renderToStaticMarkup } = await import("react-dom/server");
    const { IdentitySent } = await import("../components/IdentitySent");
    const { messages } = await import("../lib/i18n/messages");
    const text = (locale: "ja" | "en") => renderToStaticMarkup(createElement(IdentitySent, { c, t: messages[locale], locale })).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    expect(text("ja")).toContain("保険者番号・被保険者番号-枝番 67999991（被保険者番号なし）");
    expect(text("en")).toContain("67999991 (no insured number)");
    // an insurer alone says nothing about who the person is: the comparison has no insured number to agree on
    expect(c.compared!.rows.find((r) => r.field === "insured")).toMatchObject({ source: null, agree: null });
  });

  it("confirming links the id with its provenance and audit, and the held files then file under that patient", async () => {
    expect(await decide(admin, form({ candidateId, decision: "confirm", patientId: "tp1" }))).toMatch(/error=IDENTITY_DIFFERS/);
    expect(await decide(admin, form({ candidateId, decision: "confirm", patientId: "tp1", overrideReason: "ADT-00 と保険証で本人確認。OMP-11/12・ADT-52 の生年月日は送信側の誤り" }))).toBe("/admin/identity?done=confirm&filed=0");
    const link = await db.patientLink.findFirstOrThrow({ where: { facilityId: "fS", localPatientId: "9999013" } });
    expect(link).toMatchObject({ patientId: "tp1", provenance: "CONFIRMED", confirmedBy: "adm" });
    // audited as the administrator who decided (their user and facility), the candidate's facility in the detail
    expect(await db.auditEvent.findFirstOrThrow({ where: { action: "IDENTITY_LINK_CONFIRMED", patientId: "tp1" } })).toMatchObject({ actorId: "adm", facilityId: "fA", purpose: "ADMINISTRATION", detail: { facilityId: "fS", chosen: "tp1" } });
    expect(await db.auditEvent.count({ where: { action: "IDENTITY_LINK_CONFIRMED", patientId: "tp1" } })).toBe(1);
    const { importSsmix2Tree } = await import("../lib/ingest/ssmix2-tree");
    await importSsmix2Tree(db, "2213000001", FIXTURES, { by: "test" });
    expect(await db.prescription.count({ where: { patientId: "tp1" } })).toBeGreaterThan(0);
    // decided once: a second decision is refused with the reason
    expect(await decide(admin, form({ candidateId, decision: "reject" }))).toBe("/admin/identity?error=ALREADY_DECIDED");
  });

  it("rejecting another candidate files nothing; confirming one with no patient to confirm as says so", async () => {
    // a second facility id waiting, with no suggestion (as an import of an unknown person leaves it)
    const other = await db.identityCandidate.create({ data: { id: "cand-other", facilityId: "fS", localPatientId: "1234567", status: "PENDING", identity: { localId: "1234567", familyNameKana: "テスト", givenNameKana: "ハナコ", birthDate: "1990-01-01", sex: "FEMALE" }, firstFile: "123/456/1234567/-/ADT-00/x", heldFiles: 1 } });
    expect(await decide(admin, form({ candidateId: other.id, decision: "confirm" }))).toBe("/admin/identity?error=NO_PATIENT");
    expect(await decide(admin, form({ candidateId: other.id, decision: "reject" }))).toBe("/admin/identity?done=reject");
    expect((await db.identityCandidate.findUniqueOrThrow({ where: { id: other.id } })).status).toBe("REJECTED");
    expect(await db.patientLink.count({ where: { facilityId: "fS", localPatientId: other.localPatientId } })).toBe(0);
    expect(await db.auditEvent.findFirstOrThrow({ where: { action: "IDENTITY_CANDIDATE_REJECTED", detail: { path: ["candidate"], equals: other.id } } })).toMatchObject({ actorId: "adm", facilityId: "fA", purpose: "ADMINISTRATION" });
  });

  it("an audit search by the administrator finds their decisions; a decision from the CLI is its operator's, under the candidate's facility (twin)", async () => {
    const { searchAudit } = await import("../lib/record");
    const found = await searchAudit(admin, { user: "adm", action: "IDENTITY_CANDIDATE_REJECTED" });
    expect(found.events.map((e) => e.action)).toEqual(["IDENTITY_CANDIDATE_REJECTED"]);
    const cli = await db.identityCandidate.create({ data: { id: "cand-cli", facilityId: "fS", localPatientId: "5555555", status: "PENDING", identity: { localId: "5555555" }, firstFile: "555/555/5555555/-/ADT-00/x", heldFiles: 0 } });
    const { rejectCandidate } = await import("../lib/ingest/identity-review");
    await rejectCandidate(db, cli.id, { by: "ops" });
    expect(await db.auditEvent.findFirstOrThrow({ where: { action: "IDENTITY_CANDIDATE_REJECTED", detail: { path: ["candidate"], equals: cli.id } } })).toMatchObject({ actorId: "review:ops", facilityId: "fS", purpose: null });
  });
});

describe("undoing a link from the screen", () => {
  let unlink: typeof import("../app/actions/identity-review-form").identityUnlink;
  beforeAll(async () => {
    unlink = (await import("../app/actions/identity-review-form")).identityUnlink;
  });
  const fields = { facilityCode: "２２１３０００００１", localPatientId: "9999013", reason: "別人の記録と判明（施設から連絡）", confirm: "yes" };

  it("a clinician is refused and the link stays; without the confirmation, a reason, or for an id that is not linked, it says why and nothing changes", async () => {
    expect(await unlink(doctor, form(fields))).toBe("/admin/identity?error=NOT_NETWORK_ADMINISTRATOR");
    expect(await unlink(admin, form({ ...fields, confirm: "" }))).toBe("/admin/identity?error=CONFIRM_REQUIRED");
    expect(await unlink(admin, form({ ...fields, reason: "誤り" }))).toBe("/admin/identity?error=UNLINK_REASON_REQUIRED");
    expect(await unlink(admin, form({ ...fields, localPatientId: "0000000" }))).toBe("/admin/identity?error=NO_SUCH_LINK");
    expect(await db.patientLink.count({ where: { facilityId: "fS", localPatientId: "9999013" } })).toBe(1);
  });

  it("twin: the network administrator undoes it (a full-width code is read); the records leave the patient and wait again, audited as them", async () => {
    expect(await db.prescription.count({ where: { patientId: "tp1" } })).toBeGreaterThan(0);
    const next = await unlink(admin, form(fields));
    expect(next).toMatch(/^\/admin\/identity\?done=unlink&unlinked=tp1&documents=\d+&records=\d+$/);
    expect(await db.patientLink.count({ where: { facilityId: "fS", localPatientId: "9999013" } })).toBe(0);
    expect(await db.prescription.count({ where: { patientId: "tp1" } })).toBe(0);
    expect(await db.identityCandidate.count({ where: { facilityId: "fS", localPatientId: "9999013", status: "PENDING" } })).toBe(1);
    expect(await db.auditEvent.findFirstOrThrow({ where: { action: "IDENTITY_UNLINKED", patientId: "tp1" } })).toMatchObject({ actorId: "adm", facilityId: "fA", purpose: "ADMINISTRATION", detail: { reason: fields.reason } });
  });
});

describe("a confirmation where birth date or sex differs", () => {
  it("is refused without the reviewer's reason, nothing linked; with it, linked and the reason audited (twin)", async () => {
    await db.patient.create({ data: { id: "tp2", familyName: "別人", givenName: "花子", familyNameKana: "ベツジン", givenNameKana: "ハナコ", sex: "FEMALE", birthDate: new Date("1981-05-05T00:00:00Z") } });
    await db.identityCandidate.create({ data: { id: "cand-differs", facilityId: "fS", localPatientId: "7654321", status: "PENDING", identity: { localId: "7654321", familyNameKana: "ベツジン", givenNameKana: "ハナコ", birthDate: "1965-04-15", sex: "FEMALE" }, firstFile: "765/432/7654321/-/OMP-11/x", heldFiles: 1 } });
    expect(await decide(admin, form({ candidateId: "cand-differs", decision: "confirm", patientId: "tp2" }))).toBe("/admin/identity?error=IDENTITY_DIFFERS&candidate=cand-differs&patient=tp2");
    expect(await decide(admin, form({ candidateId: "cand-differs", decision: "confirm", patientId: "tp2", overrideReason: "短い" }))).toMatch(/error=IDENTITY_DIFFERS/);
    expect(await db.patientLink.count({ where: { facilityId: "fS", localPatientId: "7654321" } })).toBe(0);
    expect(await decide(admin, form({ candidateId: "cand-differs", decision: "confirm", patientId: "tp2", overrideReason: "保険証と本人に電話で確認。施設の生年月日は入力誤り" }))).toBe("/admin/identity?done=confirm&filed=0");
    expect((await db.patientLink.findFirstOrThrow({ where: { facilityId: "fS", localPatientId: "7654321" } })).patientId).toBe("tp2");
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "IDENTITY_LINK_CONFIRMED", patientId: "tp2" } });
    expect(event.detail).toMatchObject({ differs: ["birthDate"], overrideReason: "保険証と本人に電話で確認。施設の生年月日は入力誤り" });
  });

  it("decideIdentityLink: birth date or sex differing is refused without a reason; names differing, or nothing said, is not (twins)", async () => {
    const { decideIdentityLink } = await import("../lib/access/identity-match");
    const rows = (over: Partial<Record<string, boolean | null>>) =>
      (["name", "kana", "birthDate", "sex", "insured"] as const).map((field) => ({ field, source: "a", patient: "b", agree: over[field] === undefined ? true : over[field]! }));
    expect(decideIdentityLink(rows({ birthDate: false }), null)).toMatchObject({ allow: false, reason: "IDENTITY_DIFFERS" });
    expect(decideIdentityLink(rows({ sex: false }), null)).toMatchObject({ allow: false });
    expect(decideIdentityLink(rows({ sex: false }), { reason: "本人確認済み、性別の登録誤り" })).toMatchObject({ allow: true, differs: ["sex"] });
    expect(decideIdentityLink(rows({ name: false, kana: false }), null)).toMatchObject({ allow: true });
    expect(decideIdentityLink(rows({ birthDate: null, sex: null }), null)).toMatchObject({ allow: true });
    // the card's numbers with 枝番: another 枝番 is another family member, so it too needs the reason (review 7, H2)
    expect(decideIdentityLink(rows({ insured: false }), null)).toMatchObject({ allow: false, reason: "IDENTITY_DIFFERS", differs: ["insured"] });
    expect(decideIdentityLink(rows({ insured: false }), { reason: "保険者に照会し本人と確認" })).toMatchObject({ allow: true, differs: ["insured"] });
    expect(decideIdentityLink(rows({ insured: null }), null)).toMatchObject({ allow: true });
  });
});

describe("compareIdentity", () => {
  const patient = { familyName: "山田", givenName: "太郎", familyNameKana: "ヤマダ", givenNameKana: "タロウ", birthDate: "1950-01-02", sex: "MALE", insurerNumber: "06123456", insuredNumber: "123", insuredBranch: "01" };
  it("agrees across full-width spaces, hiragana and half-width kana; a different branch differs", () => {
    const rows = compareIdentity({ familyName: "山田　", givenName: "太郎", familyNameKana: "やまだ", givenNameKana: "ﾀﾛｳ", birthDate: "1950-01-02", sex: "MALE", insured: { insurerNumber: "06123456", number: "123", branch: "02" } }, patient);
    expect(Object.fromEntries(rows.map((r) => [r.field, r.agree]))).toEqual({ name: true, kana: true, birthDate: true, sex: true, insured: false });
  });
  it("says nothing (neither agrees nor differs) where the facility gave nothing, and UNKNOWN sex is nothing", () => {
    const rows = compareIdentity({ familyNameKana: "ヤマダ", givenNameKana: "ハナコ", sex: "UNKNOWN" }, patient);
    expect(Object.fromEntries(rows.map((r) => [r.field, r.agree]))).toEqual({ name: null, kana: false, birthDate: null, sex: null, insured: null });
  });
});
