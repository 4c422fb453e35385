import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { Row } from "../components/Timeline";
import type { TimelineEntry } from "../lib/record/timeline";
import type { Locale } from "../lib/i18n/messages";

/**
 * A diagnosis its sender gave no date is filed at its document's time (lib/ingest), so it sits in the
 * timeline where that document does. The row says 発症日不明 and which document's date placed it, or
 * its place in the list would read as an onset (review 9, L5).
 */
const row = (id: string, datePrecision?: string): TimelineEntry => ({
  kind: "condition",
  id,
  occurredAt: "2021-11-04T15:30:00.000Z", // 2021-11-05 in Japan
  endedAt: null,
  facilityId: "fA",
  summary: `高血圧症 ${id}`,
  tag: "ACTIVE",
  ...(datePrecision ? { datePrecision } : {}),
  codes: [],
  detail: [],
});

const render = (entries: TimelineEntry[], locale: Locale) =>
  entries.map((e) => renderToStaticMarkup(createElement(Row, { e, systems: [], patientId: "p1", facilities: { fA: "県立病院" }, locale }))).join("");

describe("a timeline row without a date of its own", () => {
  it("says the onset is unknown and which document's date it sits at, in the viewer's language", () => {
    const ja = render([row("u", "NONE")], "ja");
    expect(ja).toContain("発症日不明");
    expect(ja).toContain("2021-11-05 の文書に記載");
    const en = render([row("u", "NONE")], "en");
    expect(en).toContain("onset unknown");
    expect(en).toContain("in a document of 2021-11-05");
  });

  it("twin: a dated row shows its date and names no document", () => {
    const html = render([row("d")], "ja");
    expect(html).toContain("2021-11-05");
    expect(html).not.toContain("発症日不明");
    expect(html).not.toContain("の文書に記載");
  });
});
