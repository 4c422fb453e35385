"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

/**
 * How long a query no screen uses stays in the client. In the browser, a minute: patient data is never
 * kept longer than the page needs it. On the server, where this component renders once per request
 * with a client of its own, never: a finite time is a timer per query, and a timer pins the async
 * context of the request that set it, and with it Next's whole response and the patient data in it.
 * With 60 s here, a heap snapshot of a server under the many-patient mix held 2,072 such timers and
 * the responses of as many past views, and its live heap grew by 30 MB a minute (issue 17).
 */
export const queryGcTime = (onServer = typeof window === "undefined") => (onServer ? Infinity : 60_000);

export function Providers({ children }: { children: ReactNode }) {
  // one client per browser tab (and per server render)
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, gcTime: queryGcTime(), retry: false } } }));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
