/**
 * Everything `GET /api/runs/:id` says about a run: progress, scores (with
 * the keyword breakdown), throughput, and for quality runs the accuracy
 * (and, with a paired `prompt_only` run, both accuracies and their paired
 * difference).
 *
 * @example
 * ```ts
 * import { runReport } from "./report.ts";
 * import type { Database } from "../db/client.ts";
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const database: Database;
 * declare const run: RunRow;
 * const report = await runReport(database, run);
 * report.progress.done; // 1536
 * ```
 * @module
 */
import { pairedComparison } from "../../evaluators/metrics/paired.ts";
import {
  computeScores,
  type ScoredResult,
} from "../../evaluators/metrics/scores.ts";
import { accuracyOf } from "../../evaluators/metrics/summary.ts";
import type { Database } from "../db/client.ts";
import {
  hasQualityVerdicts,
  resultSummaries,
  type ResultSummaryRow,
} from "../db/queries/results.ts";
import type { RunRow } from "../db/queries/runs.ts";
import { distortionView } from "./distortion_report.ts";

/**
 * The run as the API shows it (no scores).
 *
 * @example
 * ```ts
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const run: RunRow;
 * runJson(run).status; // "running"
 * ```
 */
export function runJson(run: RunRow) {
  return {
    id: run.id,
    status: run.status,
    suite_id: run.suiteId,
    target_id: run.targetId,
    trigger: run.trigger,
    public: run.public,
    engine: run.engine,
    options: run.options,
    error: run.error,
    /** A `failed` run: why it measured nothing (`server/runs/failure.ts`). */
    failure_reason: run.failureReason,
    hidden: run.hidden,
    hidden_reason: run.hiddenReason,
    /** Off the board and every ranking and drift baseline, and why. */
    partial: run.partial,
    partial_reason: run.partialReason,
    /** A `waiting_for_engine` run: since when its engine has been down. */
    waiting_since: run.waitingSince?.toISOString() ?? null,
    /** Milliseconds the run has waited for its engine, in all (the current wait included). */
    engine_waited_ms: run.engineWaitedMs +
      (run.waitingSince
        ? Math.max(0, Date.now() - run.waitingSince.getTime())
        : 0),
    flags: run.flags ?? [],
    /** The validator version that judged it (comparable within one). */
    validator_version: run.validatorVersion,
    /** Set on a run made by re-judging another's stored outputs. */
    rejudged_from: run.options.rejudged_from ?? null,
    /** A cell of a config matrix (`deno task run --config`): which. */
    matrix: run.matrixId ? { id: run.matrixId, cell: run.matrixCell } : null,
    created_at: run.createdAt.toISOString(),
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Cases and completion tokens per second of wall time since the run started
 * (until it finished, or now).
 *
 * @example
 * ```ts
 * import type { ResultSummaryRow } from "../db/queries/results.ts";
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const rows: ResultSummaryRow[];
 * declare const run: RunRow;
 * throughput(run, rows); // { elapsed_s: 12.5, cases_per_s: 3.2, completion_tokens_per_s: 410 }
 * ```
 */
export function throughput(
  run: RunRow,
  rows: readonly ResultSummaryRow[],
  now = new Date(),
) {
  if (!run.startedAt) {
    return {
      elapsed_s: null,
      cases_per_s: null,
      completion_tokens_per_s: null,
    };
  }
  const elapsed =
    ((run.finishedAt ?? now).getTime() - run.startedAt.getTime()) / 1000;
  const done = rows.filter((r) => r.outcome !== null).length;
  const tokens = rows.reduce((sum, r) => sum + (r.completionTokens ?? 0), 0);
  return {
    elapsed_s: elapsed,
    cases_per_s: elapsed > 0 ? done / elapsed : null,
    completion_tokens_per_s: elapsed > 0 ? tokens / elapsed : null,
  };
}

/**
 * Accuracy of a quality run (cases with a known answer), or null.
 *
 * @example
 * ```ts
 * import type { ResultSummaryRow } from "../db/queries/results.ts";
 * declare const rows: ResultSummaryRow[];
 * accuracy(rows); // { value: 0.4, low: 0.25, high: 0.57, n: 40 }
 * ```
 */
export function accuracy(rows: readonly ResultSummaryRow[]) {
  return accuracyOf(rows);
}

/**
 * A quality pair's report: both accuracies (constrained and `prompt_only`)
 * and their paired difference (constrained − prompt_only) with McNemar's
 * exact p-value, over the cases scored in both runs.
 *
 * @example
 * ```ts
 * import type { ResultSummaryRow } from "../db/queries/results.ts";
 * declare const constrainedRows: ResultSummaryRow[];
 * declare const promptOnlyRows: ResultSummaryRow[];
 * qualityPair(constrainedRows, promptOnlyRows).difference;
 * ```
 */
export function qualityPair(
  constrained: readonly ResultSummaryRow[],
  promptOnly: readonly ResultSummaryRow[],
) {
  const other = new Map(promptOnly.map((r) => [r.caseId, r]));
  const pairs = [];
  for (const c of constrained) {
    const p = other.get(c.caseId);
    if (c.correct === null || !p || p.correct === null) continue;
    pairs.push({ key: c.key, a: p.correct, b: c.correct });
  }
  const paired = pairedComparison(pairs);
  return {
    pairs: paired.n,
    constrained: paired.accuracy_b,
    prompt_only: paired.accuracy_a,
    difference: paired.difference,
    mcnemar_p: paired.mcnemar_p,
    /** Keys of the cases only one side got right (the first 200 of each). */
    only_constrained_right: paired.flipped_to_b.slice(0, 200),
    only_prompt_only_right: paired.flipped_to_a.slice(0, 200),
    /** How many cases only one side got right (the lists may be cut). */
    discordant: {
      only_constrained_right: paired.only_b,
      only_prompt_only_right: paired.only_a,
    },
  };
}

/**
 * A quality pair as {@link qualityPair} reports it, seen from either run
 * of the pair (the constrained one or its `prompt_only` twin), or null for
 * a run that is not one side of a pair. `rows` are the run's own results,
 * when the caller has read them already.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const database: Database;
 * declare const run: RunRow;
 * const pair = await runQualityPair(database, run);
 * pair?.mcnemar_p; // 0.03
 * ```
 */
export async function runQualityPair(
  database: Database,
  run: RunRow,
  rows?: readonly ResultSummaryRow[],
): Promise<QualityPairReport | null> {
  const otherId = run.options.pair_run_id;
  if (!otherId) return null;
  const [own, other] = await Promise.all([
    rows ?? resultSummaries(database, run.id),
    resultSummaries(database, otherId),
  ]);
  return run.options.pair_role === "prompt_only"
    ? qualityPair(other, own)
    : qualityPair(own, other);
}

/**
 * What {@link qualityPair} reports.
 *
 * @example
 * ```ts
 * import type { QualityPairReport } from "./report.ts";
 * declare const pair: QualityPairReport;
 * pair.only_constrained_right; // ["arithmetic/3", …]
 * ```
 */
export type QualityPairReport = ReturnType<typeof qualityPair>;

/**
 * Whether a finished run has quality verdicts, remembered per run: a
 * finished run's results never change, so the answer never does.
 */
const finishedQuality = new Map<string, boolean>();
const FINISHED_QUALITY_MAX = 10_000;

async function qualityRun(database: Database, runId: string) {
  const known = finishedQuality.get(runId);
  if (known !== undefined) return known;
  const quality = await hasQualityVerdicts(database, runId);
  if (finishedQuality.size >= FINISHED_QUALITY_MAX) finishedQuality.clear();
  finishedQuality.set(runId, quality);
  return quality;
}

/**
 * The report of a finished run from its stored summary (what the worker
 * computed from every result when the run ended; a finished run's results
 * never change), or null when it must be computed from the results: the
 * run is not finished, is one side of a quality pair, or has quality
 * verdicts whose accuracy the summary does not hold.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const database: Database;
 * declare const run: RunRow;
 * const report = await storedReport(database, run) ?? await runReport(database, run);
 * ```
 */
export async function storedReport(database: Database, run: RunRow) {
  const summary = run.summary;
  const options = run.options;
  // Summaries stored by older versions may lack fields: checked, not trusted.
  if (
    !summary || !run.finishedAt || options.pair_run_id ||
    typeof summary.done !== "number" || !summary.tokens
  ) return null;
  const { by_outcome, done, total, accuracy: stored, ...scores } = summary;
  if (!stored && await qualityRun(database, run.id)) return null;
  const elapsed = run.startedAt
    ? (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000
    : null;
  return {
    ...runJson(run),
    progress: { total, done, by_outcome },
    scores: {
      ...scores,
      throughput: elapsed === null
        ? { elapsed_s: null, cases_per_s: null, completion_tokens_per_s: null }
        : {
          elapsed_s: elapsed,
          cases_per_s: elapsed > 0 ? done / elapsed : null,
          completion_tokens_per_s: elapsed > 0
            ? scores.tokens.completion / elapsed
            : null,
        },
      ...(stored ? { accuracy: stored } : {}),
    },
  };
}

/**
 * The full report of one run: from the stored summary once it has finished
 * ({@link storedReport}), else computed from every result; a distortion
 * run's figures as `distortion` (`distortion_report.ts`).
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const database: Database;
 * declare const run: RunRow;
 * const { progress, scores } = await runReport(database, run);
 * ```
 */
export async function runReport(database: Database, run: RunRow) {
  const report = await storedReport(database, run) ??
    await liveReport(database, run);
  const distortion = await distortionView(database, run);
  return distortion ? { ...report, distortion: distortion.report } : report;
}

/**
 * The report computed from every result of the run (while it runs, and for
 * quality pairs).
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const database: Database;
 * declare const run: RunRow;
 * const { progress } = await liveReport(database, run);
 * ```
 */
export async function liveReport(database: Database, run: RunRow) {
  const rows = await resultSummaries(database, run.id);
  const { by_outcome, done, total, ...scores } = computeScores(
    rows as ScoredResult[],
  );
  const quality = accuracy(rows);
  const pair = await runQualityPair(database, run, rows);
  return {
    ...runJson(run),
    progress: { total, done, by_outcome },
    scores: {
      ...scores,
      throughput: throughput(run, rows),
      ...(quality ? { accuracy: quality } : {}),
    },
    ...(pair ? { quality: pair } : {}),
  };
}
