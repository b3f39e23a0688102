/**
 * One worker of a {@link ValidationPool}: runs in its own Deno Web Worker,
 * holds its own {@link SchemaValidator}s (one per mode) and compiled
 * validators by key, and answers one request at a time. The pool stops it
 * from outside when a request outlives its bound, so nothing here needs to
 * watch the clock. Nothing here throws: every failure is an answer.
 *
 * The protocol (`PoolRequest` in, `PoolAnswer` out) is in this file so both
 * sides share it.
 *
 * @example
 * ```ts
 * const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
 * worker.postMessage({ type: "configure", options: {} }); // answers { type: "ready" }
 * ```
 * @module
 */
import type { NumberLiterals } from "./number_literals.ts";
import { type Draft, type DraftInfo, DRAFTS } from "./draft.ts";
import {
  type Compiled,
  type NotCompiled,
  type SchemaProblem,
  SchemaValidator,
  type ValidationMode,
  type ValidatorOptions,
  type Verdict,
} from "./validate.ts";

/**
 * Validator settings a pool passes on (the mode is per request), and the
 * bounds of the worker's compiled validators: `cacheSize` keys (default
 * 500) holding at most `cacheChars` characters of schema JSON in all
 * (default {@link CACHE_CHARS}). A compiled validator takes some 20 times
 * its schema's text in the worker's heap, and schemas run from a few
 * hundred characters to nearly a megabyte, so a bound by count alone lets
 * a suite of large schemas hold hundreds of megabytes a worker.
 */
export type WorkerValidatorOptions =
  & Partial<Omit<ValidatorOptions, "mode">>
  & {
    cacheChars?: number;
    /**
     * After compiling this much schema text (JSON characters, default
     * `RECYCLE_CHARS` of `slot.ts`) a worker is replaced by a fresh one once it
     * is idle: what compiling large schemas leaves behind in a worker
     * (its heap's high-water mark, the compiler's memory) is only given
     * back when its isolate ends.
     */
    recycleChars?: number;
  };

/**
 * The default bound on the schema text (JSON characters) whose validators
 * one worker keeps: room for some 2,400 median JSONSchemaBench schemas, or
 * the 500 most recent of a sample drawn across its subsets.
 *
 * @example
 * ```ts
 * CACHE_CHARS; // 2000000
 * ```
 */
export const CACHE_CHARS = 2_000_000;

/** What the pool asks a worker. */
export type PoolRequest =
  | { type: "configure"; options: WorkerValidatorOptions }
  | {
    type: "compile";
    id: number;
    key: string;
    mode: ValidationMode;
    hash: string;
    draft?: Draft;
    /** The schema, or its JSON when it nests too deeply to be cloned. */
    schema?: unknown;
    schemaJson?: string;
  }
  | {
    type: "check";
    id: number;
    key: string;
    /** The instance, or its JSON when it nests too deeply to be cloned. */
    instance?: unknown;
    instanceJson?: string;
    /** Numbers as the output wrote them, where a double misreads them. */
    literals?: NumberLiterals | null;
  };

/** A compile's result without the check function. */
export type CompileSummary =
  | { ok: true; draft: DraftInfo; compileMs: number }
  | {
    ok: false;
    draft: DraftInfo;
    kind: SchemaProblem;
    reason: string;
    compileMs: number;
  };

/** What a worker answers. */
export type PoolAnswer =
  | { type: "ready" }
  | {
    type: "compiled";
    id: number;
    result: CompileSummary;
    /** Schema text this worker has compiled since it started. */
    compiledChars?: number;
  }
  | { type: "verdict"; id: number; verdict: Verdict }
  /** The key is not compiled here (evicted, or this worker is new). */
  | { type: "unknown"; id: number }
  | { type: "failed"; id: number; message: string };

interface WorkerScope {
  onmessage: ((event: MessageEvent<PoolRequest>) => void) | null;
  postMessage(message: PoolAnswer): void;
}

/**
 * The request handler of one worker, apart from the messaging so that it
 * can be read and tried on its own.
 *
 * @example
 * ```ts
 * const handler = new WorkerHandler({});
 * handler.handle({ type: "compile", id: 1, key: "k", mode: "declared", hash: "h", schema: { type: "string" } });
 * handler.handle({ type: "check", id: 2, key: "k", instance: 3 }); // { type: "verdict", ... "invalid" }
 * ```
 */
export class WorkerHandler {
  readonly #validators: Record<ValidationMode, SchemaValidator>;
  readonly #compiled = new Map<string, Compiled | NotCompiled>();
  /** The schema text (JSON characters) behind each kept key. */
  readonly #chars = new Map<string, number>();
  #charsKept = 0;
  #charsCompiled = 0;
  readonly #cacheSize: number;
  readonly #cacheChars: number;

