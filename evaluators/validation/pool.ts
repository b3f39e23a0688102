/**
 * Validation with a hard time bound, enforced from outside the validating
 * code: a few Deno Web Workers ({@link ./worker.ts}) each hold
 * their own validators and compiled-validator cache; the main thread sends
 * a request and waits with a timer. A request that outlives its bound gets
 * its worker terminated (V8 stops it mid-loop), a fresh worker takes its
 * place, and the caller gets a clear answer: `validation_timeout` or
 * `compile_timeout`, as an `invalid_schema` verdict with the reason.
 *
 * - A schema always goes to the same worker (chosen by its hash, see
 *   {@link ./pool_router.ts}), so its
 *   compiled validator is reused; the schema itself is sent only to
 *   compile, and a check sends the instance and the key. A worker that was
 *   restarted (or evicted the key) compiles it again, unseen by the caller.
 * - One request at a time per worker: the bound counts from when the worker
 *   starts on it, not from when it was queued, and a worker's start-up is
 *   not counted against anyone.
 * - Schemas that cannot be compiled (and compiles that timed out) are
 *   remembered by key, so a hostile schema costs its bound once.
 * - Workers start on first use (or {@link ValidationPool.warmUp});
 *   {@link ValidationPool.close} stops them.
 *
 * @example
 * ```ts
 * import { ValidationPool } from "./pool.ts";
 * const pool = new ValidationPool({ validationTimeoutMs: 2000, compileTimeoutMs: 20_000 });
 * const compiled = await pool.compile({ type: "integer" }, { mode: "declared" });
 * if (compiled.ok) (await compiled.check(7)).status; // "valid"
 * pool.close();
 * ```
 * @module
 */
import type { NumberLiterals } from "./number_literals.ts";
import type { Draft, DraftInfo } from "./draft.ts";
import type { NotCompiled, ValidationMode, Verdict } from "./validate.ts";
import { PoolClosedError, WorkerSlot } from "./slot.ts";
import { hashOf, PoolRouter, problem } from "./pool_router.ts";
import type { WorkerValidatorOptions } from "./worker.ts";

export { PoolClosedError };

/** Settings of a {@link ValidationPool}. */
export interface PoolOptions {
  /** Workers (default: 2, or 1 on a one-core machine). */
  size: number;
  /** The bound on checking one instance (default 2000 ms). */
  validationTimeoutMs: number;
  /** The bound on compiling one schema (default 20000 ms). */
  compileTimeoutMs: number;
  /** How long a new worker may take to load before it counts as failed (default 30 s). */
  startTimeoutMs: number;
  /** Settings of each worker's validators (cache size, errors kept, remotes). */
  validator: WorkerValidatorOptions;
}

/** A schema compiled in the pool; `check` runs in its worker, bounded. */
export interface PooledCompiled {
  ok: true;
  draft: DraftInfo;
  /** Milliseconds the compile took (0 when the worker had it already). */
  compileMs: number;
  /** `literals`: numbers as the output wrote them (`numberLiterals`). */
  check(instance: unknown, literals?: NumberLiterals | null): Promise<Verdict>;
}

/** Compile options: `mode` picks the rules, `hash` saves hashing, `draft` forces one. */
export interface PoolCompileOptions {
  mode?: ValidationMode;
  hash?: string;
  draft?: Draft;
}

/** The pool seen through one validation mode (what a run uses). */
export interface PooledValidator {
  readonly mode: ValidationMode;
  compile(
    schema: unknown,
    options?: Omit<PoolCompileOptions, "mode">,
  ): Promise<PooledCompiled | NotCompiled>;
  validate(
    schema: unknown,
    instance: unknown,
    options?: Omit<PoolCompileOptions, "mode">,
  ): Promise<Verdict>;
}

const DEFAULTS: PoolOptions = {
  size: Math.max(1, Math.min(2, navigator.hardwareConcurrency ?? 2)),
  validationTimeoutMs: 2000,
  compileTimeoutMs: 20_000,
  startTimeoutMs: 30_000,
  validator: {},
};

/**
 * A small pool of validating workers with hard time bounds.
 *
 * @example
 * ```ts
 * declare const hugeArray: unknown[];
 * const pool = new ValidationPool({ validationTimeoutMs: 500 });
 * const verdict = await pool.validate({ type: "array", uniqueItems: true }, hugeArray);
 * verdict.status === "invalid_schema" && verdict.kind; // "validation_timeout" when it took too long
 * pool.close();
 * ```
 */
