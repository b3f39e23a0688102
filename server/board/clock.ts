/**
 * A counter of the changes that can alter the leaderboard or a run's
 * report (a run created, started, stopped or finished, hidden or shown, a
 * target created), bumped by the callers that make them (routes, worker,
 * cron, services: the queries know nothing of it). The board page re-reads
 * its data version only when this process saw such a change, or at most
 * once a second for the changes other processes make (with PostgreSQL,
 * several servers and workers share the data). So a reader in this process
 * sees a change at once, and any change within a second.
 *
 * @example
 * ```ts
 * import { boardChanged, boardEpoch } from "./clock.ts";
 * const before = boardEpoch();
 * boardChanged();
 * boardEpoch() > before; // true
 * ```
 * @module
 */
let epoch = 0;

/**
 * Records a change that can alter the leaderboard.
 *
 * @example
 * ```ts
 * boardChanged();
 * ```
 */
export function boardChanged(): void {
  epoch++;
}

/**
 * How many such changes this process has seen.
 *
 * @example
 * ```ts
 * const seen = boardEpoch();
 * ```
 */
export function boardEpoch(): number {
  return epoch;
}
