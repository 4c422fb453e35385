/**
 * The integer after an option (`--records 20000`), or the usage error that names the option and its
 * minimum: what every bench mode reads its numbers with.
 */
export function intAfter(argv: readonly string[], at: number, min: number, usage: (msg: string) => never): number {
  const n = Number(argv[at + 1]);
  if (!Number.isInteger(n) || n < min) usage(`${argv[at]} needs an integer ≥ ${min}`);
  return n;
}
