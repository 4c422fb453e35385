import { redirect } from "next/navigation";
import { requireActor, workStart } from "@/lib/auth/actor";

/** Each user starts where their work is: clinicians at patient search, the desk at consent, administrators at accounts. */
export default async function Home() {
  const actor = await requireActor();
  redirect(workStart(actor));
}
