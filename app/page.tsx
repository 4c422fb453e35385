import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/actor";
import { CLINICAL_PROFESSIONS } from "@/lib/access/decide";

/** Each user starts where their work is: clinicians at patient search, the desk at consent, administrators at accounts. */
export default async function Home() {
  const actor = await requireActor();
  if (CLINICAL_PROFESSIONS.includes(actor.profession)) redirect("/patients");
  redirect(actor.profession === "ADMIN" ? "/admin/users" : "/consents/new");
}
