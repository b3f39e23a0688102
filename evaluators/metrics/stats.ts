/**
 * Small statistics: Wilson score intervals for proportions and
 * percentiles of samples.
 *
 * @example
 * ```ts
 * import { percentile, wilson } from "./stats.ts";
 * wilson(8, 10); // { value: 0.8, low: 0.49, high: 0.94, n: 10 } (rounded)
 * percentile([1, 2, 3, 4], 0.5); // 2.5
 * ```
 * @module
 */

/** A proportion with its 95% interval; `value` is null when `n` is 0. */
export interface Proportion {
  value: number | null;
  low: number | null;
  high: number | null;
  n: number;
}

/**
 * The Wilson score interval for `successes` out of `n` (z = 1.96 by
 * default: 95%).
 *
 * @example
 * ```ts
 * wilson(0, 0); // { value: null, low: null, high: null, n: 0 }
 * ```
 */
export function wilson(successes: number, n: number, z = 1.959964): Proportion {
  if (n <= 0) return { value: null, low: null, high: null, n: 0 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))) /
    denominator;
  return {
    value: p,
    low: Math.max(0, centre - half),
    high: Math.min(1, centre + half),
    n,
  };
}

/**
 * The `q` quantile (0..1) by linear interpolation; null for no samples.
 *
 * @example
 * ```ts
 * percentile([10, 20, 30], 0.9); // 28
 * ```
 */
export function percentile(
  samples: readonly number[],
  q: number,
): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}
