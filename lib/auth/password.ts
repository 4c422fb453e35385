import { hash, verify } from "@node-rs/argon2";

// argon2id (Algorithm.Argon2id = 2) at the library's defaults: ~45 ms here, irreversible storage as
// the MHLW guideline requires.
const ARGON2ID = 2;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verifying against a fixed hash when the account does not exist keeps the response time the same,
// so timing does not reveal whether a login id exists.
let dummy: Promise<string> | undefined;
export async function burnVerifyTime(password: string): Promise<void> {
  dummy ??= hashPassword("tsunagu-no-such-account");
  await verifyPassword(await dummy, password);
}
