// A server render must leave nothing behind that holds the request: a pending timer keeps the async
// context of the request that set it alive, and with it Next's response and the patient data rendered
// (a heap snapshot under load held 2,072 react-query garbage-collection timers, each pinning a past
// view for a minute; issue 17's rule: patient data does not outlive its request in server memory).
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { expect, it } from "vitest";
import { Providers, queryGcTime } from "../components/Providers";

const pendingTimers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

/** A screen with a query holding a record, as the timeline's does (its first page comes with the HTML). */
function Probe() {
  const q = useQuery({ queryKey: ["timeline", "pat-0001"], queryFn: async () => "アムロジン錠5mg", initialData: "アムロジン錠5mg" });
  return createElement("p", null, q.data);
}

it("the app's providers render a screen with a query on the server and leave no timer behind", () => {
  const before = pendingTimers();
  const html = renderToString(createElement(Providers, null, createElement(Probe)));
  expect(html).toContain("アムロジン錠5mg");
  expect(pendingTimers()).toBe(before);
});

it("twin: a client that keeps unused queries for a minute, as the browser's does, leaves a timer per query on the server", () => {
  expect(queryGcTime(false)).toBe(60_000);
  const before = pendingTimers();
  const client = new QueryClient({ defaultOptions: { queries: { gcTime: queryGcTime(false) } } });
  const wrap = (children: ReactNode) => createElement(QueryClientProvider, { client }, children);
  renderToString(wrap(createElement(Probe)));
  expect(pendingTimers()).toBe(before + 1);
  client.clear(); // removes the query and its timer
  expect(pendingTimers()).toBe(before);
});
