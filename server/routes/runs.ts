/**
 * The runs API:
 * - `POST /api/runs` `{ suite_id, target_id, public?, options? }`: 202
 *   `{ id, ... }`; one pending result per case is written at once.
 * - `GET /api/runs?suite_id=&target_id=&status=`: newest first, paginated.
 * - `GET /api/runs/:id`: status, engine, options, progress and scores (live
 *   while running, from every result row).
 * - `GET /api/runs/:id/results?outcome=&subset=&limit=&cursor=`.
 *
 * @example
 * ```ts
 * app.route("/api/runs", runRoutes(deps));
 * ```
 * @module
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { setHidden } from "../db/queries/drift.ts";
import {
  listResults,
  type ResultListRow,
  skipPending,
} from "../db/queries/results.ts";
import {
  createRun,
  getRun,
  listRuns,
  type RunRow,
  runsInFlight,
  setRunOptions,
  stopRun,
} from "../db/queries/runs.ts";
import { casePrompts, getSuite } from "../db/queries/suites.ts";
import { estimateRun, loadPriceTable } from "../../evaluators/metrics/cost.ts";
import { buildMessages } from "../../evaluators/prompt.ts";
import { getTarget } from "../db/queries/targets.ts";
import { ApiError } from "../errors.ts";
import { decodeCursor, encodeCursor, parseLimit } from "../http/pagination.ts";
import { checkBody, readJson } from "../http/request_body.ts";
import {
  resolveRunOptions,
  type RunOptions,
  type RunOptionsInput,
} from "../runs/options.ts";
import { runJson, runReport } from "../runs/report.ts";
import { principalOf } from "../auth/guard.ts";
import { generateToken, hashToken } from "../auth/tokens.ts";
import { canViewRun, viewerOf } from "../auth/access.ts";
import type { AppDeps } from "../app.ts";
import { boardEpoch } from "../board/clock.ts";

interface RunInput {
  suite_id: string;
  target_id: string;
  public?: boolean;
  options?: RunOptionsInput;
}

function resultJson(row: ResultListRow) {
  return {
    key: row.key,
    subset: row.subset,
    outcome: row.outcome,
    raw_output: row.rawOutput,
    output_truncated: row.outputTruncated,
    fenced: row.fenced,
    reasoning: row.reasoning,
    sent_schema: row.sentSchema,
    errors: row.errors,
    failing_keywords: row.failingKeywords,
    finish_reason: row.finishReason,
    error_kind: row.errorKind,
    error_message: row.errorMessage,
    latency_ms: row.latencyMs,
    ttft_ms: row.ttftMs,
    tpot_ms: row.tpotMs,
    prompt_tokens: row.promptTokens,
    completion_tokens: row.completionTokens,
    cost_usd: row.costUsd,
    attempts: row.attempts,
    timings: row.timings,
    grammar: row.grammar,
    answer: row.answer,
    correct: row.correct,
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}

/**
 * The runs sub-app.
 *
 * @example
 * ```ts
 * await runRoutes(deps).request("/", { method: "POST", body: JSON.stringify({ suite_id, target_id }) });
 * ```
 */
