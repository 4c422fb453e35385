import { describe, expect, it } from "vitest";
import { medicationByMonth } from "../lib/record/medication-by-month";
import type { MedRow } from "../lib/record/medication";

/** The medication history by dispensing month and pharmacy (the オン資 薬剤情報 layout). */
const row = (x: Partial<MedRow> & Pick<MedRow, "prescriptionId" | "kind" | "facilityId" | "occurredAt">): MedRow => ({
  itemId: `${x.prescriptionId}-1`,
  status: "COMPLETED",
  stoppedAt: null,
  codeSystem: "YJ",
  code: "2171022F2025",
  display: "ノルバスク錠5mg",
  yjCode: "2171022F2025",
  days: 28,
  asNeeded: false,
  usageText: "1日1回朝食後",
  dose: 1,
  doseUnit: "錠",
  prescriberName: null,
  fillsId: null,
  ...x,
});

describe("medicationByMonth", () => {
  const rows = [
    // newest first, as readMedRows returns them; 2026-11-30T16:00Z is 12-01 in Japan
    row({ prescriptionId: "dsp-3", kind: "DISPENSE", facilityId: "ph-a", occurredAt: new Date("2026-11-30T16:00:00Z"), fillsId: "rx-3" }),
    row({ prescriptionId: "rx-3", kind: "PRESCRIPTION", facilityId: "hosp", occurredAt: new Date("2026-11-30T15:30:00Z"), prescriberName: "中村 健一" }),
    row({ prescriptionId: "dsp-2", kind: "DISPENSE", facilityId: "ph-b", occurredAt: new Date("2026-11-20T03:00:00Z"), fillsId: "rx-2", display: "アムロジン錠5mg" }),
    row({ prescriptionId: "rx-2", kind: "PRESCRIPTION", facilityId: "clinic", occurredAt: new Date("2026-11-20T02:00:00Z"), prescriberName: "佐々木 医師", display: "アムロジン錠5mg" }),
    row({ prescriptionId: "dsp-1", kind: "DISPENSE", facilityId: "ph-a", occurredAt: new Date("2026-11-10T03:00:00Z"), prescriberName: "外部 医師", display: "カロナール錠500" }),
    row({ prescriptionId: "rx-0", kind: "PRESCRIPTION", facilityId: "hosp", occurredAt: new Date("2026-10-05T03:00:00Z"), prescriberName: "中村 健一", display: "院内処方の薬" }),
  ];
  const months = medicationByMonth(rows);

  it("makes one block per dispensing month in Japan time, newest first, and a group per pharmacy", () => {
    expect(months.map((m) => m.month)).toEqual(["2026-12", "2026-11", "2026-10"]);
    expect(months[1]!.groups.map((g) => [g.facilityId, g.items.map((i) => i.display)])).toEqual([
      ["ph-b", ["アムロジン錠5mg"]],
      ["ph-a", ["カロナール錠500"]],
    ]);
  });

  it("names the prescriber through the prescription a dispense fills, else as the pharmacy recorded it", () => {
    expect(months[0]!.groups[0]!.items[0]).toMatchObject({ date: "2026-12-01", prescriberFacilityId: "hosp", prescriberName: "中村 健一" });
    const calonal = months[1]!.groups.find((g) => g.facilityId === "ph-a")!.items[0]!;
    expect(calonal).toMatchObject({ prescriberFacilityId: null, prescriberName: "外部 医師" });
  });

  it("lists a prescription no dispense fills under its own facility, and a filled one only once", () => {
    expect(months[2]!.groups).toEqual([{ facilityId: "hosp", kind: "PRESCRIPTION_ONLY", items: [expect.objectContaining({ display: "院内処方の薬", prescriberName: "中村 健一" })] }]);
    const all = months.flatMap((m) => m.groups.flatMap((g) => g.items.map((i) => i.id)));
    expect(all.sort()).toEqual(["dsp-1-1", "dsp-2-1", "dsp-3-1", "rx-0-1"]);
  });
});
