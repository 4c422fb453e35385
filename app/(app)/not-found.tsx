import { getMessages } from "@/lib/i18n/server";
import { NotFoundMessage } from "@/components/NotFoundMessage";

/**
 * notFound() from a signed-in page (an unknown patient or document): it renders inside this group's
 * layout, whose <main> is already there; the root not-found's own <main> would nest in it.
 */
export default async function NotFound() {
  const { t } = await getMessages();
  return <NotFoundMessage t={t} />;
}
