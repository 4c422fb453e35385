import Link from "next/link";
import { getMessages } from "@/lib/i18n/server";

export default async function NotFound() {
  const { t } = await getMessages();
  return (
    <main id="main" className="mx-auto mt-16 max-w-xl rounded-lg border border-slate-300 bg-white p-6">
      <h1 className="text-xl font-bold">{t.notFound.title}</h1>
      <p className="mt-2">{t.notFound.patient}</p>
      <Link href="/patients" className="mt-4 inline-block text-blue-800 underline">
        {t.notFound.back}
      </Link>
    </main>
  );
}
