/**
 * Ranks that respect uncertainty, by Chatbot Arena's rule: an entry's rank
 * is 1 + the number of entries that are better than it beyond doubt, i.e.
 * whose interval's lower bound lies strictly above its upper bound. Entries
 * whose intervals overlap share ranks, and ranks need not be consecutive.
 *
 * @example
 * ```ts
 * import { tieAwareRanks } from "./ranks.ts";
 * tieAwareRanks([
 *   { id: "a", low: 0.8, high: 0.9 },
 *   { id: "b", low: 0.75, high: 0.85 },
 *   { id: "c", low: 0.5, high: 0.6 },
 * ]); // Map { "a" => 1, "b" => 1, "c" => 3 }
 * ```
 * @module
 */

/** An entry to rank: higher is better; null bounds mean no interval. */
export interface RankEntry {
  id: string;
  low: number | null;
  high: number | null;
}

/** The index of the first element of ascending `xs` above `x`. */
function firstAbove(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Each entry's tie-aware rank (higher bounds are better): 1 + the number
 * of entries with bounds whose `low` is strictly greater than this entry's
 * `high`. An entry with a null `low` or `high` has no interval: it counts
 * against no one and ranks last, after every entry with bounds, at
 * 1 + (the number of entries with bounds), shared by all such entries.
 * Throws an Error for a repeated id. O(n log n).
 *
 * @example
 * ```ts
 * tieAwareRanks([
 *   { id: "x", low: 0.6, high: 0.7 },
 *   { id: "y", low: 0.1, high: 0.2 },
 *   { id: "z", low: null, high: null },
 * ]); // Map { "x" => 1, "y" => 2, "z" => 3 }
 * ```
 */
export function tieAwareRanks(
  entries: readonly RankEntry[],
): Map<string, number> {
  const seen = new Set<string>();
  for (const { id } of entries) {
    if (seen.has(id)) throw new Error(`repeated id: ${id}`);
    seen.add(id);
  }
  const bounded = entries.filter((e) => e.low !== null && e.high !== null);
  const lows = bounded.map((e) => e.low!).sort((x, y) => x - y);
  const ranks = new Map<string, number>();
  for (const { id, low, high } of entries) {
    if (low === null || high === null) {
      ranks.set(id, bounded.length + 1);
    } else {
      ranks.set(id, 1 + lows.length - firstAbove(lows, high));
    }
  }
  return ranks;
}
