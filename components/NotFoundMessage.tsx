import Link from "next/link";
import type { Messages } from "@/lib/i18n/messages";

/** The "not found" card; its page decides whether it stands in a <main> of its own. */
export function NotFoundMessage({ t }: { t: Messages }) {
  return (
    <div className="mx-auto mt-16 max-w-xl rounded-lg border border-slate-300 bg-white p-6">
      <h1 className="text-xl font-bold">{t.notFound.title}</h1>
      <p className="mt-2">{t.notFound.patient}</p>
      <Link href="/patients" className="mt-4 inline-block text-blue-800 underline">
        {t.notFound.back}
      </Link>
    </div>
  );
}
