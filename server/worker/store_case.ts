/**
 * What the worker does with a case's result: a refused key fails the run
 * (the case is skipped with the rest); a case stopped because its engine
 * went down is handed back (a suspect when its request had reached the
 * engine), unless it was already a suspect retried alone, which makes it
 * the engine's own failure (`engine_error`); anything else is priced and
 * written once, under the lease (in the worker's next batch), and the
 * run's budget is checked.
 *
 * @example
 * ```ts
 * import { storeCase } from "./store_case.ts";
 * import type { CaseResult } from "../../evaluators/run_case.ts";
 * import type { ClaimedCase } from "../db/queries/queue.ts";
 * import type { Database } from "../db/client.ts";
 * import type { EngineWatch } from "./engine_watch.ts";
 * import type { ResultWriter } from "./result_writer.ts";
 * import type { RunContext } from "./run_context.ts";
 * declare const database: Database;
 * declare const watch: EngineWatch;
 * declare const writer: ResultWriter;
 * declare const ctx: RunContext;
 * declare const kase: ClaimedCase;
 * declare const result: CaseResult;
 * await storeCase({ database, workerId: "w1", watch, writer }, ctx, kase, result);
 * ```
 * @module
 */
import { costOf } from "../../evaluators/metrics/cost.ts";
import type { DistortionSample } from "../../evaluators/metrics/distortion.ts";
import type { CaseResult } from "../../evaluators/run_case.ts";
import { boardChanged } from "../board/cache.ts";
import type { Database } from "../db/client.ts";
import { handBack } from "../db/queries/engines.ts";
import { type ClaimedCase, skipPending } from "../db/queries/queue.ts";
import { spentUsd } from "../db/queries/results.ts";
import { stopRun } from "../db/queries/run_lifecycle.ts";
import { isKeyRefused } from "../runs/failure.ts";
import type { EngineWatch } from "./engine_watch.ts";
import { failForRefusedKey } from "./refused_key.ts";
import type { ResultWriter } from "./result_writer.ts";
import type { RunContext } from "./run_context.ts";

/**
 * What storing a case needs of the worker.
 *
 * @example
 * ```ts
 * import type { StoreDeps } from "./store_case.ts";
 * import type { Database } from "../db/client.ts";
 * import type { EngineWatch } from "./engine_watch.ts";
 * import type { ResultWriter } from "./result_writer.ts";
 * declare const database: Database;
 * declare const watch: EngineWatch;
 * declare const writer: ResultWriter;
 * const deps: StoreDeps = { database, workerId: "w1", watch, writer };
 * ```
 */
export interface StoreDeps {
  database: Database;
  workerId: string;
  watch: EngineWatch;
  /** Where the results go: batched, one statement a batch. */
  writer: ResultWriter;
  /** Called after each written result. */
  onResult?: (runId: string, outcome: string) => void;
}

/**
 * Stores one case's result as the module doc says.
 *
 * @example
 * ```ts
 * import { storeCase, type StoreDeps } from "./store_case.ts";
 * import type { CaseResult } from "../../evaluators/run_case.ts";
 * import type { ClaimedCase } from "../db/queries/queue.ts";
 * import type { RunContext } from "./run_context.ts";
 * declare const deps: StoreDeps;
 * declare const ctx: RunContext;
 * declare const kase: ClaimedCase;
 * declare const result: CaseResult;
 * await storeCase(deps, ctx, kase, result);
 * ```
 */
export async function storeCase(
  deps: StoreDeps,
  ctx: RunContext,
  kase: ClaimedCase,
  result: CaseResult & { distortion?: DistortionSample[] },
): Promise<void> {
  const { database, workerId } = deps;
  if (result.outcome === "infra_error" && isKeyRefused(result.errorMessage)) {
    // The key is the run's, not the case's: nothing more is sent, and
    // this case is skipped with the rest.
    await failForRefusedKey(database, ctx.run.id, result.errorMessage!);
    return;
  }
  let written = result;
  if (result.engineDown) {
    await deps.watch.wentDown(ctx);
    // A hosted provider (no base URL of ours) is one service shared by
    // everyone: a blip of our network must not single out a case.
    const isolating = ctx.target.config.baseUrl !== null &&
      result.engineDown.suspect;
    if (!(kase.suspect && isolating)) {
      await handBack(database, kase.resultId, workerId, {
        suspect: kase.suspect || isolating,
      });
      return;
    }
    written = killedEngine(result, kase.task !== null);
  }
  const { tries: _tries, engineDown: _down, ...write } = written;
  write.costUsd = costOf(ctx.price, {
    prompt: result.promptTokens,
    completion: result.completionTokens,
  });
  if (!(await deps.writer.write(kase.resultId, write))) return;
  deps.onResult?.(ctx.run.id, written.outcome);
  await checkBudget(database, ctx);
}

/**
 * A case retried alone on its engine that took the engine down again: the
 * engine's own failure on it.
 */
function killedEngine(result: CaseResult, quality: boolean): CaseResult {
  return {
    ...result,
    outcome: "engine_error",
    errorKind: "engine_error",
    errorMessage:
      `the engine went down while generating this case, and again when it was retried alone (${result.errorMessage})`,
    correct: quality ? false : null,
  };
}

/** Stops the run (`budget_exceeded`) once its spend reaches its budget. */
async function checkBudget(database: Database, ctx: RunContext): Promise<void> {
  const budget = ctx.options.budget_usd;
  if (budget === null || budget === undefined) return;
  const spent = await spentUsd(database, ctx.run.id);
  if (spent < budget) return;
  const reason = `budget spent: $${spent.toFixed(4)} of $${budget}`;
  if (await stopRun(database, ctx.run.id, "budget_exceeded", reason)) {
    boardChanged();
    await skipPending(database, ctx.run.id, reason);
  }
}
