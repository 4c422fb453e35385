"use client";

import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * false on the server and while hydrating, true once the browser has taken over. The 統合ビュー draws
 * its record map and timeline rows only then: they come in the page's props anyway (the client needs
 * them to filter and page), and drawing them on the server too sent every row twice, as markup and as
 * props — half the heavy page's bytes (issue 17). The summary above them stays server-drawn.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
