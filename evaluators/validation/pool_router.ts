/**
 * How a {@link ./pool.ts} request reaches a worker: a schema's hash picks
 * its {@link WorkerSlot}, so its compiled validator is reused there; a
 * compile is sent once per key (later callers share it), failures are
 * remembered by key, and a check whose worker lost the key (restarted, or
 * evicted it) compiles again before it is retried.
 *
 * @example
 * ```ts
 * import { hashOf, PoolRouter } from "./pool_router.ts";
 * import { WorkerSlot } from "./slot.ts";
 * const slots = [new WorkerSlot({ name: "v", startTimeoutMs: 30_000, validator: {} })];
 * const router = new PoolRouter(slots, { compileTimeoutMs: 20_000, validationTimeoutMs: 2000, validator: {} });
 * const schema = { type: "integer" };
 * const hash = hashOf(schema);
 * const slot = router.slotFor(hash);
 * const summary = await router.ensureCompiled(slot, `declared||${hash}`, hash, "declared", schema);
 * summary.ok; // true
 * slot.close();
 * ```
 * @module
 */
import type { NumberLiterals } from "./number_literals.ts";
import { contentHash, sha256Hex } from "./canonical_json.ts";
import { detectDraft, type Draft, type DraftInfo } from "./draft.ts";
import type {
  NotCompiled,
  SchemaProblem,
  ValidationMode,
  Verdict,
} from "./validate.ts";
import { replyProblem, type Work, type WorkerSlot } from "./slot.ts";
import type { CompileSummary, WorkerValidatorOptions } from "./worker.ts";

/** The bounds a router reads on every request (the pool's options, live). */
export interface RouterBounds {
  /** The bound on compiling one schema. */
  compileTimeoutMs: number;
  /** The bound on checking one instance. */
  validationTimeoutMs: number;
  /** The workers' validator settings (`cacheSize` bounds the keys kept). */
  validator: WorkerValidatorOptions;
}

const FAILURES_KEPT = 1000;

/**
 * The content hash of a schema, or of its plain JSON when it is too deep
 * for the canonical form (a random name when it has none).
 *
 * @example
 * ```ts
 * hashOf({ type: "string" }) === hashOf({ type: "string" }); // true
 * ```
 */
export function hashOf(schema: unknown): string {
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

/**
 * The `invalid_schema` verdict for a schema the pool could not compile or
 * an instance it could not check.
 *
 * @example
 * ```ts
 * import { detectDraft } from "./draft.ts";
 * problem("validation_timeout", "took longer than 2000 ms", detectDraft({})).status; // "invalid_schema"
 * ```
 */
export function problem(
  kind: SchemaProblem,
  reason: string,
  draft: DraftInfo,
): Verdict {
  return { status: "invalid_schema", kind, reason, errors: [], draft };
}

/**
 * Sends compiles and checks to the slot a schema's hash picks.
 *
 * @example
 * ```ts
 * import { WorkerSlot } from "./slot.ts";
 * const slots = [new WorkerSlot({ name: "v", startTimeoutMs: 30_000, validator: {} })];
 * const router = new PoolRouter(slots, { compileTimeoutMs: 20_000, validationTimeoutMs: 2000, validator: {} });
 * router.slotFor(hashOf({})) === slots[0]; // true: one slot
 * ```
 */
export class PoolRouter {
  readonly #slots: readonly WorkerSlot[];
  readonly #bounds: RouterBounds;
  readonly #failures = new Map<string, NotCompiled>();
  #ids = 0;

  /**
   * @param slots the workers, at least one
   * @param bounds read again on each request
   */
  constructor(slots: readonly WorkerSlot[], bounds: RouterBounds) {
    this.#slots = slots;
    this.#bounds = bounds;
  }

  /**
   * The slot that compiles and checks the schema of this hash.
   *
   * @example
   * ```ts
   * declare const router: PoolRouter;
   * router.slotFor(hashOf({ type: "string" })).known.size; // keys compiled there
   * ```
   */
  slotFor(hash: string): WorkerSlot {
    return this.#slots[spread(hash) % this.#slots.length];
  }

  /**
   * The compile of `key` in `slot`: known there already, failed before,
   * on its way (shared), or sent now within the compile bound.
   *
   * @example
   * ```ts
   * declare const router: PoolRouter;
   * const schema = { pattern: "(?=a)" };
   * const hash = hashOf(schema);
   * const slot = router.slotFor(hash);
   * (await router.ensureCompiled(slot, `declared||${hash}`, hash, "declared", schema)).ok; // false
   * ```
   */
  ensureCompiled(
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
      this.#bounds.compileTimeoutMs,
      () => ({
        ...request,
        schema: undefined,
        schemaJson: JSON.stringify(schema),
      }),
    );
    if (reply.type === "compiled" && reply.result.ok) {
      slot.known.set(key, reply.result.draft);
      const kept = this.#bounds.validator.cacheSize ?? 500;
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

  /**
   * Checks `instance` against the schema compiled as `key` in `slot`,
   * within the validation bound; `compile` brings the key back when the
   * worker lost it.
   *
   * @example
   * ```ts
   * declare const router: PoolRouter;
   * const schema = { type: "integer" };
   * const hash = hashOf(schema);
   * const slot = router.slotFor(hash);
   * const key = `declared||${hash}`;
   * const compile = () => router.ensureCompiled(slot, key, hash, "declared", schema);
   * const summary = await compile();
   * if (summary.ok) (await router.check(slot, key, compile, summary.draft, 7)).status; // "valid"
   * ```
   */
  async check(
    slot: WorkerSlot,
    key: string,
    compile: () => Promise<CompileSummary>,
    draft: DraftInfo,
    instance: unknown,
    literals: NumberLiterals | null = null,
  ): Promise<Verdict> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const summary = await compile();
      if (!summary.ok) {
        return problem(summary.kind, summary.reason, summary.draft);
      }
      const id = ++this.#ids;
      const request: Work = { type: "check", id, key, instance, literals };
      const reply = await slot.request(
        request,
        this.#bounds.validationTimeoutMs,
        () => ({
          type: "check",
          id,
          key,
          instanceJson: JSON.stringify(instance),
          literals,
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
