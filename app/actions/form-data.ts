import { outcomeOf } from "@/lib/record";

/** A text field of a submitted form, or undefined (missing, or a file). lib/* validates every value. */
export function formText(fd: FormData, name: string): string | undefined {
  const v = fd.get(name);
  return typeof v === "string" ? v : undefined;
}

/** Several text fields at once, by name. */
export function formTexts<K extends string>(fd: FormData, names: readonly K[]): Record<K, string | undefined> {
  return Object.fromEntries(names.map((n) => [n, formText(fd, n)])) as Record<K, string | undefined>;
}

/**
 * A typed lib/record error as a form shows it (lib/record's one mapping, outcomeOf): field errors
 * beside their fields, a refusal as the form's message, a missing record under `notFound`. Anything
 * else is a bug and is rethrown to the error boundary.
 */
export function formErrorsOf(e: unknown, notFound: { field: string; code: string }): Record<string, string> {
  const o = outcomeOf(e);
  if (!o) throw e;
  if (o.kind === "invalid") return o.fields;
  if (o.kind === "notFound") return { [notFound.field]: notFound.code };
  return { form: o.kind === "denied" ? o.reason : o.code };
}
