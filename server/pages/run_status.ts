/**
 * A run's status in the words of its report.
 *
 * @example
 * ```ts
 * import { statusLabel } from "./run_status.ts";
 * statusLabel({ status: "running" }); // "running"
 * ```
 * @module
 */
import type { RunView } from "./run_page.tsx";
import { formatMs, formatTime } from "./format.ts";

/**
 * The status as the report says it: a failed run's reason beside it, a
 * waiting run's wait, a run that waited for its engine, how long.
 *
 * @example
 * ```ts
 * import { statusLabel } from "./run_status.ts";
 * statusLabel({ status: "failed", failureReason: "engine_down" }); // "failed (engine_down)"
 * statusLabel({ status: "done", engineWaitedMs: 20300 }); // "done (waited 20.30 s for the engine)"
 * ```
 */
export function statusLabel(
  run: Pick<
    RunView,
    "status" | "failureReason" | "waitingSince" | "engineWaitedMs"
  >,
): string {
  if (run.status === "failed" && run.failureReason) {
    return `failed (${run.failureReason})`;
  }
  if (run.status === "waiting_for_engine") {
    return `waiting for the engine since ${
      formatTime(run.waitingSince)
    }: no case is claimed until it answers again`;
  }
  if (run.engineWaitedMs) {
    return `${run.status} (waited ${
      formatMs(run.engineWaitedMs, "-")
    } for the engine)`;
  }
  return run.status;
}
