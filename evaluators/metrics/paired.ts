/**
 * Comparing two engines' pass/fail results: on the same cases (paired:
 * McNemar's exact test and Newcombe's paired interval for the difference
 * of accuracies) or on different case sets (Newcombe's interval for
 * independent proportions). Every difference is b minus a, with a 95%
 * interval.
 *
 * @example
 * ```ts
 * import { pairedComparison } from "./paired.ts";
 * const c = pairedComparison([
 *   { key: "case-1", a: true, b: true },
 *   { key: "case-2", a: false, b: true },
 * ]);
 * c.difference.value; // 0.5
 * c.flipped_to_b; // ["case-2"]
 * ```
 * @module
 */
import { type Proportion, wilson } from "./stats.ts";

/** A difference of two proportions (b − a) with its 95% interval. */
export interface Difference {
  value: number | null;
  low: number | null;
  high: number | null;
}

/** One case's result under engine a and under engine b. */
export interface PairedOutcome {
  key: string;
  a: boolean;
  b: boolean;
}

/** The four cells of a paired 2×2 table. */
export interface PairedCounts {
  /** Cases both a and b passed. */
  both: number;
  /** Cases only a passed. */
  only_a: number;
  /** Cases only b passed. */
  only_b: number;
  /** Cases neither passed. */
  neither: number;
}

/** Successes out of `n` trials. */
export interface Counts {
  successes: number;
  n: number;
}

/** Everything {@link pairedComparison} finds. */
export interface PairedComparison extends PairedCounts {
  n: number;
  accuracy_a: Proportion;
  accuracy_b: Proportion;
  /** accuracy_b − accuracy_a, with Newcombe's paired interval. */
  difference: Difference;
  /** Exact two-sided McNemar p-value on only_a and only_b. */
  mcnemar_p: number;
  /** Keys of the cases a failed and b passed, in input order. */
  flipped_to_b: string[];
  /** Keys of the cases a passed and b failed, in input order. */
  flipped_to_a: string[];
}

/** Up to this many discordant pairs, 2^-(b+c) is a normal double. */
const SMALL_TOTAL = 1000;

const EMPTY: Difference = { value: null, low: null, high: null };

