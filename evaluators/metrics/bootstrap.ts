/**
 * Percentile-bootstrap confidence intervals for a statistic of a sample,
 * with a seeded (deterministic) random number generator.
 *
 * Method: draw `resamples` samples of size n with replacement from the
 * data, compute the statistic on each, and report the (1 − level)/2 and
 * (1 + level)/2 quantiles of those replicates (linear interpolation, as
 * {@link percentile} does) as the interval, with the statistic of the data
 * itself as `value` (Efron's percentile interval; Efron & Tibshirani, "An
 * Introduction to the Bootstrap", 1993, ch. 13).
 *
 * The random numbers come from a Weyl sequence (a counter stepped by
 * 0x9e3779b9) passed through MurmurHash3's 32-bit finaliser: fast, good
 * enough for resampling, and the same for the same seed on every machine.
 *
 * {@link bootstrapMedian} sorts the data once and then, for each resample,
 * only counts how often each sorted position was drawn and walks those
 * counts to the middle (a counting select rather than a quickselect): O(n) per resample with no sorting or partitioning,
 * so 10,000 samples × 2,000 resamples take well under a second. It draws
 * exactly the same resamples as {@link bootstrapStatistic} with the same
 * seed, so the two agree for a median statistic.
 *
 * @example
 * ```ts
 * import { bootstrapMedian } from "./bootstrap.ts";
 * bootstrapMedian([120, 80, 95, 300, 110], { seed: 7 });
 * // { value: 110, low: 80, high: 300, n: 5 } (the bounds depend on the seed)
 * ```
 * @module
 */
import { percentile } from "./stats.ts";

/** How to bootstrap. */
export interface BootstrapOptions {
  /** Number of resamples (a positive integer); default 2000. */
  resamples?: number;
  /** Seed of the random number generator (any number); default 1. */
  seed?: number;
  /** Confidence level, strictly between 0 and 1; default 0.95. */
  level?: number;
}

/** A statistic with its bootstrap interval; all null when `n` is 0. */
export interface BootstrapInterval {
  value: number | null;
  low: number | null;
  high: number | null;
  n: number;
}

const DEFAULT_RESAMPLES = 2000;
const DEFAULT_SEED = 1;
const DEFAULT_LEVEL = 0.95;
const TWO_TO_32 = 4294967296;

/** Uniform numbers in [0, 1) from a Weyl sequence and a 32-bit mixer. */
function seededUniform(seed: number): () => number {
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    return z / TWO_TO_32;
  };
}

interface Settings {
  resamples: number;
  seed: number;
  level: number;
}

function settings(options: BootstrapOptions): Settings {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? DEFAULT_SEED;
  const level = options.level ?? DEFAULT_LEVEL;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`resamples must be a positive integer: ${resamples}`);
  }
  if (!Number.isFinite(seed)) {
    throw new RangeError(`seed must be a finite number: ${seed}`);
  }
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`level must be strictly between 0 and 1: ${level}`);
  }
  return { resamples, seed, level };
}

/** The interval from the replicates, with `value` as the point estimate. */
function interval(
  value: number,
  replicates: number[],
  level: number,
  n: number,
): BootstrapInterval {
  const tail = (1 - level) / 2;
  return {
    value,
    low: percentile(replicates, tail),
    high: percentile(replicates, 1 - tail),
    n,
  };
}

/**
 * The percentile-bootstrap interval of any statistic of `samples`.
 *
 * `statistic` is called once on `samples` (for `value`) and once per
 * resample; the array it gets for a resample is reused for the next one, so
 * it may reorder it but must not keep it. Empty `samples` give all nulls
 * without calling it.
 *
 * @example
 * ```ts
 * const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
 * bootstrapStatistic([1, 2, 3, 4, 10], mean, { resamples: 1000, seed: 3 });
 * // { value: 4, low: 1.8, high: 7, n: 5 }
 * ```
 */
export function bootstrapStatistic(
  samples: readonly number[],
  statistic: (xs: number[]) => number,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const { resamples, seed, level } = settings(options);
  const n = samples.length;
  if (n === 0) return { value: null, low: null, high: null, n: 0 };
  const value = statistic([...samples]);
  const uniform = seededUniform(seed);
  const buffer = new Array<number>(n);
  const replicates = new Array<number>(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let j = 0; j < n; j++) {
      buffer[j] = samples[Math.floor(uniform() * n)];
    }
    replicates[r] = statistic(buffer);
  }
  return interval(value, replicates, level, n);
}

/**
 * The median of sorted values given how often each position was drawn
 * (`total` draws in all): the mean of the two middle order statistics when
 * `total` is even, computed as {@link percentile} computes it.
 */
function medianOfCounts(
  sorted: Float64Array,
  counts: Uint32Array,
  total: number,
): number {
  const lower = Math.floor((total - 1) / 2);
  const upper = Math.ceil((total - 1) / 2);
  // `drawn` = how many draws fell at or before position i.
  let i = 0;
  let drawn = counts[0];
  while (drawn <= lower) drawn += counts[++i];
  const below = sorted[i];
  while (drawn <= upper) drawn += counts[++i];
  const above = sorted[i];
  return below + (above - below) * 0.5;
}