  /** @param options validator settings for both modes */
  constructor(options: WorkerValidatorOptions) {
    // This handler keeps the compiled validators; the validators keep none.
    const { cacheChars, ...validator } = options;
    this.#cacheSize = options.cacheSize ?? 500;
    this.#cacheChars = cacheChars ?? CACHE_CHARS;
    const shared = { ...validator, cacheSize: 0 };
    this.#validators = {
      declared: new SchemaValidator({ ...shared, mode: "declared" }),
      // Bounded from outside by the pool: jsb may run lookaround patterns.
      jsb: new SchemaValidator({
        ...shared,
        mode: "jsb",
        backtrackingFallback: true,
      }),
    };
  }

  /**
   * Creates the Ajv instance of every draft now, so that no compile's time
   * bound pays for it (the pool does not count a worker's start-up).
   *
   * @example
   * ```ts
   * new WorkerHandler({}).warm();
   * ```
   */
  warm(): void {
    for (const draft of DRAFTS) {
      this.#validators.declared.compile({}, { draft, hash: "warm-up" });
    }
    this.#validators.jsb.compile({}, { hash: "warm-up" });
  }

  /**
   * Answers one compile or check request.
   *
   * @example
   * ```ts
   * const handler = new WorkerHandler({});
   * handler.handle({ type: "check", id: 9, key: "never-compiled", instance: 1 }); // { type: "unknown", id: 9 }
   * ```
   */
  handle(request: Exclude<PoolRequest, { type: "configure" }>): PoolAnswer {
    try {
      if (request.type === "compile") return this.#compile(request);
      const compiled = this.#compiled.get(request.key);
      if (!compiled) return { type: "unknown", id: request.id };
      this.#compiled.delete(request.key);
      this.#compiled.set(request.key, compiled);
      if (!compiled.ok) {
        const { kind, reason, draft } = compiled;
        const verdict: Verdict = {
          status: "invalid_schema",
          kind,
          reason,
          errors: [],
          draft,
        };
        return { type: "verdict", id: request.id, verdict };
      }
      const instance = request.instanceJson === undefined
        ? request.instance
        : JSON.parse(request.instanceJson);
      return {
        type: "verdict",
        id: request.id,
        verdict: compiled.check(instance, request.literals),
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { type: "failed", id: request.id, message };
    }
  }

  #compile(request: Extract<PoolRequest, { type: "compile" }>): PoolAnswer {
    const known = this.#compiled.get(request.key);
    if (known) {
      return { type: "compiled", id: request.id, result: summary(known, 0) };
    }
    const schema = request.schemaJson === undefined
      ? request.schema
      : JSON.parse(request.schemaJson);
    const compiled = this.#validators[request.mode].compile(schema, {
      hash: request.hash,
      draft: request.draft,
    });
    const chars = request.schemaJson?.length ??
      JSON.stringify(schema)?.length ?? 0;
    this.#charsCompiled += chars;
    this.#keep(request.key, compiled, chars);
    const result = summary(compiled, compiled.compileMs);
    return {
      type: "compiled",
      id: request.id,
      result,
      compiledChars: this.#charsCompiled,
    };
  }

  /** Keeps `compiled`, then drops the oldest keys until within both bounds. */
  #keep(key: string, compiled: Compiled | NotCompiled, chars: number): void {
    this.#compiled.set(key, compiled);
    this.#chars.set(key, chars);
    this.#charsKept += chars;
    while (
      this.#compiled.size > 1 &&
      (this.#compiled.size > this.#cacheSize ||
        this.#charsKept > this.#cacheChars)
    ) {
      const oldest = this.#compiled.keys().next().value!;
      this.#compiled.delete(oldest);
      this.#charsKept -= this.#chars.get(oldest) ?? 0;
      this.#chars.delete(oldest);
    }
  }
}

function summary(
  compiled: Compiled | NotCompiled,
  compileMs: number,
): CompileSummary {
  if (compiled.ok) return { ok: true, draft: compiled.draft, compileMs };
  const { draft, kind, reason } = compiled;
  return { ok: false, draft, kind, reason, compileMs };
}

/** Wires a handler to the worker's messages; the first must configure it. */
function serve(scope: WorkerScope): void {
  let handler: WorkerHandler | undefined;
  scope.onmessage = (event) => {
    const request = event.data;
    if (request.type === "configure") {
      handler = new WorkerHandler(request.options);
      handler.warm();
      scope.postMessage({ type: "ready" });
      return;
    }
    scope.postMessage(
      handler?.handle(request) ??
        { type: "failed", id: request.id, message: "not configured" },
    );
  };
}

if (
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !==
    "undefined"
) {
  serve(globalThis as unknown as WorkerScope);
}
