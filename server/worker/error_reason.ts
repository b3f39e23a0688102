/**
 * The one line a worker logs for an error: the error's own reason (a
 * database error's cause, not drizzle's query dump), a full disk named,
 * at most 300 characters.
 *
 * @example
 * ```ts
 * import { errorReason } from "./error_reason.ts";
 * errorReason(new Error("boom")); // "boom"
 * ```
 * @module
 */
import { isDiskFull } from "../http/storage_health.ts";

/**
 * See the module doc.
 *
 * @example
 * ```ts
 * errorReason(new Error("failed query", { cause: new Error("connection reset") })); // "connection reset"
 * ```
 */
export function errorReason(error: unknown): string {
  const e = error as Error & { cause?: unknown };
  const own = e?.cause instanceof Error ? e.cause.message : e?.message;
  return `${isDiskFull(error) ? "disk_full: " : ""}${own ?? String(error)}`
    .slice(0, 300);
}
