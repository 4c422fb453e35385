import { hash, verify } from "@node-rs/argon2";

/**
 * argon2id with its parameters pinned, not left to the library's defaults (which were m=4 MiB, t=3
 * and may change with a release): OWASP's minimum for argon2id, 19 MiB of memory, 2 passes, one
 * lane. Irreversible storage, as the MHLW guideline requires.
 */
export const ARGON2ID_PARAMS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/** argon2 version 1.3, the only one @node-rs/argon2 writes */
const ARGON2_VERSION = 19;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID_PARAMS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/**
 * Whether a stored hash is weaker than the pinned parameters (another algorithm, an older version,
 * less memory or fewer passes): login rewrites such a hash while it has the password in hand. A
 * hash that is at least as strong is left alone. Reads the PHC string `$argon2id$v=19$m=…,t=…,p=…$…`.
 */
export function needsRehash(stored: string): boolean {
  const m = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (!m) return true;
  const [, algorithm, version, memory, time] = m;
  return algorithm !== "argon2id" || Number(version) !== ARGON2_VERSION || Number(memory) < ARGON2ID_PARAMS.memoryCost || Number(time) < ARGON2ID_PARAMS.timeCost;
}

// Verifying against a fixed hash when the account does not exist keeps the response time the same,
// so timing does not reveal whether a login id exists.
let dummy: Promise<string> | undefined;
export async function burnVerifyTime(password: string): Promise<void> {
  dummy ??= hashPassword("tsunagu-no-such-account");
  await verifyPassword(await dummy, password);
}
