/**
 * Comparisons between runs:
 * - `GET /api/compare?a=RUN&b=RUN` (same suite): the paired comparison of
 *   valid / not valid per case (McNemar's exact p-value, the cases that
 *   flipped either way), and the difference of every score with its 95%
 *   interval (b − a).
 * - `GET /api/suites/:id/ranking`: the latest finished run of each target
 *   on a suite, with tie-aware ranks on empirical coverage (Chatbot
 *   Arena's rule).
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
import {
  differenceOfIndependent,
  pairedComparison,
} from "../../evaluators/metrics/paired.ts";
import { tieAwareRanks } from "../../evaluators/metrics/ranks.ts";
import {
  computeScores,
  type ScoredResult,
} from "../../evaluators/metrics/scores.ts";
import type { Proportion } from "../../evaluators/metrics/stats.ts";
import type { Outcome } from "../../evaluators/outcome.ts";
import {
  resultSummaries,
  type ResultSummaryRow,
} from "../db/queries/results.ts";
import { getRun, latestDoneRuns } from "../db/queries/runs.ts";
import { getSuite } from "../db/queries/suites.ts";
import { getTarget } from "../db/queries/targets.ts";
import { ApiError } from "../errors.ts";
import { canViewRun, viewerOf } from "../auth/access.ts";
import { runJson } from "../runs/report.ts";
import type { AppDeps } from "../app.ts";

const EXCLUDED: ReadonlySet<string> = new Set<Outcome>([
  "invalid_schema",
  "infra_error",
  "skipped",
]);
const MAX_FLIPPED = 500;

function counts(p: Proportion) {
  return { successes: Math.round((p.value ?? 0) * p.n), n: p.n };
}

function scoreDifference(a: Proportion, b: Proportion) {
  return { a, b, difference: differenceOfIndependent(counts(a), counts(b)) };
}

/**
 * The comparison of two runs' results on the same suite.
 *
 * @example
 * ```ts
 * import type { ResultSummaryRow } from "../db/queries/results.ts";
 * declare const rowsA: ResultSummaryRow[];
 * declare const rowsB: ResultSummaryRow[];
 * compareResults(rowsA, rowsB).paired.mcnemar_p;
 * ```
 */
export function compareResults(
  rowsA: ResultSummaryRow[],
  rowsB: ResultSummaryRow[],
) {
  const byCase = new Map(rowsB.map((r) => [r.caseId, r]));
  const pairs = [];
  for (const a of rowsA) {
    const b = byCase.get(a.caseId);
    if (
      !b || !a.outcome || !b.outcome || EXCLUDED.has(a.outcome) ||
      EXCLUDED.has(b.outcome)
    ) continue;
    pairs.push({
      key: a.key,
      a: a.outcome === "valid",
      b: b.outcome === "valid",
    });
  }
  const paired = pairedComparison(pairs);
  const sa = computeScores(rowsA as ScoredResult[]);
  const sb = computeScores(rowsB as ScoredResult[]);
  return {
    paired: {
      ...paired,
      flipped_to_b: paired.flipped_to_b.slice(0, MAX_FLIPPED),
      flipped_to_a: paired.flipped_to_a.slice(0, MAX_FLIPPED),
    },
    scores: {
      declared_coverage: scoreDifference(
        sa.declared_coverage,
        sb.declared_coverage,
      ),
      empirical_coverage: scoreDifference(
        sa.empirical_coverage,
        sb.empirical_coverage,
      ),
      compliance: scoreDifference(sa.compliance, sb.compliance),
    },
    latency_ms: { a: sa.latency_ms, b: sb.latency_ms },
    ttft_ms: { a: sa.ttft_ms, b: sb.ttft_ms },
    tpot_ms: { a: sa.tpot_ms, b: sb.tpot_ms },
  };
}

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
    const suite = await getSuite(deps.database, c.req.param("id"));
    if (!suite) throw new ApiError(404, "not_found", "no suite with that id");
    const runs = await latestDoneRuns(deps.database, suite.id);
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
    return c.json({ suite_id: suite.id, items, next_cursor: null });
  });

  return app;
}
