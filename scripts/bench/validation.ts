/**
 * The `validation` figure of `deno task bench`: every schema compiled with
 * the project's validator (`evaluators/validation/validate.ts`, declared mode) and an
 * answer (`{}`, the stub engine's reply) checked against it. Cold: compile
 * plus the first check, per schema (what a case costs the first time its
 * schema is seen). Warm: the check again with the validator already
 * compiled (every later case of that schema). Per-schema p50/p99 and the
 * totals, in this process.
 *
 * @example
 * ```ts
 * import { measureValidation } from "./validation.ts";
 * import type { BenchCase } from "./cases.ts";
 * declare const cases: BenchCase[];
 * const v = await measureValidation(cases.map((c) => c.schema));
 * console.log(v.compiled, v.cold.p50_ms, v.warm.p99_ms);
 * ```
 * @module
 */
import { SchemaValidator } from "../../evaluators/validation/validate.ts";

/**
 * Percentiles and total of a set of timings.
 *
 * @example
 * ```ts
 * const t: Timing = { p50_ms: 1.2, p99_ms: 84, total_s: 49.5 };
 * ```
 */
export interface Timing {
  p50_ms: number;
  p99_ms: number;
  total_s: number;
}

/**
 * The validation figure.
 *
 * @example
 * ```ts
 * declare const schemas: unknown[];
 * const figure: ValidationFigure = await measureValidation(schemas);
 * ```
 */
export interface ValidationFigure {
  schemas: number;
  compiled: number;
  /**
   * Checks that answered with a rejected promise instead of a verdict
   * (schemas with `"$async": true`): counted, kept from ending the process.
   */
  async_rejections: number;
  cold: Timing;
  warm: Timing;
}

/**
 * The `p` quantile (0..1) of ascending `sorted`, nearest rank.
 *
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.5); // 2
 * ```
 */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/**
 * Percentiles and total of `samples` (ms).
 *
 * @example
 * ```ts
 * timing([1, 2, 3]).total_s; // 0.006
 * ```
 */
export function timing(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50_ms: quantile(sorted, 0.5),
    p99_ms: quantile(sorted, 0.99),
    total_s: samples.reduce((s, x) => s + x, 0) / 1000,
  };
}

/**
 * Compiles and checks every schema, cold then warm.
 *
 * @example
 * ```ts
 * (await measureValidation([{ type: "object" }])).compiled; // 1
 * ```
 */
export async function measureValidation(
  schemas: readonly unknown[],
  answer: unknown = {},
): Promise<ValidationFigure> {
  let rejections = 0;
  const swallow = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    rejections++;
  };
  globalThis.addEventListener("unhandledrejection", swallow);
  try {
    const figure = measure(schemas, answer);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { ...figure, async_rejections: rejections };
  } finally {
    globalThis.removeEventListener("unhandledrejection", swallow);
  }
}

function measure(
  schemas: readonly unknown[],
  answer: unknown,
): Omit<ValidationFigure, "async_rejections"> {
  const validator = new SchemaValidator({ cacheSize: schemas.length + 1 });
  const checks: ((instance: unknown) => unknown)[] = [];
  const cold: number[] = [];
  for (const schema of schemas) {
    const started = performance.now();
    const compiled = validator.compile(schema);
    if (compiled.ok) {
      compiled.check(answer);
      checks.push(compiled.check);
    }
    cold.push(performance.now() - started);
  }
  const warm: number[] = [];
  for (const check of checks) {
    const started = performance.now();
    check(answer);
    warm.push(performance.now() - started);
  }
  return {
    schemas: schemas.length,
    compiled: checks.length,
    cold: timing(cold),
    warm: timing(warm),
  };
}
