import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { getMessages } from "@/lib/i18n/server";
import { Providers } from "@/components/Providers";

/** Each page names itself (lib/i18n/page-title), followed by the app's name in the reader's language. */
export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getMessages();
  return {
    title: { template: `%s — ${t.appName}`, default: "つなぐ Tsunagu" },
    description: "地域医療情報連携ネットワーク — shared patient record",
    robots: { index: false, follow: false },
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, t } = await getMessages();
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:bg-white focus:p-2">
          {t.skipToContent}
        </a>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
