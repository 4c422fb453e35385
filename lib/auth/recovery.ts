import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Tx } from "../db/client";

/** Ten one-time codes, shown once at enrolment. 50 bits each: a fast hash is enough for that entropy. */
const COUNT = 10;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i

export const hashRecoveryCode = (code: string) => createHash("sha256").update(code.toLowerCase().replace(/[^a-z0-9]/g, "")).digest("hex");

function newCode(): string {
  const b = randomBytes(10);
  const chars = [...b].map((x) => ALPHABET[x % ALPHABET.length]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Replaces the user's recovery codes; returns the new ones in clear (to show once). */
export async function issueRecoveryCodes(tx: Tx, userId: string, at: Date): Promise<string[]> {
  await tx.recoveryCode.deleteMany({ where: { userId } });
  const codes = Array.from({ length: COUNT }, newCode);
  await tx.recoveryCode.createMany({ data: codes.map((c) => ({ id: randomUUID(), userId, codeHash: hashRecoveryCode(c), createdAt: at })) });
  return codes;
}

/** Uses up a recovery code if it is one of the user's unused ones. */
export async function useRecoveryCode(tx: Tx, userId: string, code: string, at: Date): Promise<boolean> {
  if (!/^[a-z0-9-]{10,12}$/i.test(code.trim())) return false;
  const r = await tx.recoveryCode.updateMany({ where: { userId, codeHash: hashRecoveryCode(code.trim()), usedAt: null }, data: { usedAt: at } });
  return r.count === 1;
}
