/**
 * A small seeded pseudo-random generator (mulberry32) and the helpers the
 * quality task generators need: an integer in a range, a pick, a shuffle and
 * a sample without repeats. The same seed always gives the same sequence, on
 * every platform, so a generated suite can be rebuilt from its seed alone.
 *
 * @example
 * ```ts
 * import { createRandom } from "./random.ts";
 * const random = createRandom(7);
 * random.int(1, 6); // the same die roll every time for seed 7
 * random.shuffle(["a", "b", "c"]); // a new, reordered array
 * ```
 * @module
 */

/**
 * A seeded source of random numbers.
 *
 * @example
 * ```ts
 * const random: Random = createRandom(1);
 * random.pick(["a", "b"]); // "a" or "b", the same for seed 1 every time
 * ```
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy of the list (Fisher–Yates); the input is untouched. */
  shuffle<T>(items: readonly T[]): T[];
  /** `count` distinct elements, in random order. */
  sample<T>(items: readonly T[], count: number): T[];
}

/**
 * Folds any safe integer seed (negative or above 2^32 too) into 32 bits,
 * mixing the high half in so that `seed` and `seed + 2^32` differ.
 *
 * @example
 * ```ts
 * seedToUint32(1) !== seedToUint32(2 ** 32 + 1); // true
 * ```
 */
export function seedToUint32(seed: number): number {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`seed must be a safe integer, got ${seed}`);
  }
  const low = seed >>> 0;
  const high = Math.floor(seed / 2 ** 32) >>> 0;
  return (low ^ Math.imul(high, 0x9e3779b9)) >>> 0;
}

/**
 * Creates a generator for `seed` (a safe integer).
 *
 * @example
 * ```ts
 * const a = createRandom(42).next();
 * const b = createRandom(42).next();
 * a === b; // true
 * ```
 */
export function createRandom(seed: number): Random {
  let state = seedToUint32(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`bad integer range [${min}, ${max}]`);
    }
    return min + Math.floor(next() * (max - min + 1));
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(0, i);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  };
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError("cannot pick from []");
      return items[int(0, items.length - 1)];
    },
    shuffle,
    sample: <T>(items: readonly T[], count: number): T[] => {
      if (!Number.isInteger(count) || count < 0 || count > items.length) {
        throw new RangeError(
          `cannot sample ${count} of ${items.length} items`,
        );
      }
      return shuffle(items).slice(0, count);
    },
  };
}
