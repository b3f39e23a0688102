/**
 * One worker of a `ValidationPool`, with the bound enforced from outside:
 * requests wait in a queue, the worker gets one at a time, and a timer
 * starts when it does. A request that outlives its bound terminates the
 * worker (V8 stops it even inside a loop); the next request starts a fresh
 * one. A worker that dies answers `crashed`. The worker's start-up (loading
 * Ajv) is not counted against any request.
 *
 * @example
 * ```ts
 * import { WorkerSlot } from "./slot.ts";
 * const slot = new WorkerSlot({ name: "validation-0", startTimeoutMs: 30_000, validator: {} });
 * const request = { type: "check", id: 1, key: "k", instance: 1 } as const;
 * const reply = await slot.request(request, 2000, () => request);
 * reply.type; // "unknown": nothing compiled yet
 * slot.close();
 * ```
 * @module
 */
import type { DraftInfo } from "./draft.ts";
import type { SchemaProblem } from "./validate.ts";
import type {
  CompileSummary,
  PoolAnswer,
  PoolRequest,
  WorkerValidatorOptions,
} from "./worker.ts";

/**
 * The schema text (JSON characters) a worker compiles before it is
 * replaced by a fresh one, unless `recycleChars` says otherwise.
 *
 * @example
 * ```ts
 * RECYCLE_CHARS; // 4000000
 * ```
 */
export const RECYCLE_CHARS = 4_000_000;

/** A compile or check request. */
export type Work = Exclude<PoolRequest, { type: "configure" }>;

/** How a request ended: the worker's answer, or the bound, or its death. */
export type Reply =
  | Exclude<PoolAnswer, { type: "ready" }>
  | { type: "timeout"; ms: number }
  | { type: "crashed"; message: string };

/** A request that was still waiting when the pool was closed. */
export class PoolClosedError extends Error {
  constructor() {
    super("the validation pool was closed");
    this.name = "PoolClosedError";
  }
}

/**
 * The problem a reply other than the expected answer amounts to: the kind
 * and the sentence a user sees.
 *
 * @example
 * ```ts
 * replyProblem({ type: "timeout", ms: 2000 }, "checking the output");
 * // ["validation_timeout", "checking the output took longer than 2000 ms"]
 * ```
 */
export function replyProblem(
  reply: Reply,
  doing: "compiling the schema" | "checking the output",
): [SchemaProblem, string] {
  switch (reply.type) {
    case "timeout":
      return [
        doing === "checking the output"
          ? "validation_timeout"
          : "compile_timeout",
        `${doing} took longer than ${reply.ms} ms`,
      ];
    case "crashed":
      return [
        "validator_crashed",
        `the validating worker stopped while ${doing}: ${reply.message}`,
      ];
    case "failed":
      return ["invalid_schema", `${doing} failed: ${reply.message}`];
    default:
      return ["invalid_schema", `${doing} gave "${reply.type}"`];
  }
}

/** Settings of one {@link WorkerSlot}. */
export interface SlotOptions {
  /** The worker's name (shown in Deno's error messages). */
  name: string;
  /** How long a new worker may take to load before it counts as failed. */
  startTimeoutMs: number;
  /** Settings of the worker's validators. */
  validator: WorkerValidatorOptions;
  /** Called each time the worker is stopped for a timeout or a crash. */
  onRestart?: () => void;
  /** Called each time the worker is replaced after `recycleChars`. */
  onRecycle?: () => void;
}

interface Job {
  request: Work;
  /** The same request with JSON text, for values too deep to clone. */
  fallback: () => Work;
  timeoutMs: number;
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/**
 * One bounded worker and its queue.
 *
 * @example
 * ```ts
 * const slot = new WorkerSlot({ name: "v", startTimeoutMs: 30_000, validator: {} });
 * slot.known.size; // 0: the keys this worker has compiled
 * ```
 */
export class WorkerSlot {
  readonly options: SlotOptions;
  /** Keys the current worker has compiled (LRU, kept by the pool). */
  readonly known = new Map<string, DraftInfo>();
  /** Compiles sent and not yet answered, so one schema is sent once. */
  readonly pending = new Map<string, Promise<CompileSummary>>();
  #worker?: Worker;
  #ready = false;
  #queue: Job[] = [];
  #busy?: Job;
  #timer?: ReturnType<typeof setTimeout>;
  /** Callers of {@link WorkerSlot.start} waiting for the worker to load. */
  #starting: (() => void)[] = [];

  /** @param options the slot's settings */
  constructor(options: SlotOptions) {
    this.options = options;
  }

