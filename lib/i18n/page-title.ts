import type { Metadata } from "next";
import { getMessages } from "./server";
import type { Messages } from "./messages";

/**
 * A page's generateMetadata: its title in the reader's language (the root layout's template adds
 * " — つなぐ"). Every page had the one title 「つなぐ Tsunagu」, so a clinician with several tabs, or a
 * screen reader announcing the page, could not tell them apart. Titles name the page, never the
 * patient: the browser's history and tab list keep them.
 */
export const titled =
  (pick: (t: Messages) => string) =>
  async (): Promise<Metadata> => ({ title: pick((await getMessages()).t) });