function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer: ${value}`);
  }
}

function clamp(x: number): number {
  return Math.min(1, Math.max(-1, x));
}

/**
 * The exact two-sided McNemar p-value for `b` and `c` discordant pairs: a
 * binomial test of the discordant pairs against p = 0.5, i.e.
 * min(1, 2 × P[X ≤ min(b, c)]) for X ~ Binomial(b + c, 1/2); 1 when
 * b + c = 0.
 *
 * Up to 1,000 discordant pairs the terms are summed directly from
 * P[X = 0] = 2^-(b+c) by the ratio P[X = i] / P[X = i − 1] = (N − i + 1) / i.
 * Beyond that, so that b + c of 100,000 and more works, the largest term,
 * P[X = min(b, c)], is found in log space (a sum of logarithms for the
 * binomial coefficient) and multiplied by the sum of the smaller terms
 * relative to it; a p-value below about 1e-308 comes out as 0.
 *
 * @example
 * ```ts
 * mcnemarExact(1, 8); // 0.0390625 (= 2 × (1 + 9) / 2^9)
 * mcnemarExact(5, 5); // 1
 * ```
 */
export function mcnemarExact(b: number, c: number): number {
  assertCount("b", b);
  assertCount("c", c);
  const total = b + c;
  const k = Math.min(b, c);
  if (total === 0 || 2 * k === total) return 1;
  if (total <= SMALL_TOTAL) {
    // P[X = 0] = 2^-total is exact here; build the terms up from it.
    let term = Math.pow(2, -total);
    let tail = term;
    for (let i = 1; i <= k; i++) {
      term *= (total - i + 1) / i;
      tail += term;
    }
    return Math.min(1, 2 * tail);
  }
  let logChoose = 0;
  for (let i = 1; i <= k; i++) {
    logChoose += Math.log(total - k + i) - Math.log(i);
  }
  const logLargest = logChoose - total * Math.LN2;
  let relative = 1;
  let term = 1;
  for (let i = k; i >= 1; i--) {
    term *= i / (total - i + 1);
    relative += term;
    if (term < relative * 1e-17) break;
  }
  return Math.min(1, 2 * Math.exp(logLargest + Math.log(relative)));
}

/**
 * The 95% interval for the difference of two paired proportions,
 * (both + only_b)/n − (both + only_a)/n, by Newcombe's method 10 (R. G.
 * Newcombe, "Improved confidence intervals for the difference between
 * binomial proportions based on paired data", Statistics in Medicine 1998;
 * 17:2635–2650): the hybrid score ("square-and-add") interval built from
 * the Wilson score intervals of the two marginal proportions, with the
 * phi-corrected correlation between them. With A = both × neither −
 * only_a × only_b, phi = (A − n/2)/√(product of the four margins) when
 * A > n/2, 0 when 0 ≤ A ≤ n/2, A/√(…) when A < 0, and 0 when a margin is
 * empty. This is the form given by Fagerland, Lydersen & Laake,
 * "Statistical Analysis of Contingency Tables" (2017), ch. 8, and by
 * Altman et al., "Statistics with Confidence" (2000). All null when n = 0.
 *
 * @example
 * ```ts
 * // Fagerland et al. (2017), ch. 8, Cavo et al. (2012): b − a = −0.0621
 * pairedDifference({ both: 59, only_b: 6, only_a: 16, neither: 80 });
 * // { value: -0.0621, low: -0.1186, high: -0.0046 } (rounded)
 * ```
 */
export function pairedDifference(counts: PairedCounts): Difference {
  const { both, only_a, only_b, neither } = counts;
  assertCount("both", both);
  assertCount("only_a", only_a);
  assertCount("only_b", only_b);
  assertCount("neither", neither);
  const n = both + only_a + only_b + neither;
  if (n === 0) return { ...EMPTY };
  const pb = (both + only_b) / n;
  const pa = (both + only_a) / n;
  const wb = wilson(both + only_b, n);
  const wa = wilson(both + only_a, n);
  const margins = (both + only_b) * (only_a + neither) * (both + only_a) *
    (only_b + neither);
  const cross = both * neither - only_a * only_b;
  let phi = 0;
  if (margins > 0) {
    if (cross > n / 2) phi = (cross - n / 2) / Math.sqrt(margins);
    else if (cross < 0) phi = cross / Math.sqrt(margins);
  }
  const value = pb - pa;
  const bDown = pb - wb.low!;
  const bUp = wb.high! - pb;
  const aDown = pa - wa.low!;
  const aUp = wa.high! - pa;
  const below = Math.sqrt(
    Math.max(0, bDown * bDown - 2 * phi * bDown * aUp + aUp * aUp),
  );
  const above = Math.sqrt(
    Math.max(0, bUp * bUp - 2 * phi * bUp * aDown + aDown * aDown),
  );
  return { value, low: clamp(value - below), high: clamp(value + above) };
}

/**
 * The 95% interval for b's proportion minus a's when the two come from
 * different case sets: Newcombe's hybrid score interval, method 10 of R. G.
 * Newcombe, "Interval estimation for the difference between independent
 * proportions: comparison of eleven methods", Statistics in Medicine 1998;
 * 17:873–890 (the square-and-add of the two Wilson score intervals). All
 * null when either n is 0.
 *
 * @example
 * ```ts
 * // Newcombe (1998), example (a): 56/70 vs 48/80
 * differenceOfIndependent({ successes: 48, n: 80 }, { successes: 56, n: 70 });
 * // { value: 0.2, low: 0.0524, high: 0.3339 } (rounded)
 * ```
 */
export function differenceOfIndependent(a: Counts, b: Counts): Difference {
  for (const [name, counts] of [["a", a], ["b", b]] as const) {
    assertCount(`${name}.n`, counts.n);
    assertCount(`${name}.successes`, counts.successes);
    if (counts.successes > counts.n) {
      throw new RangeError(
        `${name}.successes (${counts.successes}) exceeds ${name}.n (${counts.n})`,
      );
    }
  }
  if (a.n === 0 || b.n === 0) return { ...EMPTY };
  const pa = a.successes / a.n;
  const pb = b.successes / b.n;
  const wa = wilson(a.successes, a.n);
  const wb = wilson(b.successes, b.n);
  const value = pb - pa;
  const below = Math.hypot(pb - wb.low!, wa.high! - pa);
  const above = Math.hypot(wb.high! - pb, pa - wa.low!);
  return { value, low: clamp(value - below), high: clamp(value + above) };
}

/**
 * Compares engines a and b on the same cases: the 2×2 counts, each
 * accuracy with its Wilson interval, accuracy_b − accuracy_a with
 * Newcombe's paired interval ({@link pairedDifference}), the exact McNemar
 * p-value ({@link mcnemarExact}) and the keys of the cases that flipped.
 *
 * @example
 * ```ts
 * const c = pairedComparison([
 *   { key: "x", a: true, b: false },
 *   { key: "y", a: true, b: true },
 * ]);
 * c.only_a; // 1
 * c.flipped_to_a; // ["x"]
 * c.mcnemar_p; // 1
 * ```
 */
export function pairedComparison(
  pairs: readonly PairedOutcome[],
): PairedComparison {
  const counts: PairedCounts = { both: 0, only_a: 0, only_b: 0, neither: 0 };
  const flippedToB: string[] = [];
  const flippedToA: string[] = [];
  for (const { key, a, b } of pairs) {
    if (a && b) counts.both++;
    else if (a) {
      counts.only_a++;
      flippedToA.push(key);
    } else if (b) {
      counts.only_b++;
      flippedToB.push(key);
    } else counts.neither++;
  }
  const n = pairs.length;
  return {
    n,
    ...counts,
    accuracy_a: wilson(counts.both + counts.only_a, n),
    accuracy_b: wilson(counts.both + counts.only_b, n),
    difference: pairedDifference(counts),
    mcnemar_p: mcnemarExact(counts.only_a, counts.only_b),
    flipped_to_b: flippedToB,
    flipped_to_a: flippedToA,
  };
}
