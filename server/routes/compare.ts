/**
 * Comparisons between runs:
 * - `GET /api/compare?a=RUN&b=RUN` (same suite): the paired comparison of
 *   valid / not valid per case (McNemar's exact p-value, the cases that
 *   flipped either way), and the difference of every score with its 95%
 *   interval (b − a).
 * - `GET /api/suites/:id/ranking?validation=declared`: the latest
 *   finished public full run of each target on a suite in one validation
 *   mode (`declared` unless asked; partial runs never rank), with
 *   tie-aware ranks on empirical coverage (Chatbot Arena's rule).
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../app.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.route("/api", compareRoutes(deps));
 * ```
 * @module
 */
import { Hono } from "hono";
import { compareResults } from "../../evaluators/metrics/compare.ts";
import { tieAwareRanks } from "../../evaluators/metrics/ranks.ts";
import {
  computeScores,
  type ScoredResult,
} from "../../evaluators/metrics/scores.ts";
import { resultSummaries } from "../db/queries/results.ts";
import { getRun, latestDoneRuns } from "../db/queries/runs.ts";
import { suitesNamed } from "../db/queries/refs.ts";
import { getTarget } from "../db/queries/targets.ts";
import { ApiError } from "../errors.ts";
import { canViewRun, viewerOf } from "../auth/access.ts";
import { runJson } from "../runs/report.ts";
import type { AppDeps } from "../app.ts";

/**
 * The compare and ranking sub-app.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app.ts";
 * declare const deps: AppDeps;
 * await compareRoutes(deps).request("/compare?a=…&b=…");
 * ```
 */
export function compareRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.get("/compare", async (c) => {
    const [idA, idB] = [c.req.query("a"), c.req.query("b")];
    if (!idA || !idB) {
      throw new ApiError(
        400,
        "invalid_query",
        "a and b (two run ids) are required",
        idA ? "b" : "a",
      );
    }
    const [runA, runB] = await Promise.all([
      getRun(deps.database, idA),
      getRun(deps.database, idB),
    ]);
    const viewer = viewerOf(c.req.raw);
    if (!runA || !canViewRun(runA, viewer)) {
      throw new ApiError(404, "not_found", "no run with id a", "a");
    }
    if (!runB || !canViewRun(runB, viewer)) {
      throw new ApiError(404, "not_found", "no run with id b", "b");
    }
    if (runA.suiteId !== runB.suiteId) {
      throw new ApiError(
        400,
        "different_suites",
        "the two runs are on different suites: a paired comparison needs the same cases",
        "b",
      );
    }
    if (runA.validatorVersion !== runB.validatorVersion) {
      throw new ApiError(
        400,
        "different_validators",
        `the runs were judged by validator v${runA.validatorVersion} and v${runB.validatorVersion}: re-judge the older one (POST /api/runs/:id/rejudge) to compare them`,
        "b",
      );
    }
    const [rowsA, rowsB] = await Promise.all([
      resultSummaries(deps.database, runA.id),
      resultSummaries(deps.database, runB.id),
    ]);
    return c.json({
      a: runJson(runA),
      b: runJson(runB),
      ...compareResults(rowsA, rowsB),
    });
  });

  app.get("/suites/:id/ranking", async (c) => {
    // An id, or a name (its latest version).
    const [suite] = await suitesNamed(deps.database, c.req.param("id"));
    if (!suite) {
      throw new ApiError(404, "not_found", "no suite with that id or name");
    }
    const validation = c.req.query("validation") || "declared";
    const runs = await latestDoneRuns(deps.database, suite.id, validation);
    const entries = await Promise.all(runs.map(async (run) => {
      const scores = computeScores(
        await resultSummaries(deps.database, run.id) as ScoredResult[],
      );
      const target = await getTarget(deps.database, run.targetId);
      return { run, target, scores };
    }));
    const ranks = tieAwareRanks(entries.map((e) => ({
      id: e.run.id,
      low: e.scores.empirical_coverage.low,
      high: e.scores.empirical_coverage.high,
    })));
    const items = entries.map((e) => ({
      rank: ranks.get(e.run.id),
      run_id: e.run.id,
      target: e.target
        ? {
          id: e.target.id,
          name: e.target.name,
          kind: e.target.kind,
          model: e.target.model,
          mode: e.target.mode,
        }
        : null,
      empirical_coverage: e.scores.empirical_coverage,
      declared_coverage: e.scores.declared_coverage,
      compliance: e.scores.compliance,
      finished_at: e.run.finishedAt?.toISOString() ?? null,
    })).sort((x, y) =>
      (x.rank ?? 0) - (y.rank ?? 0) ||
      (y.empirical_coverage.value ?? -1) - (x.empirical_coverage.value ?? -1)
    );
    return c.json({ suite_id: suite.id, validation, items, next_cursor: null });
  });

  return app;
}
