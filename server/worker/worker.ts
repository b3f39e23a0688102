/**
 * The worker: claims pending results from the database, runs them, writes
 * their outcomes. Runs inside the server by default; `deno task worker`
 * runs the same loop alone, and any number of them may share a PostgreSQL
 * database.
 *
 * - Each tick visits every active run in turn (a big run does not starve a
 *   small one) and claims at most as many cases as the run may still have in
 *   flight: the run's `concurrency`, else the engine's slot count, capped by
 *   the target's `max_concurrency`.
 * - Leases are renewed while cases run; a worker that dies simply lets them
 *   expire, and another worker takes the cases again.
 * - The worker that writes a run's last result computes its scores and
 *   marks it `done` (or `failed`, when it measured nothing), exactly once.
 * - An engine that refuses the key (401/403, at describe or on any
 *   request) fails the run at once: `auth_failed`, the rest `skipped`.
 * - An engine that goes down pauses its runs (`engine_watch.ts`): the
 *   cases in flight are handed back, nothing is claimed while it is down,
 *   and those cases are then retried one at a time, alone on the engine;
 *   one that takes the engine down again is `engine_error`.
 * - `stop()` stops claiming, lets running cases finish for a grace period,
 *   then aborts the rest and hands their leases back (nothing is written for
 *   them: another worker will run them), and stops the validation workers.
 * - Outputs are validated in a `ValidationPool`, within
 *   `validationTimeoutMs` per output and `compileTimeoutMs` per schema.
 *
 * @example
 * ```ts
 * import { Worker } from "./worker.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const worker = new Worker(database, { workerId: "server-1" });
 * worker.start();
 * // Later, on shutdown:
 * await worker.stop();
 * ```
 * @module
 */
import {
  loadPriceTable,
  type PriceTable,
} from "../../evaluators/metrics/price_table.ts";
import type { AdaptiveLimit } from "../../evaluators/targets/transport/adaptive_limit.ts";
import type { ValidationMode } from "../../evaluators/validation/validate.ts";
import {
  type PooledValidator,
  ValidationPool,
} from "../../evaluators/validation/pool.ts";
import type { Database } from "../db/client.ts";
import {
  type ClaimedCase,
  claimResults,
  releaseLeases,
  renewLeases,
  skipPending,
} from "../db/queries/queue.ts";
import { activeRuns, type RunRow } from "../db/queries/runs.ts";
import {
  runComplete,
  unfinishedStoppedRuns,
} from "../db/queries/run_lifecycle.ts";
import { WORKER_DEFAULTS, type WorkerOptions } from "./options.ts";
import {
  openRunContext,
  type RunContext,
  type RunPreparation,
} from "./run_context.ts";
import { EngineWatch } from "./engine_watch.ts";
import { storeCase } from "./store_case.ts";
import { answerCase } from "./answer_case.ts";
import { ResultWriter } from "./result_writer.ts";
import { TickView } from "./tick_view.ts";
import { boardChanged } from "../board/cache.ts";
import { finishStoredRun } from "./finish.ts";
import { errorReason as reason } from "./error_reason.ts";

/**
 * The queue loop of one process.
 *
 * @example
 * ```ts
 * import { Worker } from "./worker.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const worker = new Worker(database, { workerId: "test-1", pollMs: 20 });
 * worker.start();
 * worker.wake(); // a run was just created
 * ```
 */
export class Worker {
  readonly options: WorkerOptions;
  readonly #database: Database;
  readonly #contexts = new Map<string, RunContext>();
  /** Validation off the main thread, bounded; workers start on first use. */
  readonly #pool: ValidationPool;
  readonly #validators: Record<ValidationMode, PooledValidator>;
  readonly #tasks = new Set<Promise<void>>();
  /** One adaptive limit per target, shared by every run of it in this process. */
  readonly #limits = new Map<string, AdaptiveLimit>();
  readonly #prices: PriceTable;
  readonly #preparation: RunPreparation;
  readonly #watch: EngineWatch;
  /** Results written in batches (`result_writer.ts`). */
  readonly #writer: ResultWriter;
  readonly #view: TickView;
  #abort = new AbortController();
  #stopping = false;
  #loop?: Promise<void>;
  #wake?: () => void;
  /** A wake that came while no sleep was waiting: the next sleep is skipped. */
  #woken = false;
  /** When stopped runs were last swept (at most once a second). */
  #sweptAt = 0;
  #renewTimer?: ReturnType<typeof setInterval>;

