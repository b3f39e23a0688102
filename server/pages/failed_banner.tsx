/**
 * The banner that opens a `failed` run's report: nothing was measured, and
 * why (`server/runs/failure.ts` gives the reasons).
 *
 * @example
 * ```tsx
 * import { FailedBanner } from "./failed_banner.tsx";
 * <FailedBanner run={{ failureReason: "auth_failed", error: "HTTP 401" }} />;
 * ```
 * @module
 */
import { FAILURE_TEXT, type FailureReason } from "../runs/failure.ts";
/**
 * The banner a failed run opens with: nothing was measured, and why. The
 * run is on no leaderboard, ranking or trend.
 *
 * @example
 * ```tsx
 * import { FailedBanner } from "./failed_banner.tsx";
 * <FailedBanner run={{ failureReason: "engine_down", error: null }} />;
 * ```
 */
export function FailedBanner(
  props: { run: { failureReason?: string | null; error: string | null } },
) {
  const { run } = props;
  const reason = run.failureReason as FailureReason | null | undefined;
  const why = reason && reason in FAILURE_TEXT
    ? `${FAILURE_TEXT[reason]} (${reason})`
    : "the run failed";
  return (
    <div class="notice failed" role="alert">
      <p>
        <strong>Nothing was measured:</strong>{" "}
        {why}. This run is not on the leaderboard, in any ranking or trend, and
        is no drift baseline.
      </p>
      {run.error && <p>{run.error}</p>}
    </div>
  );
}
