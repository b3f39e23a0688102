/**
 * Asking an engine whether it answers: its own health probe (llama.cpp's
 * `/health`, an OpenAI-style models list), else its description.
 *
 * @example
 * ```ts
 * import { engineHealth } from "./engine_health.ts";
 * import type { Target } from "../../evaluators/targets/target.ts";
 * declare const target: Target;
 * if (!(await engineHealth(target, AbortSignal.timeout(5000)))) console.log("down");
 * ```
 * @module
 */
import type { Target } from "../../evaluators/targets/target.ts";

/**
 * How long one health probe may take (5 s).
 *
 * @example
 * ```ts
 * import { PROBE_TIMEOUT_MS } from "./engine_health.ts";
 * AbortSignal.timeout(PROBE_TIMEOUT_MS);
 * ```
 */
export const PROBE_TIMEOUT_MS = 5_000;

/**
 * Whether a target's engine answers its health probe now; never throws.
 *
 * @example
 * ```ts
 * import { engineHealth } from "./engine_health.ts";
 * import type { Target } from "../../evaluators/targets/target.ts";
 * declare const target: Target;
 * await engineHealth(target, AbortSignal.timeout(5000)); // true when it answers
 * ```
 */
export async function engineHealth(
  target: Target,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    return target.health
      ? await target.health(signal)
      : await target.describe(signal).then(() => true);
  } catch {
    return false;
  }
}