  /**
   * Sends `request` once the worker is free and waits at most `timeoutMs`
   * from then.
   *
   * @example
   * ```ts
   * declare const slot: WorkerSlot;
   * declare const check: Extract<Work, { type: "check" }>;
   * const reply = await slot.request(check, 2000, () => ({ ...check, instance: undefined, instanceJson: "1" }));
   * if (reply.type === "timeout") console.log(`stopped after ${reply.ms} ms`);
   * ```
   */
  request(
    request: Work,
    timeoutMs: number,
    fallback: () => Work,
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, fallback, timeoutMs, resolve, reject });
      this.#pump();
    });
  }

  /**
   * Starts the worker now rather than on the first request, and waits until
   * it has loaded (or failed to: the first request then says why).
   *
   * @example
   * ```ts
   * declare const slot: WorkerSlot;
   * await slot.start();
   * ```
   */
  start(): Promise<void> {
    if (this.#worker && this.#ready) return Promise.resolve();
    return new Promise((resolve) => {
      this.#starting.push(resolve);
      if (!this.#worker) this.#spawn();
    });
  }

  /**
   * Stops the worker; requests still waiting fail with
   * {@link PoolClosedError}. A later request starts a new worker.
   *
   * @example
   * ```ts
   * declare const slot: WorkerSlot;
   * slot.close();
   * ```
   */
  close(): void {
    const jobs = [...(this.#busy ? [this.#busy] : []), ...this.#queue];
    this.#queue = [];
    this.#stop();
    for (const job of jobs) job.reject(new PoolClosedError());
  }

  #pump(): void {
    while (!this.#busy && this.#queue.length > 0) {
      if (!this.#worker) return this.#spawn();
      if (!this.#ready) return;
      const job = this.#queue.shift()!;
      const worker = this.#worker;
      try {
        try {
          worker.postMessage(job.request);
        } catch {
          // Nested too deeply for the structured clone: send JSON text.
          worker.postMessage(job.fallback());
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        job.resolve({ type: "failed", id: job.request.id, message });
        continue;
      }
      this.#busy = job;
      this.#timer = setTimeout(() => {
        if (this.#worker !== worker || this.#busy !== job) return;
        this.#stop();
        this.options.onRestart?.();
        job.resolve({ type: "timeout", ms: job.timeoutMs });
        this.#pump();
      }, job.timeoutMs);
    }
  }

  #spawn(): void {
    const url = new URL("./worker.ts", import.meta.url);
    const worker = new Worker(url, { type: "module", name: this.options.name });
    this.#worker = worker;
    this.#ready = false;
    const crashed = (message: string) => {
      if (this.#worker !== worker) return;
      const starting = !this.#ready;
      const job = this.#busy;
      this.#stop();
      this.options.onRestart?.();
      job?.resolve({ type: "crashed", message });
      // A worker that cannot even start fails what waits, rather than
      // being started again and again.
      if (starting) {
        const waiting = this.#queue;
        this.#queue = [];
        for (const w of waiting) w.resolve({ type: "crashed", message });
      }
      this.#pump();
    };
    const limit = this.options.startTimeoutMs;
    this.#timer = setTimeout(
      () => crashed(`it did not start within ${limit} ms`),
      limit,
    );
    worker.onmessage = (event: MessageEvent<PoolAnswer>) => {
      if (this.#worker !== worker) return;
      const answer = event.data;
      if (answer.type === "ready") {
        clearTimeout(this.#timer);
        this.#ready = true;
        this.#started();
      } else if (this.#busy?.request.id === answer.id) {
        clearTimeout(this.#timer);
        const job = this.#busy;
        this.#busy = undefined;
        job.resolve(answer);
        const recycleAt = this.options.validator.recycleChars ?? RECYCLE_CHARS;
        if (
          answer.type === "compiled" &&
          (answer.compiledChars ?? 0) >= recycleAt
        ) {
          // Not a failure (no onRestart): the next request starts a fresh
          // worker, and the keys this one held are compiled again there.
          this.#stop();
          this.options.onRecycle?.();
        }
      }
      this.#pump();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      crashed(event.message || "it failed");
    };
    worker.onmessageerror = () => crashed("an answer could not be read");
    worker.postMessage({ type: "configure", options: this.options.validator });
  }

  #started(): void {
    const waiting = this.#starting;
    this.#starting = [];
    for (const resolve of waiting) resolve();
  }

  /** Terminates the worker and forgets what it had compiled. */
  #stop(): void {
    this.#started();
    clearTimeout(this.#timer);
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#ready = false;
    this.#busy = undefined;
    this.known.clear();
  }
}
