// The names of the tests that failed, from Vitest's and Playwright's JSON reports, for the end of
// `npm test`'s output. A CI log is often read from its end only, and a count without names leaves a
// failure that does not come again on another machine unknown.
import fs from "node:fs";

const read = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null; // that runner did not run, or died before writing its report
  }
};

/** A message's first non-empty line, without terminal colours. */
const firstLine = (message) =>
  String(message ?? "")
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .map((l) => l.trim())
    .find(Boolean) ?? "";

function vitestFailures(report, root) {
  return (report?.testResults ?? []).flatMap((f) => {
    const file = f.name.startsWith(`${root}/`) ? f.name.slice(root.length + 1) : f.name;
    const tests = f.assertionResults.filter((a) => a.status === "failed").map((a) => `${file} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    // a file that failed before any of its tests ran (an import error, a hook) has no test to name
    return tests.length || f.status !== "failed" ? tests : [`${file}: ${firstLine(f.message)}`];
  });
}

function playwrightFailures(report) {
  const out = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== "unexpected" && t.status !== "flaky") continue;
        const error = t.results?.find((r) => r.error)?.error?.message;
        out.push(`${spec.file} › ${[...titles, spec.title].join(" › ")} (${t.status}): ${firstLine(error)}`);
      }
    }
    // the top suites are the files, already named by each spec
    for (const s of suite.suites ?? []) walk(s, [...titles, s.title]);
  };
  for (const s of report?.suites ?? []) walk(s, []);
  // what failed outside any test: a spec that could not load, the global setup
  for (const e of report?.errors ?? []) out.push(`${e.location?.file ? `${e.location.file}: ` : ""}${firstLine(e.message)}`);
  return out;
}

/** One line per failed test: "vitest: file › name: first line of its error", then Playwright's. */
export function failedTests(vitestJson, playwrightJson, root = process.cwd()) {
  return [...vitestFailures(read(vitestJson), root).map((f) => `vitest: ${f}`), ...playwrightFailures(read(playwrightJson)).map((f) => `playwright: ${f}`)];
}
