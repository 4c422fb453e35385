import { cookies } from "next/headers";
import { messages, type Locale, type Messages } from "./messages";

export const LOCALE_COOKIE = "lang";

/** The reader's language: Japanese unless they chose English. */
export async function getLocale(): Promise<Locale> {
  const v = (await cookies()).get(LOCALE_COOKIE)?.value;
  return v === "en" ? "en" : "ja";
}

export async function getMessages(): Promise<{ locale: Locale; t: Messages }> {
  const locale = await getLocale();
  return { locale, t: messages[locale] };
}
