import { cookies } from "next/headers";
import { messages, type Locale, type Messages } from "./messages";

import { LOCALE_COOKIE } from "./locale-cookie";
export { LOCALE_COOKIE };

/** The reader's language: Japanese unless they chose English. */
export async function getLocale(): Promise<Locale> {
  const v = (await cookies()).get(LOCALE_COOKIE)?.value;
  return v === "en" ? "en" : "ja";
}

export async function getMessages(): Promise<{ locale: Locale; t: Messages }> {
  const locale = await getLocale();
  return { locale, t: messages[locale] };
}
