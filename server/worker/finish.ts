/**
 * A run's finish, once no case is pending: its summary from the stored
 * results (`runSummary`: the scores and a quality run's accuracy), whether
 * it measured nothing (`server/runs/failure.ts`: it then ends `failed`
 * with its reason), whether it is partial (`server/runs/partial.ts`,
 * judged against its target and suite as they are now), its drift flags
 * against its baseline, all stored at once by `finishRun`; then the
 * keyword matrix's tally of the run (`db/queries/keyword_stats.ts`).
 *
 * @example
 * ```ts
 * import { finishStoredRun } from "./finish.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * if (await finishStoredRun(database, runId)) console.log("finished");
 * ```
 * @module
 */
import {
  runSummary,
  type SummarizedResult,
} from "../../evaluators/metrics/summary.ts";
import type { Database } from "../db/client.ts";
import { driftFor } from "../db/queries/drift.ts";
import { infraErrorMessages, resultSummaries } from "../db/queries/results.ts";
import { finishRun } from "../db/queries/run_lifecycle.ts";
import { storeKeywordStats } from "../db/queries/keyword_stats.ts";
import { getRun } from "../db/queries/runs.ts";
import { getSuite } from "../db/queries/suites.ts";
import { getTarget } from "../db/queries/targets.ts";
import { failureOf } from "../runs/failure.ts";
import { partialColumns, partialReasons } from "../runs/partial.ts";

/**
 * Scores, judges and finishes a run (`done`, or `failed` when it measured
 * nothing); true for the one caller that finished it (the caller then
 * tells the board's caches).
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * await finishStoredRun(database, "2b1c…");
 * ```
 */
export async function finishStoredRun(
  database: Database,
  runId: string,
): Promise<boolean> {
  const rows = await resultSummaries(database, runId);
  const summary = runSummary(rows as SummarizedResult[]);
  const run = await getRun(database, runId);
  if (!run) return false;
  const [target, suite] = await Promise.all([
    getTarget(database, run.targetId),
    getSuite(database, run.suiteId),
  ]);
  const partial = partialColumns(
    target && suite
      ? partialReasons({
        options: run.options,
        target,
        suiteCases: suite.caseCount,
        summary,
      })
      : ["its target or suite is gone"],
  );
  const failure = failureOf({
    summary,
    infraMessages: await infraErrorMessages(database, runId),
  });
  const flags = await driftFor(database, runId, summary);
  const finished = await finishRun(
    database,
    runId,
    summary,
    flags,
    partial,
    failure,
  );
  // The keyword matrix's tally, once; a failure here leaves the run
  // finished and the tally to the start-up backfill.
  if (finished) {
    await storeKeywordStats(database, runId).catch((error) =>
      console.error(`keyword tally of run ${runId} not stored: ${error}`)
    );
  }
  return finished;
}