  /** @param database where the queue lives @param options overrides of the defaults */
  constructor(
    database: Database,
    options: Partial<WorkerOptions> & { workerId: string },
  ) {
    this.#database = database;
    this.options = { ...WORKER_DEFAULTS, ...options };
    this.#pool = new ValidationPool({
      validationTimeoutMs: this.options.validationTimeoutMs,
      compileTimeoutMs: this.options.compileTimeoutMs,
    });
    this.#validators = {
      declared: this.#pool.forMode("declared"),
      jsb: this.#pool.forMode("jsb"),
    };
    this.#prices = this.options.prices ?? loadPriceTable();
    this.#preparation = {
      database,
      secret: this.options.secret,
      allowedHosts: this.options.allowedHosts,
      prices: this.#prices,
      limits: this.#limits,
    };
    this.#watch = new EngineWatch(this.#preparation, this.options);
    this.#writer = new ResultWriter(database, this.options.workerId);
    this.#view = new TickView(
      () => activeRuns(database),
      () => this.#watch.refresh(),
      { maxAgeMs: Math.min(100, this.options.pollMs) },
    );
  }

  /** The adaptive limit of a target (tests and reports read it). */
  limitOf(targetId: string): AdaptiveLimit | undefined {
    return this.#limits.get(targetId);
  }

  /** Starts the loop in the background. */
  start(): void {
    if (this.#loop) return;
    this.#renewTimer = setInterval(
      () => this.#renew(),
      Math.max(1000, this.options.leaseMs / 3),
    );
    this.#loop = this.#run();
  }

  /** Ends the current sleep: there may be new work, or a run changed. */
  wake(): void {
    this.#view.stale();
    this.#resume();
  }

  /** Ends the current sleep (a case ended: slots are free). */
  #resume(): void {
    if (this.#wake) this.#wake();
    else this.#woken = true;
  }

  /** How many cases this process is running now. */
  get inflight(): number {
    let n = 0;
    for (const ctx of this.#contexts.values()) n += ctx.inflight.size;
    return n;
  }

  /** Stops claiming, waits `graceMs`, aborts the rest and hands their leases back. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#loop;
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<"grace">((resolve) => {
      graceTimer = setTimeout(() => resolve("grace"), this.options.graceMs);
    });
    const all = Promise.all([...this.#tasks]);
    const first = await Promise.race([all.then(() => "done" as const), grace]);
    clearTimeout(graceTimer); // so an idle worker exits at once
    if (first === "grace") this.#abort.abort();
    await all;
    clearInterval(this.#renewTimer);
    this.#pool.close();
    this.#loop = undefined;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      try {
        await this.#tick();
        failures = 0;
      } catch (error) {
        failures++;
        console.error(
          `worker ${this.options.workerId}: ${reason(error)}`,
        );
      }
      if (this.#stopping) break;
      // One tick fills every free slot, so the next waits for a wake (a case
      // ended, a run was created) or the poll; a wake during it skips this.
      if (this.#woken) {
        this.#woken = false;
        continue;
      }
      const wait = failures
        ? Math.min(30_000, this.options.pollMs * 2 ** failures)
        : this.options.pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        this.#wake = done;
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
      this.#wake = undefined;
      this.#woken = false;
    }
  }

  async #tick(): Promise<number> {
    const runs = await this.#view.runs();
    const active = new Set(runs.map((r) => r.id));
    for (const [id, ctx] of this.#contexts) {
      if (!active.has(id) && ctx.inflight.size === 0) this.#contexts.delete(id);
    }
    let claimed = 0;
    for (const run of runs) {
      if (this.#stopping) break;
      const ctx = this.#contexts.get(run.id) ?? await this.#prepare(run);
      if (!ctx) continue;
      if (await this.#watch.gate(ctx, run) !== "go") continue;
      const free = Math.min(
        ctx.concurrency - ctx.inflight.size,
        ctx.limit.limit - this.#targetInflight(ctx.targetId),
      );
      if (free <= 0 || ctx.limit.waitMs() > 0) continue;
      const cases = await claimResults(this.#database, {
        runId: run.id,
        workerId: this.options.workerId,
        limit: free,
        leaseMs: this.options.leaseMs,
        targetId: ctx.targetId,
        targetCap: ctx.targetCap,
        engineKey: ctx.engineKey,
      });
      claimed += cases.length;
      for (const kase of cases) {
        ctx.inflight.set(kase.resultId, kase);
        const task = this.#process(ctx, kase).finally(() =>
          this.#tasks.delete(task)
        );
        this.#tasks.add(task);
      }
      if (
        cases.length === 0 && ctx.inflight.size === 0 &&
        await runComplete(this.#database, run.id)
      ) {
        await this.#finish(run.id);
      }
    }
    if (Date.now() - this.#sweptAt >= 1000) {
      this.#sweptAt = Date.now();
      await this.#sweepStopped();
    }
    return claimed;
  }

  #targetInflight(targetId: string): number {
    let n = 0;
    for (const ctx of this.#contexts.values()) {
      if (ctx.targetId === targetId) n += ctx.inflight.size;
    }
    return n;
  }

  /** Stopped runs: skip what no live lease holds, finish them once nothing is pending. */
  async #sweepStopped(): Promise<void> {
    for (const run of await unfinishedStoppedRuns(this.#database)) {
      await skipPending(
        this.#database,
        run.id,
        run.error ?? `the run was ${run.status}`,
      );
      if (await runComplete(this.#database, run.id)) await this.#finish(run.id);
    }
  }

  async #prepare(run: RunRow): Promise<RunContext | null> {
    const ctx = await openRunContext(this.#preparation, run);
    if (ctx) this.#contexts.set(run.id, ctx);
    return ctx;
  }

  async #process(ctx: RunContext, kase: ClaimedCase): Promise<void> {
    try {
      const result = await answerCase(
        {
          validators: this.#validators,
          signal: this.#abort.signal,
          options: this.options,
        },
        ctx,
        kase,
      );
      if (this.#abort.signal.aborted) {
        await releaseLeases(this.#database, this.options.workerId, [
          kase.resultId,
        ]);
        return;
      }
      await storeCase(
        {
          database: this.#database,
          workerId: this.options.workerId,
          watch: this.#watch,
          writer: this.#writer,
          onResult: this.options.onResult,
        },
        ctx,
        kase,
        result,
      );
      // The run's finish is the loop's: woken below, its next tick finds
      // nothing to claim and nothing in flight, and checks then.
    } catch (error) {
      console.error(
        `worker ${this.options.workerId}: case ${kase.key} of run ${ctx.run.id}: ${
          reason(error)
        }`,
      );
      await releaseLeases(this.#database, this.options.workerId, [
        kase.resultId,
      ]).catch(() => {});
    } finally {
      ctx.inflight.delete(kase.resultId);
      this.#resume();
    }
  }

  async #finish(runId: string): Promise<void> {
    this.#view.stale();
    if (await finishStoredRun(this.#database, runId)) boardChanged();
  }

  async #renew(): Promise<void> {
    const ids = [...this.#contexts.values()].flatMap((
      ctx,
    ) => [...ctx.inflight.keys()]);
    if (ids.length === 0) return;
    try {
      await renewLeases(
        this.#database,
        this.options.workerId,
        ids,
        this.options.leaseMs,
      );
    } catch (error) {
      console.error(
        `worker ${this.options.workerId}: lease renewal failed: ${
          reason(error)
        }`,
      );
    }
  }
}
