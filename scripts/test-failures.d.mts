/** One line per failed test of the two runners' JSON reports (see test-failures.mjs). */
export function failedTests(vitestJson: string, playwrightJson: string, root?: string): string[];