export class ValidationPool {
  readonly options: PoolOptions;
  readonly #slots: WorkerSlot[];
  readonly #router: PoolRouter;
  #restarts = 0;
  #recycles = 0;

  /** @param options overrides of the defaults */
  constructor(options: Partial<PoolOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.#slots = Array.from(
      { length: Math.max(1, this.options.size) },
      (_, index) =>
        new WorkerSlot({
          name: `validation-${index}`,
          startTimeoutMs: this.options.startTimeoutMs,
          validator: this.options.validator,
          onRestart: () => this.#restarts++,
          onRecycle: () => this.#recycles++,
        }),
    );
    this.#router = new PoolRouter(this.#slots, this.options);
  }

  /**
   * Workers stopped and replaced so far (timeouts and crashes).
   *
   * @example
   * ```ts
   * declare const pool: ValidationPool;
   * pool.restarts; // 0
   * ```
   */
  get restarts(): number {
    return this.#restarts;
  }

  /**
   * Workers replaced after compiling `validator.recycleChars` of schema
   * text (not failures: what they held is compiled again on demand).
   *
   * @example
   * ```ts
   * declare const pool: ValidationPool;
   * pool.recycles; // 0
   * ```
   */
  get recycles(): number {
    return this.#recycles;
  }

  /**
   * Starts every worker now rather than on first use, and waits until they
   * have loaded (so no first request pays for it).
   *
   * @example
   * ```ts
   * declare const pool: ValidationPool;
   * await pool.warmUp();
   * ```
   */
  async warmUp(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.start()));
  }

  /**
   * The pool seen through one mode.
   *
   * @example
   * ```ts
   * declare const pool: ValidationPool;
   * const jsb = pool.forMode("jsb");
   * (await jsb.validate({ format: "date-time" }, "nope")).status; // "valid": jsb ignores date-time
   * ```
   */
  forMode(mode: ValidationMode): PooledValidator {
    return {
      mode,
      compile: (schema, options = {}) =>
        this.compile(schema, { ...options, mode }),
      validate: (schema, instance, options = {}) =>
        this.validate(schema, instance, { ...options, mode }),
    };
  }

  /**
   * Compiles `schema` in its worker (or finds it compiled there), bounded
   * by `compileTimeoutMs`.
   *
   * @example
   * ```ts
   * declare const pool: ValidationPool;
   * const compiled = await pool.compile({ pattern: "(?=a)" });
   * compiled.ok; // false: compiled.kind === "unsupported_pattern"
   * ```
   */
  async compile(
    schema: unknown,
    options: PoolCompileOptions = {},
  ): Promise<PooledCompiled | NotCompiled> {
    const mode = options.mode ?? "declared";
    const hash = options.hash ?? hashOf(schema);
    const key = `${mode}|${options.draft ?? ""}|${hash}`;
    const router = this.#router;
    const slot = router.slotFor(hash);
    const ask = () =>
      router.ensureCompiled(slot, key, hash, mode, schema, options.draft);
    const summary = await ask();
    if (!summary.ok) return summary;
    return {
      ok: true,
      draft: summary.draft,
      compileMs: summary.compileMs,
      check: (instance, literals) =>
        router.check(slot, key, ask, summary.draft, instance, literals),
    };
  }

  /**
   * Compiles (cached) and checks one instance, each within its bound.
   *
   * @example
   * ```ts
   * declare const pool: ValidationPool;
   * (await pool.validate({ required: ["a"] }, {})).status; // "invalid"
   * ```
   */
  async validate(
    schema: unknown,
    instance: unknown,
    options: PoolCompileOptions = {},
  ): Promise<Verdict> {
    const compiled = await this.compile(schema, options);
    if (!compiled.ok) {
      return problem(compiled.kind, compiled.reason, compiled.draft);
    }
    return compiled.check(instance);
  }

  /**
   * Stops every worker. Requests still waiting fail with
   * {@link PoolClosedError}; a later call starts workers again.
   *
   * @example
   * ```ts
   * declare const pool: ValidationPool;
   * pool.close();
   * ```
   */
  close(): void {
    for (const slot of this.#slots) slot.close();
  }
}
