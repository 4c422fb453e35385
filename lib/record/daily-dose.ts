/**
 * The daily amount of a medicine's ingredient, for warnings that must say how much of one ingredient
 * the patient gets in all ("アムロジピン 合計 10mg/日").
 *
 * An item's dose is the 1回量 (as the network's sources and the seed record it: "1回1錠 1日1回朝食後"),
 * so the daily amount is dose × the 1日N回 of its usage. A dose counted in units (錠, カプセル, 枚) is
 * turned into the ingredient by the strength in the product's name (ノルバスク錠5mg: 5 mg a tablet); a
 * dose in mg or μg is the ingredient already; a powder in g needs its % (カロナール細粒20%: 0.5 g = 100
 * mg). Anything not read without doubt (no dose, no 1日N回, a weekly drug, a 配合錠 with no single
 * strength) has no daily amount, and the warning says why rather than print a wrong sum.
 */
export type NoDailyDose = "AS_NEEDED" | "NOT_DAILY" | "NO_DOSE";
export type DailyDose = { ok: true; amount: number; unit: string; ofIngredient: boolean } | { ok: false; reason: NoDailyDose };
/** why amounts cannot be added: one has none, they are in different units, or by different routes */
export type CombinedDose = { ok: true; amount: number; unit: string } | { ok: false; reason: NoDailyDose | "UNITS" | "ROUTES" };

const KANJI_DIGITS: Record<string, string> = { 一: "1", 二: "2", 三: "3", 四: "4", 五: "5", 六: "6" };
const normal = (s: string) => s.normalize("NFKC").replace(/[一二三四五六]/g, (c) => KANJI_DIGITS[c]!);

/** 1日3回毎食後 → 3; null when the usage states no daily count */
export function timesPerDay(usageText: string | null): number | null {
  const m = usageText ? /1\s*日\s*(\d+)\s*回/.exec(normal(usageText)) : null;
  return m ? Number(m[1]) : null;
}

const MASS: Record<string, { unit: string; factor: number }> = { mg: { unit: "mg", factor: 1 }, g: { unit: "mg", factor: 1000 }, μg: { unit: "μg", factor: 1 }, ug: { unit: "μg", factor: 1 } };

/** ノルバスク錠5mg → 5 mg a unit; null when the name states no strength (ブロプレス錠8, a 配合錠) */
export function strengthOf(display: string): { amount: number; unit: string } | null {
  const found = [...normal(display).matchAll(/(\d+(?:\.\d+)?)\s*(mg|μg|ug|g)(?![A-Za-z])/gi)];
  if (found.length !== 1) return null; // none, or a combination product with several
  const mass = MASS[found[0]![2]!.toLowerCase()]!;
  return { amount: Number(found[0]![1]) * mass.factor, unit: mass.unit };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** `notDaily`: the usage states a weekly or other cycle (medication.ts dosingCycle), so no daily amount */
export function dailyDose(m: { display: string; dose: number | null; doseUnit: string | null; usageText: string | null; asNeeded: boolean; notDaily: boolean }): DailyDose {
  if (m.asNeeded) return { ok: false, reason: "AS_NEEDED" };
  if (m.notDaily) return { ok: false, reason: "NOT_DAILY" };
  const times = timesPerDay(m.usageText);
  if (m.dose === null || times === null) return { ok: false, reason: "NO_DOSE" };
  const perDay = m.dose * times;
  const unit = normal(m.doseUnit ?? "");
  const mass = MASS[unit.toLowerCase()];
  const percent = /(\d+(?:\.\d+)?)\s*%/.exec(normal(m.display));
  if (mass && unit.toLowerCase() === "g") {
    // a powder's g is the product's weight: the ingredient only by its %
    return percent ? { ok: true, amount: round((perDay * 1000 * Number(percent[1])) / 100), unit: "mg", ofIngredient: true } : { ok: true, amount: round(perDay), unit, ofIngredient: false };
  }
  if (mass) return { ok: true, amount: round(perDay * mass.factor), unit: mass.unit, ofIngredient: true };
  const strength = strengthOf(m.display);
  if (strength) return { ok: true, amount: round(perDay * strength.amount), unit: strength.unit, ofIngredient: true };
  return { ok: true, amount: round(perDay), unit, ofIngredient: false };
}

/**
 * The sum of one ingredient's daily amounts across products, when they can be added: each known, all
 * of the ingredient (not 2錠 of one strength and 1錠 of another), in one unit, by one route.
 */
export function combinedDailyDose(doses: readonly DailyDose[], sameRoute: boolean): CombinedDose {
  if (!sameRoute) return { ok: false, reason: "ROUTES" };
  const missing = doses.find((d) => !d.ok);
  if (missing && !missing.ok) return { ok: false, reason: missing.reason };
  const known = doses.filter((d) => d.ok);
  const units = new Set(known.map((d) => d.unit));
  if (units.size !== 1 || known.some((d) => !d.ofIngredient)) return { ok: false, reason: "UNITS" };
  return { ok: true, amount: round(known.reduce((s, d) => s + d.amount, 0)), unit: known[0]!.unit };
}
