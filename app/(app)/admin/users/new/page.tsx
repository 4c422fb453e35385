import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { facilityDirectory } from "@/lib/record";
import { CreateUserForm } from "@/components/CreateUserForm";

export default async function NewUserPage() {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  if (actor.profession !== "ADMIN") return <p role="alert">{t.admin.refused}</p>;
  const facilities = Object.entries(await facilityDirectory()).map(([id, name]) => ({ id, name }));
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-bold">{t.admin.newUser}</h1>
      <div className="rounded-lg border border-slate-300 bg-white p-4">
        <CreateUserForm locale={locale} facilities={facilities} />
      </div>
    </div>
  );
}
