import { getMessages } from "@/lib/i18n/server";
import { NotFoundMessage } from "@/components/NotFoundMessage";

/** An unmatched URL: only the root layout is around this, so the page brings its own <main>. */
export default async function NotFound() {
  const { t } = await getMessages();
  return (
    <main id="main">
      <NotFoundMessage t={t} />
    </main>
  );
}
