"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser tab; patient data is never kept longer than the page needs it.
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, gcTime: 60_000, retry: false } } }));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
