/**
 * Group commit of a worker's results: a case that finishes asks for its
 * write and waits for it; writes are sent in batches, one statement each
 * (`writeResults`), one batch at a time. The first write after a quiet
 * spell goes out at once (after the cases finishing in the same turn of the
 * event loop have joined it); every write that comes while a batch is on
 * its way waits for the next, so a busy worker writes many results a
 * statement and an idle one adds no delay.
 *
 * A case stays in flight (its lease renewed) until its write has landed or
 * been rejected, so a batch that never lands (the process killed mid-flush,
 * the database gone) loses nothing: the leases expire and the cases run
 * again. When the database refuses a batch, each of its writes is tried
 * alone, so one row it cannot take fails only its own case (whose caller
 * hands the lease back).
 *
 * @example
 * ```ts
 * import { ResultWriter } from "./result_writer.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const writer = new ResultWriter(database, "w1");
 * const landed = await writer.write(42, { outcome: "valid" });
 * ```
 * @module
 */
import type { Database } from "../db/client.ts";
import {
  type PendingWrite,
  type ResultWrite,
  writeResults,
} from "../db/queries/result_writes.ts";

interface Waiting extends PendingWrite {
  resolve(landed: boolean): void;
  reject(error: unknown): void;
}

/**
 * See the module doc.
 *
 * @example
 * ```ts
 * import { ResultWriter } from "./result_writer.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const writer = new ResultWriter(database, "w1", { maxBatch: 64 });
 * writer.batches; // 0: none sent yet
 * ```
 */
export class ResultWriter {
  readonly #database: Database;
  readonly #workerId: string;
  readonly #maxBatch: number;
  #queue: Waiting[] = [];
  #draining?: Promise<void>;
  #batches = 0;
  #largest = 0;

  /**
   * @param database where results are written
   * @param workerId the lease owner the writes must match
   * @param options `maxBatch`: the most results in one statement (default 256)
   */
  constructor(
    database: Database,
    workerId: string,
    options: { maxBatch?: number } = {},
  ) {
    this.#database = database;
    this.#workerId = workerId;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 256);
  }

  /** Statements sent so far. */
  get batches(): number {
    return this.#batches;
  }

  /** The most results one statement has carried. */
  get largestBatch(): number {
    return this.#largest;
  }

  /**
   * Queues one result; resolves true when it landed, false when it was
   * rejected (the lease was lost, or a result exists), and rejects when
   * its batch failed.
   *
   * @example
   * ```ts
   * declare const writer: ResultWriter;
   * if (!(await writer.write(7, { outcome: "invalid_json" }))) console.log("lost the lease");
   * ```
   */
  write(resultId: number, write: ResultWrite): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ resultId, write, resolve, reject });
      this.#draining ??= this.#drain();
    });
  }

  /**
   * Resolves once every queued write has been sent.
   *
   * @example
   * ```ts
   * declare const writer: ResultWriter;
   * await writer.idle();
   * ```
   */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #send(batch: Waiting[]): Promise<void> {
    const landed = await writeResults(this.#database, this.#workerId, batch);
    for (const w of batch) w.resolve(landed.has(w.resultId));
  }

  async #drain(): Promise<void> {
    // Cases that finish in this turn of the event loop join the first batch.
    await new Promise((resolve) => setTimeout(resolve, 0));
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#batches++;
      this.#largest = Math.max(this.#largest, batch.length);
      try {
        await this.#send(batch);
      } catch {
        // One row the database refuses must not fail the others with it:
        // each is tried alone, and only the one that fails again fails.
        for (const w of batch) await this.#send([w]).catch(w.reject);
      }
    }
    // In the same turn as the empty queue was seen: a later write starts
    // a new drain.
    this.#draining = undefined;
  }
}