/**
 * The median of `samples` with its percentile-bootstrap interval (see the
 * module's description of the method). Null for no samples; for one sample
 * `low` = `high` = `value`. Throws a RangeError for a sample that is not a
 * finite number.
 *
 * @example
 * ```ts
 * bootstrapMedian([]); // { value: null, low: null, high: null, n: 0 }
 * bootstrapMedian([42]); // { value: 42, low: 42, high: 42, n: 1 }
 * bootstrapMedian([12, 15, 11, 40, 13, 14, 90, 12], {
 *   resamples: 5000,
 *   seed: 11,
 *   level: 0.9,
 * }); // { value: 13.5, low: 12, high: 27.5, n: 8 }
 * ```
 */
export function bootstrapMedian(
  samples: readonly number[],
  options: BootstrapOptions = {},
): BootstrapInterval {
  const { resamples, seed, level } = settings(options);
  const n = samples.length;
  if (n === 0) return { value: null, low: null, high: null, n: 0 };
  for (const x of samples) {
    if (!Number.isFinite(x)) {
      throw new RangeError(`samples must be finite numbers: ${x}`);
    }
  }
  // Sort once; `position[j]` is where samples[j] landed, so a draw of index
  // j (the same draw bootstrapStatistic makes) counts at its sorted place.
  const order = Array.from(samples.keys()).sort((i, j) =>
    samples[i] - samples[j]
  );
  const sorted = new Float64Array(n);
  const position = new Uint32Array(n);
  order.forEach((original, place) => {
    sorted[place] = samples[original];
    position[original] = place;
  });
  const counts = new Uint32Array(n);
  counts.fill(1);
  const value = medianOfCounts(sorted, counts, n);
  const uniform = seededUniform(seed);
  const replicates = new Array<number>(resamples);
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let j = 0; j < n; j++) counts[position[Math.floor(uniform() * n)]]++;
    replicates[r] = medianOfCounts(sorted, counts, n);
  }
  return interval(value, replicates, level, n);
}

/** The replicates of a stratified bootstrap, with the statistic of the data. */
export interface StratifiedReplicates {
  /** The statistic of the groups themselves. */
  value: number;
  /** One statistic per resample. */
  replicates: number[];
}

/**
 * A stratified bootstrap: each resample draws every group anew, with
 * replacement and at its own size, from that group alone (so a two-sample
 * statistic keeps both sample sizes), using the same seeded generator as
 * {@link bootstrapStatistic}. Gives the statistic of the data and of every
 * resample; {@link stratifiedBootstrap} turns them into an interval.
 *
 * `statistic` gets arrays that are reused for the next resample (it must
 * not keep them). Throws a RangeError for an empty group.
 *
 * @example
 * ```ts
 * const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
 * const difference = ([a, b]: number[][]) => mean(a) - mean(b);
 * const { value, replicates } = stratifiedReplicates(
 *   [[1, 2, 3], [0, 1]],
 *   difference,
 *   { resamples: 200, seed: 4 },
 * );
 * value; // 1.5
 * replicates.length; // 200
 * ```
 */
export function stratifiedReplicates<T>(
  groups: readonly (readonly T[])[],
  statistic: (groups: T[][]) => number,
  options: BootstrapOptions = {},
): StratifiedReplicates {
  const { resamples } = settings(options);
  const seed = options.seed ?? DEFAULT_SEED;
  for (const group of groups) {
    if (group.length === 0) throw new RangeError("a group is empty");
  }
  const value = statistic(groups.map((group) => [...group]));
  const uniform = seededUniform(seed);
  // Packed copies (never holey arrays), refilled in place for each resample.
  const buffers = groups.map((group) => [...group]);
  const replicates = new Array<number>(resamples).fill(0);
  for (let r = 0; r < resamples; r++) {
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g];
      const buffer = buffers[g];
      const n = group.length;
      for (let j = 0; j < n; j++) buffer[j] = group[Math.floor(uniform() * n)];
    }
    replicates[r] = statistic(buffers);
  }
  return { value, replicates };
}

/**
 * The percentile interval of a stratified bootstrap (see
 * {@link stratifiedReplicates}); `n` is the total size of the groups.
 *
 * @example
 * ```ts
 * const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
 * stratifiedBootstrap([[5, 6, 7], [1, 2]], ([a, b]) => mean(a) - mean(b), {
 *   seed: 2,
 * }); // { value: 4.5, low: 3.5, high: 5.5, n: 5 } (the bounds depend on the seed)
 * ```
 */
export function stratifiedBootstrap<T>(
  groups: readonly (readonly T[])[],
  statistic: (groups: T[][]) => number,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const { level } = settings(options);
  const { value, replicates } = stratifiedReplicates(
    groups,
    statistic,
    options,
  );
  const n = groups.reduce((sum, group) => sum + group.length, 0);
  return interval(value, replicates, level, n);
}
