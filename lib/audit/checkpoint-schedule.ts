import { openDbIfAny } from "../db/client";
import { checkpointIfDue } from "./checkpoint";
import { env } from "../env";

/**
 * When checkpoints are taken. recordAudit runs inside its caller's transaction and cannot see the
 * commit, so it only asks for a check shortly after; the check reads what is committed. An event
 * whose transaction is still open is simply covered by the next check. A slow interval keeps the
 * "at least hourly" promise when events stop arriving. The wait is TSUNAGU_AUDIT_CHECKPOINT_SETTLE_MS
 * (200 ms): a test that asserts where checkpoints fall sets it long and takes them with flushCheckpoints.
 */
const HOURLY_CHECK_MS = 5 * 60 * 1000;

let timer: ReturnType<typeof setTimeout> | undefined;
// on globalThis, so Next.js dev reloads of this module do not start one more interval each
const g = globalThis as unknown as { __tsunaguAuditInterval?: ReturnType<typeof setInterval> };
let chain: Promise<void> = Promise.resolve();

function check(): Promise<void> {
  // serialised, so two checks in one process never append the same checkpoint twice
  chain = chain.then(async () => {
    // only a client that is still open: background work must not reopen a database a test has closed
    const db = await openDbIfAny();
    if (!db) return;
    try {
      await checkpointIfDue(db);
    } catch (e) {
      console.error(`audit checkpoint not written: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return chain;
}

/** Called after each audit event: a check once the writing transaction has had time to commit. */
export function scheduleCheckpoint(): void {
  if (!g.__tsunaguAuditInterval) {
    g.__tsunaguAuditInterval = setInterval(() => void check(), HOURLY_CHECK_MS);
    g.__tsunaguAuditInterval.unref?.();
  }
  if (timer) return;
  timer = setTimeout(() => {
    timer = undefined;
    void check();
  }, env().TSUNAGU_AUDIT_CHECKPOINT_SETTLE_MS);
  timer.unref?.();
}

/** Runs a pending check now and waits for it (tests, and before closing the database). */
export async function flushCheckpoints(): Promise<void> {
  if (timer) {
    clearTimeout(timer);
    timer = undefined;
  }
  await check();
}
