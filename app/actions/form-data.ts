/** A text field of a submitted form, or undefined (missing, or a file). lib/* validates every value. */
export function formText(fd: FormData, name: string): string | undefined {
  const v = fd.get(name);
  return typeof v === "string" ? v : undefined;
}

/** Several text fields at once, by name. */
export function formTexts<K extends string>(fd: FormData, names: readonly K[]): Record<K, string | undefined> {
  return Object.fromEntries(names.map((n) => [n, formText(fd, n)])) as Record<K, string | undefined>;
}
