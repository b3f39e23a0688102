/**
 * One schema against many instances, answered as `POST /api/validate` and
 * `deno task validate` answer: the schema's verdict (its draft, and whether
 * that was inferred, or why it cannot be checked) and each instance's
 * verdict with its errors. Checks go through a {@link PooledValidator}, so
 * every compile and check is bounded in time like a run's.
 *
 * @example
 * ```ts
 * import { validateBatch } from "./batch.ts";
 * import { ValidationPool } from "./pool.ts";
 * const pool = new ValidationPool();
 * const answer = await validateBatch(pool.forMode("declared"), { type: "integer" }, [
 *   { value: 1 },
 *   { value: "x" },
 * ]);
 * answer.results.map((r) => r.valid); // [true, false]
 * pool.close();
 * ```
 * @module
 */
import type { NumberLiterals } from "./number_literals.ts";
import type { PooledValidator } from "./pool.ts";
import type { DraftInfo } from "./draft.ts";

/** The most instances one batch checks. */
export const MAX_BATCH_INSTANCES = 1000;

/** An instance to check, with its numbers as written where that matters. */
export interface BatchInstance {
  value: unknown;
  literals?: NumberLiterals | null;
}

/** The schema's part of the answer. */
export type BatchSchema =
  | { ok: true; draft: string; inferred: boolean; note: string | null }
  | { ok: false; kind: string; message: string; draft: string };

/** One instance's verdict. */
export interface BatchResult {
  valid: boolean;
  errors: { instance_path: string; keyword: string; message: string }[];
  /** Set when the instance could not be checked (a time bound, a crash). */
  problem?: { kind: string; message: string };
}

/** The whole answer. */
export interface BatchAnswer {
  schema: BatchSchema;
  results: BatchResult[];
}

/**
 * Whether the draft was inferred rather than declared by `$schema`.
 *
 * @example
 * ```ts
 * inferred({ draft: "draft2020-12", declared: null, note: "no $schema: 2020-12" }); // true
 * ```
 */
export function inferred(info: DraftInfo): boolean {
  if (info.note === null) return false;
  return !info.note.startsWith("declares") && !info.note.startsWith("jsb");
}

/**
 * Checks every instance against `schema` (see the module doc); once
 * `budgetMs` has passed, the instances left are answered unchecked
 * (`problem.kind` `validation_timeout`), so a request is bounded as a
 * whole, not only check by check.
 *
 * @example
 * ```ts
 * import type { PooledValidator } from "./pool.ts";
 * declare const validator: PooledValidator;
 * (await validateBatch(validator, { type: "strin" }, [{ value: 1 }])).schema.ok; // false
 * ```
 */
export async function validateBatch(
  validator: PooledValidator,
  schema: unknown,
  instances: readonly BatchInstance[],
  budgetMs = Infinity,
): Promise<BatchAnswer> {
  const deadline = performance.now() + budgetMs;
  const compiled = await validator.compile(schema);
  if (!compiled.ok) {
    return {
      schema: {
        ok: false,
        kind: compiled.kind,
        message: compiled.reason,
        draft: compiled.draft.draft,
      },
      results: [],
    };
  }
  const results: BatchResult[] = [];
  for (const instance of instances) {
    if (performance.now() > deadline) {
      // The whole request is bounded too, not only each check.
      results.push({
        valid: false,
        errors: [],
        problem: {
          kind: "validation_timeout",
          message: `not checked: the request's ${budgetMs} ms ran out`,
        },
      });
      continue;
    }
    const verdict = await compiled.check(instance.value, instance.literals);
    if (verdict.status === "invalid_schema") {
      results.push({
        valid: false,
        errors: [],
        problem: { kind: verdict.kind, message: verdict.reason },
      });
      continue;
    }
    results.push({
      valid: verdict.status === "valid",
      errors: verdict.errors.map((e) => ({
        instance_path: e.instance_path,
        keyword: e.keyword,
        message: e.message,
      })),
    });
  }
  return {
    schema: {
      ok: true,
      draft: compiled.draft.draft,
      inferred: inferred(compiled.draft),
      note: compiled.draft.note,
    },
    results,
  };
}

/**
 * Splits the literals of a whole document (`numberLiterals` of the body)
 * into those of the item at `prefix` (`/instances/3`), with paths relative
 * to it.
 *
 * @example
 * ```ts
 * literalsUnder({ "/instances/0/n": "1.0" }, "/instances/0"); // { "/n": "1.0" }
 * ```
 */
export function literalsUnder(
  literals: NumberLiterals | null,
  prefix: string,
): NumberLiterals | null {
  if (!literals) return null;
  const out: NumberLiterals = {};
  let any = false;
  for (const [path, literal] of Object.entries(literals)) {
    if (path === prefix || path.startsWith(`${prefix}/`)) {
      out[path.slice(prefix.length)] = literal;
      any = true;
    }
  }
  return any ? out : null;
}
