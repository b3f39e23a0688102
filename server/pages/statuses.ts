/**
 * How a run's status reads on the pages: one list, so that every page
 * says a status the same way, and a status added later (the engine-outage
 * pause, `waiting_for_engine`) reads sensibly before any page knows it.
 *
 * @example
 * ```ts
 * import { statusLook } from "./statuses.ts";
 * statusLook("budget_exceeded").label; // "budget exceeded"
 * statusLook("brand_new").label; // "brand_new"
 * ```
 * @module
 */

/** How a status reads. */
export interface StatusLook {
  /** Words for it. */
  label: string;
  /** good: finished and measured; bad: measured nothing or stopped; active: still has work. */
  tone: "good" | "bad" | "active" | "neutral";
  /** A sentence for a reader who wonders what it means. */
  note: string;
}

/**
 * Every run status the pages know.
 *
 * @example
 * ```ts
 * RUN_STATUS_LOOK.running.tone; // "active"
 * ```
 */
export const RUN_STATUS_LOOK: Readonly<Record<string, StatusLook>> = {
  queued: {
    label: "queued",
    tone: "active",
    note: "waiting for a worker to start it",
  },
  running: {
    label: "running",
    tone: "active",
    note: "cases are being answered",
  },
  waiting_for_engine: {
    label: "waiting for the engine",
    tone: "active",
    note: "the engine stopped answering; the run resumes when it is back",
  },
  done: { label: "done", tone: "good", note: "every case has its outcome" },
  failed: {
    label: "failed",
    tone: "bad",
    note: "nothing was measured",
  },
  cancelled: {
    label: "cancelled",
    tone: "bad",
    note: "stopped before the end; the rest was skipped",
  },
  budget_exceeded: {
    label: "budget exceeded",
    tone: "bad",
    note: "stopped once its spend reached its budget",
  },
};

/**
 * The look of a status, known or not (an unknown one is shown as written).
 *
 * @example
 * ```ts
 * statusLook("done").tone; // "good"
 * ```
 */
export function statusLook(status: string): StatusLook {
  return Object.hasOwn(RUN_STATUS_LOOK, status)
    ? RUN_STATUS_LOOK[status]
    : { label: status, tone: "neutral", note: "" };
}
