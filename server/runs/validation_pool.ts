/**
 * The validation pool of the app's own checks (`POST /api/validate`,
 * `POST /api/runs/:id/rejudge`): the one the app was given, or one made
 * for the app on first use (its workers start on the first check).
 *
 * @example
 * ```ts
 * import { poolOf } from "./validation_pool.ts";
 * import { readEnv } from "../env.ts";
 * const deps = { env: readEnv({}) };
 * poolOf(deps) === poolOf(deps); // true
 * ```
 * @module
 */
import { ValidationPool } from "../../evaluators/validation/pool.ts";
import type { Env } from "../env.ts";

/** What {@link poolOf} reads of the app's dependencies. */
export interface PoolDeps {
  validationPool?: ValidationPool;
  env: Pick<Env, "validationTimeoutMs" | "compileTimeoutMs">;
}

const own = new WeakMap<PoolDeps, ValidationPool>();

/**
 * See the module doc.
 *
 * @example
 * ```ts
 * declare const deps: PoolDeps;
 * poolOf(deps).forMode("declared");
 * ```
 */
export function poolOf(deps: PoolDeps): ValidationPool {
  if (deps.validationPool) return deps.validationPool;
  let pool = own.get(deps);
  if (!pool) {
    pool = new ValidationPool({
      validationTimeoutMs: deps.env.validationTimeoutMs,
      compileTimeoutMs: deps.env.compileTimeoutMs,
    });
    own.set(deps, pool);
  }
  return pool;
}
