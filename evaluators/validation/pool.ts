/**
 * Validation with a hard time bound, enforced from outside the validating
 * code: a few Deno Web Workers ({@link ./validation_worker.ts}) each hold
 * their own validators and compiled-validator cache; the main thread sends
 * a request and waits with a timer. A request that outlives its bound gets
 * its worker terminated (V8 stops it mid-loop), a fresh worker takes its
 * place, and the caller gets a clear answer: `validation_timeout` or
 * `compile_timeout`, as an `invalid_schema` verdict with the reason.
 *
 * - A schema always goes to the same worker (chosen by its hash), so its
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
import { contentHash, sha256Hex } from "./canonical_json.ts";
import { detectDraft, type Draft, type DraftInfo } from "./draft.ts";
import type {
  NotCompiled,
  SchemaProblem,
  ValidationMode,
  Verdict,
} from "./validate.ts";
import {
  PoolClosedError,
  replyProblem,
  type Work,
  WorkerSlot,
} from "./slot.ts";
import type { CompileSummary, WorkerValidatorOptions } from "./worker.ts";

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
  check(instance: unknown): Promise<Verdict>;
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

const FAILURES_KEPT = 1000;

function hashOf(schema: unknown): string {
  try {
    return contentHash(schema);
  } catch {
    // Too deep for the canonical form: the plain JSON still names it.
    try {
      return sha256Hex(JSON.stringify(schema) ?? "undefined");
    } catch {
      return `unhashable-${crypto.randomUUID()}`;
    }
  }
}

/** FNV-1a of a string: picks a schema's worker. */
function spread(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

function draftGuess(
  schema: unknown,
  mode: ValidationMode,
  forced?: Draft,
): DraftInfo {
  const detected = detectDraft(schema);
  if (mode === "jsb") {
    const note = "jsb: 2020-12 rules, $schema ignored";
    return { draft: "draft2020-12", declared: detected.declared, note };
  }
  if (forced) {
    return {
      draft: forced,
      declared: detected.declared,
      note: `forced ${forced}`,
    };
  }
  return detected;
}

function problem(
  kind: SchemaProblem,
  reason: string,
  draft: DraftInfo,
): Verdict {
  return { status: "invalid_schema", kind, reason, errors: [], draft };
}

/**
 * A small pool of validating workers with hard time bounds.
 *
 * @example
 * ```ts
 * const pool = new ValidationPool({ validationTimeoutMs: 500 });
 * const verdict = await pool.validate({ type: "array", uniqueItems: true }, hugeArray);
 * verdict.status === "invalid_schema" && verdict.kind; // "validation_timeout" when it took too long
 * pool.close();
 * ```
 */
export class ValidationPool {
  readonly options: PoolOptions;
  readonly #slots: WorkerSlot[];
  readonly #failures = new Map<string, NotCompiled>();
  #ids = 0;
  #restarts = 0;

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
        }),
    );
  }

  /**
   * Workers stopped and replaced so far (timeouts and crashes).
   *
   * @example
   * ```ts
   * pool.restarts; // 0
   * ```
   */
  get restarts(): number {
    return this.#restarts;
  }

  /**
   * Starts every worker now rather than on first use, and waits until they
   * have loaded (so no first request pays for it).
   *
   * @example
   * ```ts
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
    const slot = this.#slots[spread(hash) % this.#slots.length];
    const ask = () =>
      this.#ensureCompiled(slot, key, hash, mode, schema, options.draft);
    const summary = await ask();
    if (!summary.ok) return summary;
    return {
      ok: true,
      draft: summary.draft,
      compileMs: summary.compileMs,
      check: (instance) => this.#check(slot, key, ask, summary.draft, instance),
    };
  }

  /**
   * Compiles (cached) and checks one instance, each within its bound.
   *
   * @example
   * ```ts
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
   * pool.close();
   * ```
   */
  close(): void {
    for (const slot of this.#slots) slot.close();
  }

  #ensureCompiled(
    slot: WorkerSlot,
    key: string,
    hash: string,
    mode: ValidationMode,
    schema: unknown,
    draft?: Draft,
  ): Promise<CompileSummary> {
    const known = slot.known.get(key);
    if (known) {
      slot.known.delete(key);
      slot.known.set(key, known);
      return Promise.resolve({ ok: true, draft: known, compileMs: 0 });
    }
    const failed = this.#failures.get(key);
    if (failed) return Promise.resolve({ ...failed, compileMs: 0 });
    let pending = slot.pending.get(key);
    if (!pending) {
      pending = this.#sendCompile(slot, key, hash, mode, schema, draft)
        .finally(() => slot.pending.delete(key));
      slot.pending.set(key, pending);
    }
    return pending;
  }

  async #sendCompile(
    slot: WorkerSlot,
    key: string,
    hash: string,
    mode: ValidationMode,
    schema: unknown,
    draft?: Draft,
  ): Promise<CompileSummary> {
    const id = ++this.#ids;
    const request: Work = {
      type: "compile",
      id,
      key,
      mode,
      hash,
      draft,
      schema,
    };
    const reply = await slot.request(
      request,
      this.options.compileTimeoutMs,
      () => ({
        ...request,
        schema: undefined,
        schemaJson: JSON.stringify(schema),
      }),
    );
    if (reply.type === "compiled" && reply.result.ok) {
      slot.known.set(key, reply.result.draft);
      const kept = this.options.validator.cacheSize ?? 500;
      if (slot.known.size > kept) {
        slot.known.delete(slot.known.keys().next().value!);
      }
      return reply.result;
    }
    let failed: NotCompiled;
    if (reply.type === "compiled" && !reply.result.ok) failed = reply.result;
    else {
      const [kind, reason] = replyProblem(reply, "compiling the schema");
      const compileMs = reply.type === "timeout" ? reply.ms : 0;
      const guess = draftGuess(schema, mode, draft);
      failed = { ok: false, draft: guess, kind, reason, compileMs };
    }
    // A crash may be passing (a worker that could not start): not kept.
    if (reply.type !== "crashed") this.#failures.set(key, failed);
    if (this.#failures.size > FAILURES_KEPT) {
      this.#failures.delete(this.#failures.keys().next().value!);
    }
    return failed;
  }

  async #check(
    slot: WorkerSlot,
    key: string,
    compile: () => Promise<CompileSummary>,
    draft: DraftInfo,
    instance: unknown,
  ): Promise<Verdict> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const summary = await compile();
      if (!summary.ok) {
        return problem(summary.kind, summary.reason, summary.draft);
      }
      const id = ++this.#ids;
      const request: Work = { type: "check", id, key, instance };
      const reply = await slot.request(
        request,
        this.options.validationTimeoutMs,
        () => ({
          type: "check",
          id,
          key,
          instanceJson: JSON.stringify(instance),
        }),
      );
      if (reply.type === "verdict") return reply.verdict;
      if (reply.type !== "unknown") {
        const [kind, reason] = replyProblem(reply, "checking the output");
        return problem(kind, reason, draft);
      }
      // The worker was restarted or evicted the key: compile again.
      slot.known.delete(key);
    }
    return problem(
      "validator_crashed",
      "the validating worker kept losing the compiled schema",
      draft,
    );
  }
}
