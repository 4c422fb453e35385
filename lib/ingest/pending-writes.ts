import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import { chainOf } from "../audit/chains";
import type { RecordRows } from "./record-rows";
import type { Recs } from "./records";

/**
 * The writes of a batch's documents (lib/ingest/batches) held back and sent as one statement, instead
 * of a statement per document: each document's rows, ledger entry and audit event (lib/ingest/ledger
 * writeLedger) become data-modifying CTEs of the batch's write statement. A statement costs this
 * process a Prisma call and a socket write, and the server a parse and plan, whatever its size: an
 * SS-MIX2 file was about 1.3 statements, a third of them its batch's BEGIN, read and COMMIT.
 *
 * What must hold, and how:
 * - Each document whole or absent: the statement is in the batch's transaction, which commits all
 *   of its documents or none (a failure files them again one transaction each, as before).
 * - Order: whatever a later document asks of the database sees the earlier ones' writes. Every
 *   statement of the transaction goes through `guard`, which sends the held writes first; a
 *   document whose key is already held, or whose own change of other rows reads what is held
 *   (RecordRows.alsoChange), sends them before it is held. The CTEs of one statement share one
 *   snapshot, so nothing held may depend on another held write, except through the audit chain.
 * - The audit chain: each event is hashed on the one before it, in SQL, reading the chain's head
 *   from the table; a second event of the same chain in the statement reads its head from the
 *   first's CTE instead (lib/audit auditEventCte `after`), exactly as separate statements would.
 * - Idempotency: nothing changes in what is written, only when it is sent.
 */
export class PendingWrites {
  private parts: Prisma.Sql[] = [];
  private readonly keys = new Set<string>();
  /** the records of the documents held */
  private records: Recs = [];
  /** chain → the CTE name of its last event held */
  private readonly lastEvent = new Map<number, string>();
  private documents = 0;
  private readonly guarded = new WeakMap<object, object>();

  /**
   * `tx`: from lib/db/transaction-connection on PostgreSQL, so the write statement, whose parameters
   * are the batch's rows and bodies, goes on the transaction's connection past Prisma's round trip.
   */
  constructor(private readonly tx: Tx) {}

  /** The prefix of the next document's CTE names (its rows, ledger entry, audit event). */
  nextPrefix(): string {
    return `d${this.documents}_`;
  }

  /**
   * Whether a document may be held with those held now: not when its key is held already (one
   * statement cannot write a row twice), nor when a change of its own reads what they write
   * (RecordRows.alsoChange: a prescription links the dispenses whose ledger records name its order).
   */
  mayHold(sourceKey: string, rows: RecordRows | undefined): boolean {
    return !this.keys.has(sourceKey) && !(rows?.reads(this.records) ?? false);
  }

  /** The event CTE of the chain of `patientId` held last, for the next event of that chain to hash on. */
  eventBefore(patientId: string | null): string | undefined {
    return this.lastEvent.get(chainOf(patientId));
  }

  /** Holds a document's CTEs (named with nextPrefix()), its audit event's CTE named `eventName`. */
  hold(sourceKey: string, records: Recs, ctes: Prisma.Sql[], patientId: string | null, eventName: string): void {
    this.parts.push(...ctes);
    this.records.push(...records);
    this.keys.add(sourceKey);
    this.lastEvent.set(chainOf(patientId), eventName);
    this.documents++;
  }

  /**
   * Sends what is held, as one statement. Prisma's promise is lazy: then() starts it here, before
   * anything asked after this call is sent.
   */
  flush(): Promise<unknown> {
    if (this.parts.length === 0) return Promise.resolve();
    const statement = Prisma.sql`WITH ${Prisma.join(this.parts, ", ")} SELECT 1`;
    this.parts = [];
    this.records = [];
    this.keys.clear();
    this.lastEvent.clear();
    return this.tx.$executeRaw`${statement}`.then((n) => n);
  }

  /**
   * The transaction as the batch's documents see it: every method (its raw queries, and those of its
   * model delegates) sends what is held first. The one way around it is writeLedger's own holding.
   */
  guard<T extends object>(target: T): T {
    const known = this.guarded.get(target);
    if (known) return known as T;
    const proxy = new Proxy(target, {
      get: (t, prop) => {
        const value: unknown = Reflect.get(t, prop, t);
        if (typeof value === "function") return (...args: unknown[]) => this.flush().then(() => (value as (...a: unknown[]) => unknown).apply(t, args));
        // a model delegate (tx.patientLink…): its methods too
        if (typeof prop === "string" && value !== null && typeof value === "object" && !prop.startsWith("_")) return this.guard(value);
        return value;
      },
    });
    this.guarded.set(target, proxy);
    return proxy;
  }
}
