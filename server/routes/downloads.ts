/**
 * Downloads (mounted under `/api`):
 * - `GET /api/leaderboard.json` and `GET /api/leaderboard.csv`: the board's
 *   rows with the same filters and order as the page
 *   (`?suite=&kind=&mode=&sort=&dir=`), all of them (no pages).
 * - `GET /api/runs/:id/results.jsonl`: every result of a run, one JSON
 *   object a line, in case order, streamed a batch at a time.
 * - `GET /api/runs/:id/results.csv`: the same as CSV (RFC 4180 quoting;
 *   text that a spreadsheet would take for a formula gets a leading `'`,
 *   so the JSONL is the exact copy).
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../app.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.route("/api", downloadRoutes(deps));
 * ```
 * @module
 */
import { Hono } from "hono";
import type { AppDeps } from "../app.ts";
import { csvLine, csvText } from "../http/csv.ts";
import { hiddenRunCount, leaderboardRows } from "../db/queries/leaderboard.ts";
import { listResults, type ResultListRow } from "../db/queries/results.ts";
import { getRun } from "../db/queries/runs.ts";
import { ApiError } from "../errors.ts";
import { canViewRun, viewerOf } from "../auth/access.ts";
import {
  type BoardEntry,
  buildBoard,
  parseBoardQuery,
} from "../board/model.ts";
import { BOARD_SCORES, type BoardScore } from "../board/columns.ts";
import { withSuiteId } from "../board/view.ts";

/** Results read per query while streaming a run's results. */
const BATCH = 500;

function boardJson(e: BoardEntry) {
  return {
    rank: e.rank,
    run_id: e.runId,
    suite: { id: e.suiteId, name: e.suiteName, version: e.suiteVersion },
    target: {
      id: e.targetId,
      name: e.targetName,
      kind: e.targetKind,
      model: e.targetModel,
      mode: e.targetMode,
    },
    validation: e.validation,
    pair: e.pairRole ? { role: e.pairRole, run_id: e.pairRunId } : null,
    engine: {
      name: e.engineName,
      version: e.engineVersion,
      model: e.engineModel,
      reasoning: e.engineReasoning,
    },
    empirical_coverage: e.empirical,
    compliance: e.compliance,
    declared_coverage: e.declared,
    accuracy: e.accuracy,
    ttft_ms_p50: e.ttftP50,
    tpot_ms_p50: e.tpotP50,
    cost_usd: e.costUsd,
    cases: e.cases,
    cost_per_1k_cases_usd: e.costPer1k,
    finished_at: e.finishedAt.toISOString(),
  };
}

/** A board score's CSV columns: a proportion's four, else its one. */
function scoreHeaders(score: BoardScore): string[] {
  const name = score.download;
  return score.format === "proportion"
    ? [name, `${name}_low`, `${name}_high`, `${name}_n`]
    : [name];
}

function scoreCells(score: BoardScore, e: BoardEntry): unknown[] {
  const value = score.value(e);
  if (score.format !== "proportion") return [value];
  return value !== null && typeof value === "object"
    ? [value.value, value.low, value.high, value.n]
    : [null, null, null, null];
}

const BOARD_COLUMNS = [
  "rank",
  "suite",
  "suite_version",
  "suite_id",
  "target",
  "target_id",
  "kind",
  "model",
  "mode",
  "engine_version",
  "run_id",
  ...BOARD_SCORES.flatMap(scoreHeaders),
  "cases",
  "finished_at",
];

function boardCsvRow(e: BoardEntry): unknown[] {
  return [
    e.rank,
    csvText(e.suiteName),
    e.suiteVersion,
    e.suiteId,
    csvText(e.targetName),
    e.targetId,
    e.targetKind,
    csvText(e.targetModel),
    e.targetMode,
    csvText(e.engineVersion),
    e.runId,
    ...BOARD_SCORES.flatMap((score) => scoreCells(score, e)),
    e.cases,
    e.finishedAt.toISOString(),
  ];
}

/**
 * One result as a JSONL line's object.
 *
 * @example
 * ```ts
 * import type { ResultListRow } from "../db/queries/results.ts";
 * declare const row: ResultListRow;
 * declare const runId: string;
 * resultRecord(runId, row).outcome; // "valid"
 * ```
 */
