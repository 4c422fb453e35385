import { notFound } from "next/navigation";
import { FacilityAdminRefusedError, FacilityNotFoundError } from "@/lib/network";

/** A facility page's read, or why lib/access refused it (the page says so); a missing facility is the 404 page. */
export async function orRefusal<T>(read: () => Promise<T>): Promise<{ value: T } | { refused: string }> {
  try {
    return { value: await read() };
  } catch (e) {
    if (e instanceof FacilityAdminRefusedError) return { refused: e.reason };
    if (e instanceof FacilityNotFoundError) notFound();
    throw e;
  }
}
