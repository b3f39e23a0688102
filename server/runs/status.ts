/**
 * A run's statuses that still have work: `queued` (not started),
 * `running`, and `waiting_for_engine` (its engine is down; nothing is
 * claimed until it answers again). Every other status is final: `done`,
 * `failed`, `cancelled`, `budget_exceeded`.
 *
 * @example
 * ```ts
 * import { ACTIVE_STATUSES, isActive } from "./status.ts";
 * ACTIVE_STATUSES.length; // 3
 * isActive("waiting_for_engine"); // true
 * ```
 * @module
 */

/**
 * Run statuses that still have work.
 *
 * @example
 * ```ts
 * import { ACTIVE_STATUSES } from "./status.ts";
 * ACTIVE_STATUSES.includes("running"); // true
 * ```
 */
export const ACTIVE_STATUSES = [
  "queued",
  "running",
  "waiting_for_engine",
] as const;

/**
 * Whether a status is one of {@link ACTIVE_STATUSES}.
 *
 * @example
 * ```ts
 * import { isActive } from "./status.ts";
 * isActive("waiting_for_engine"); // true
 * isActive("done"); // false
 * ```
 */
export function isActive(status: string): boolean {
  return (ACTIVE_STATUSES as readonly string[]).includes(status);
}
