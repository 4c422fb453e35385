import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { accountFacilities, NotAdministratorError } from "@/lib/auth/user-admin";
import { CreateUserForm } from "@/components/CreateUserForm";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.admin.newUser);

/** A new account: the network administrator at any facility, a facility administrator at their own. */
export default async function NewUserPage() {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  let where;
  try {
    where = await accountFacilities(actor);
  } catch (e) {
    // refused: the page says so (HTTP status stays 200: authInterrupts/forbidden() is not enabled in next.config)
    if (e instanceof NotAdministratorError) return <p role="alert">{t.admin.refused}</p>;
    throw e;
  }
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-bold">{t.admin.newUser}</h1>
      <div className="rounded-lg border border-slate-300 bg-white p-4">
        <CreateUserForm locale={locale} facilities={where.facilities} ownFacilityOnly={where.ownFacilityOnly} />
      </div>
    </div>
  );
}
