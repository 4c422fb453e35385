"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { LOCALE_COOKIE } from "@/lib/i18n/server";

/** Switches the UI language; the value is checked, never stored as given. */
export async function setLocale(formData: FormData): Promise<void> {
  const locale = formData.get("locale") === "en" ? "en" : "ja";
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: 60 * 60 * 24 * 365 });
  revalidatePath("/", "layout");
}