export function runRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.post("/", async (c) => {
    const input = checkBody<RunInput>("run_create", await readJson(c));
    const suite = await getSuite(deps.database, input.suite_id);
    if (!suite) {
      throw new ApiError(
        404,
        "not_found",
        "no suite with that id",
        "/suite_id",
      );
    }
    const target = await getTarget(deps.database, input.target_id);
    if (!target) {
      throw new ApiError(
        404,
        "not_found",
        "no target with that id",
        "/target_id",
      );
    }
    const options = resolveRunOptions(input.options ?? {}, target);
    if (
      options.prompt_template &&
      new TextEncoder().encode(JSON.stringify(options.prompt_template))
          .length > deps.env.maxPromptBytes
    ) {
      throw new ApiError(
        400,
        "too_large",
        `the prompt template is over ${deps.env.maxPromptBytes} bytes (MAX_PROMPT_BYTES)`,
        "/options/prompt_template",
      );
    }
    if (["1", "true"].includes(c.req.query("dry_run") ?? "")) {
      const rows = await casePrompts(
        deps.database,
        suite.id,
        options.limit ?? undefined,
      );
      const table = target.pricing
        ? {
          updated: "the target's own pricing",
          currency: "USD",
          models: {
            [`${target.kind}/${target.model ?? "*"}`]: target.pricing,
          },
        }
        : deps.prices ?? loadPriceTable();
      const estimate = estimateRun({
        kind: target.kind,
        model: target.model,
        table,
        messages: rows.map((row) =>
          buildMessages(options.prompt_template, row)
        ),
        maxTokens: options.max_tokens,
      });
      return c.json({
        dry_run: true,
        suite_id: suite.id,
        target_id: target.id,
        options,
        estimate,
      });
    }
    const owner = principalOf(c.req.raw)?.tokenId ?? null;
    if (owner) {
      const inFlight = await runsInFlight(deps.database, owner);
      const adding = input.options?.quality_pair ? 2 : 1;
      if (inFlight + adding > deps.env.maxRunsInFlightPerToken) {
        throw new ApiError(
          429,
          "too_many_runs",
          `this token has ${inFlight} runs queued or running; the most is ${deps.env.maxRunsInFlightPerToken} (MAX_RUNS_IN_FLIGHT_PER_TOKEN)`,
        ).withHeader("Retry-After", "30");
      }
    }
    const isPublic = input.public ?? false;
    const share = isPublic ? null : generateToken("shr_");
    const create = (runOptions: RunOptions) =>
      createRun(deps.database, {
        suiteId: suite.id,
        targetId: target.id,
        trigger: "api",
        options: runOptions,
        public: isPublic,
        ownerTokenId: owner,
        shareTokenHash: share ? hashToken(share) : null,
        limit: options.limit ?? undefined,
      });
    const { run, cases } = await create(options);
    let pairRunId: string | undefined;
    if (input.options?.quality_pair) {
      // The same cases again, unconstrained: a paired run for quality.
      const pair = await create({
        ...options,
        mode: "prompt_only",
        pair_run_id: run.id,
        pair_role: "prompt_only",
      });
      pairRunId = pair.run.id;
      run.options = {
        ...options,
        pair_run_id: pairRunId,
        pair_role: "constrained",
      };
      await setRunOptions(deps.database, run.id, run.options);
      deps.onRunCreated?.(pairRunId);
    }
    deps.onRunCreated?.(run.id);
    return c.json({
      ...runJson(run),
      case_count: cases,
      ...(pairRunId ? { pair_run_id: pairRunId } : {}),
      ...(share
        ? {
          share_token: share,
          share_url: `/runs/${run.id}?share=${share}`,
        }
        : {}),
    }, 202);
  });

  app.get("/", async (c) => {
    const limit = parseLimit(c.req.query("limit"), 50, 500);
    const cursor = c.req.query("cursor");
    const before = cursor
      ? decodeCursor<{ createdAt: string; id: string }>(
        cursor,
        (v) =>
          typeof (v as { id: string })?.id === "string" &&
          typeof (v as { createdAt: string }).createdAt === "string",
      )
      : undefined;
    const rows = await listRuns(deps.database, {
      suiteId: c.req.query("suite_id"),
      targetId: c.req.query("target_id"),
      status: c.req.query("status"),
      limit: limit + 1,
      before,
      visibleTo: viewerOf(c.req.raw),
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json({
      items: page.map(runJson),
      next_cursor: rows.length > limit
        ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id })
        : null,
    });
  });

  /** The run, when it exists and the caller may see it; else 404. */
  const visible = async (request: Request, id: string): Promise<RunRow> => {
    const run = await getRun(deps.database, id);
    if (!run || !canViewRun(run, viewerOf(request))) {
      throw new ApiError(404, "not_found", "no run with that id");
    }
    return run;
  };

  // A report is kept as JSON text for a second, and dropped at once when
  // this process changes a run (board_clock: created, stopped, finished,
  // hidden): a finished run's report never changes but for its hidden flag,
  // and a live one is at most a second behind its results, so many readers
  // of a running run cost it one computation a second, not one each.
  const finished = new Map<
    string,
    { epoch: number; at: number; run: RunRow; body: string }
  >();
  app.get("/:id", async (c) => {
    const id = c.req.param("id");
    const hit = finished.get(id);
    if (
      hit && hit.epoch === boardEpoch() && Date.now() - hit.at < 1000 &&
      canViewRun(hit.run, viewerOf(c.req.raw))
    ) {
      return c.body(hit.body, 200, { "content-type": "application/json" });
    }
    const epoch = boardEpoch();
    const run = await visible(c.req.raw, id);
    const body = JSON.stringify(await runReport(deps.database, run));
    {
      finished.delete(id);
      finished.set(id, { epoch, at: Date.now(), run, body });
      if (finished.size > 1000) finished.delete(finished.keys().next().value!);
    }
    return c.body(body, 200, { "content-type": "application/json" });
  });

  app.get("/:id/events", async (c) => {
    const run = await visible(c.req.raw, c.req.param("id"));
    const intervalMs = Math.min(
      10_000,
      Math.max(200, Number(c.req.query("interval_ms")) || 1000),
    );
    return streamSSE(c, async (stream) => {
      let last = "";
      for (;;) {
        const current = (await getRun(deps.database, run.id))!;
        const report = await runReport(deps.database, current);
        const progress = JSON.stringify({
          status: report.status,
          ...report.progress,
        });
        if (progress !== last) {
          await stream.writeSSE({ event: "progress", data: progress });
          last = progress;
        }
        if (report.finished_at) {
          await stream.writeSSE({
            event: "done",
            data: JSON.stringify(report),
          });
          return;
        }
        await stream.sleep(intervalMs);
        if (stream.aborted) return;
      }
    });
  });

  app.post("/:id/cancel", async (c) => {
    const run = await visible(c.req.raw, c.req.param("id"));
    const viewer = viewerOf(c.req.raw);
    if (!viewer.admin && (run.ownerTokenId ?? null) !== viewer.tokenId) {
      throw new ApiError(
        403,
        "forbidden",
        "only the token that started a run, or an admin, may cancel it",
      );
    }
    const stopped = await stopRun(
      deps.database,
      run.id,
      "cancelled",
      "cancelled through the API",
    );
    if (!stopped && run.status !== "cancelled") {
      throw new ApiError(
        409,
        "not_active",
        `the run is ${run.status}: only a queued or running run can be cancelled`,
      );
    }
    // Every pending case ends now, those in flight included: a worker's late
    // write finds an outcome already stored and is rejected.
    const skipped = await skipPending(deps.database, run.id, "cancelled", {
      includeLeased: true,
    });
    deps.onRunCreated?.(run.id);
    const after = (await getRun(deps.database, run.id))!;
    return c.json({ ...runJson(after), skipped });
  });

  app.post("/:id/hide", async (c) => {
    const body = await readJson(c).catch(() => null) as
      | { reason?: unknown }
      | null;
    const reason = typeof body?.reason === "string"
      ? body.reason.slice(0, 500)
      : null;
    if (!await setHidden(deps.database, c.req.param("id"), true, reason)) {
      throw new ApiError(404, "not_found", "no run with that id");
    }
    return c.json(runJson((await getRun(deps.database, c.req.param("id")))!));
  });

  app.post("/:id/unhide", async (c) => {
    if (!await setHidden(deps.database, c.req.param("id"), false, null)) {
      throw new ApiError(404, "not_found", "no run with that id");
    }
    return c.json(runJson((await getRun(deps.database, c.req.param("id")))!));
  });

  app.get("/:id/results", async (c) => {
    const run = await visible(c.req.raw, c.req.param("id"));
    const limit = parseLimit(c.req.query("limit"), 50, 500);
    const cursor = c.req.query("cursor");
    const after = cursor
      ? decodeCursor<{ id: number }>(
        cursor,
        (v) => Number.isInteger((v as { id: number })?.id),
      )
      : undefined;
    const rows = await listResults(deps.database, run.id, {
      outcome: c.req.query("outcome"),
      subset: c.req.query("subset"),
      limit: limit + 1,
      afterId: after?.id,
    });
    const page = rows.slice(0, limit);
    return c.json({
      items: page.map(resultJson),
      next_cursor: rows.length > limit
        ? encodeCursor({ id: page[page.length - 1].id })
        : null,
    });
  });

  return app;
}