export function resultRecord(runId: string, r: ResultListRow) {
  return {
    run_id: runId,
    key: r.key,
    subset: r.subset,
    outcome: r.outcome,
    raw_output: r.rawOutput,
    output_truncated: r.outputTruncated,
    fenced: r.fenced,
    reasoning: r.reasoning,
    sent_schema: r.sentSchema,
    errors: r.errors,
    failing_keywords: r.failingKeywords,
    finish_reason: r.finishReason,
    error_kind: r.errorKind,
    error_message: r.errorMessage,
    latency_ms: r.latencyMs,
    ttft_ms: r.ttftMs,
    tpot_ms: r.tpotMs,
    grammar_ms: r.grammarMs,
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
    cost_usd: r.costUsd,
    attempts: r.attempts,
    timings: r.timings,
    answer: r.answer,
    correct: r.correct,
    finished_at: r.finishedAt?.toISOString() ?? null,
    // A distortion run's samples of the case (both arms).
    ...(r.distortion ? { distortion: r.distortion } : {}),
  };
}

const RESULT_COLUMNS = [
  "run_id",
  "key",
  "subset",
  "outcome",
  "failing_keywords",
  "finish_reason",
  "error_kind",
  "error_message",
  "latency_ms",
  "ttft_ms",
  "tpot_ms",
  "prompt_tokens",
  "completion_tokens",
  "cost_usd",
  "attempts",
  "fenced",
  "output_truncated",
  "correct",
  "finished_at",
  "raw_output",
];

function resultCsvRow(runId: string, r: ResultListRow): unknown[] {
  return [
    runId,
    csvText(r.key),
    csvText(r.subset),
    r.outcome,
    (r.failingKeywords ?? []).join(" "),
    r.finishReason,
    r.errorKind,
    csvText(r.errorMessage),
    r.latencyMs,
    r.ttftMs,
    r.tpotMs,
    r.promptTokens,
    r.completionTokens,
    r.costUsd,
    r.attempts,
    r.fenced,
    r.outputTruncated,
    r.correct,
    r.finishedAt?.toISOString() ?? null,
    csvText(r.rawOutput),
  ];
}

/** A stream of `head` then `line(row)` for every result of a run. */
function resultStream(
  deps: AppDeps,
  runId: string,
  head: string,
  line: (row: ResultListRow) => string,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let afterId: number | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        if (head) controller.enqueue(encoder.encode(head));
      }
      const rows = await listResults(deps.database, runId, {
        limit: BATCH,
        afterId,
      });
      if (rows.length > 0) {
        afterId = rows[rows.length - 1].id;
        controller.enqueue(encoder.encode(rows.map(line).join("")));
      }
      if (rows.length < BATCH) controller.close();
    },
  });
}

/**
 * The downloads sub-app.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app.ts";
 * declare const deps: AppDeps;
 * await downloadRoutes(deps).request("/leaderboard.csv?kind=llamacpp");
 * ```
 */
export function downloadRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  const board = async (params: Record<string, string>) => {
    const all = await leaderboardRows(deps.database);
    const query = withSuiteId(all, parseBoardQuery(params));
    const built = buildBoard(all, query);
    const hidden = await hiddenRunCount(deps.database, {
      suiteId: query.suite,
      kind: query.kind,
      mode: query.mode,
    });
    return { rows: built.rows, hidden };
  };

  app.get("/leaderboard.json", async (c) => {
    const { rows, hidden } = await board(c.req.query());
    return c.json({
      items: rows.map(boardJson),
      hidden_runs: hidden,
      next_cursor: null,
    });
  });

  app.get("/leaderboard.csv", async (c) => {
    const { rows } = await board(c.req.query());
    const body = csvLine(BOARD_COLUMNS) +
      rows.map((e) => csvLine(boardCsvRow(e))).join("");
    return c.body(body, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="leaderboard.csv"',
    });
  });

  const visibleRun = async (id: string, request: Request) => {
    const run = await getRun(deps.database, id);
    if (!run || !canViewRun(run, viewerOf(request))) {
      throw new ApiError(404, "not_found", "no run with that id");
    }
    return run;
  };

  app.get("/runs/:id/results.jsonl", async (c) => {
    const run = await visibleRun(c.req.param("id"), c.req.raw);
    const stream = resultStream(
      deps,
      run.id,
      "",
      (row) => `${JSON.stringify(resultRecord(run.id, row))}\n`,
    );
    return c.body(stream, 200, {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="run-${run.id}.jsonl"`,
    });
  });

  app.get("/runs/:id/results.csv", async (c) => {
    const run = await visibleRun(c.req.param("id"), c.req.raw);
    const stream = resultStream(
      deps,
      run.id,
      csvLine(RESULT_COLUMNS),
      (row) => csvLine(resultCsvRow(run.id, row)),
    );
    return c.body(stream, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="run-${run.id}.csv"`,
    });
  });

  return app;
}
