import { setLocale } from "@/app/actions/locale";
import type { Locale, Messages } from "@/lib/i18n/messages";

export function LanguageSwitch({ locale, t }: { locale: Locale; t: Messages }) {
  return (
    <form action={setLocale}>
      <input type="hidden" name="locale" value={locale === "ja" ? "en" : "ja"} />
      <button type="submit" className="whitespace-nowrap rounded border border-slate-400 px-2 py-1 text-sm text-slate-800 hover:bg-slate-100" lang={locale === "ja" ? "en" : "ja"} aria-label={`${t.language}: ${t.switchTo}`}>
        {t.switchTo}
      </button>
    </form>
  );
}
