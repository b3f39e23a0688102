/**
 * The runs API:
 * - `POST /api/runs` `{ suite_id | suite, suite_version?, target_id |
 *   target, public?, options? }` (names or ids): 202 `{ id, ... }`; one
 *   pending result per case is written at once.
 * - `GET /api/runs?suite_id=|suite=&suite_version=&target_id=|target=&status=`:
 *   newest first, paginated.
 * - `GET /api/runs/:id`: status, engine, options, progress and scores (live
 *   while running, from every result row).
 * - `GET /api/runs/:id/events?interval_ms=`: server-sent `progress` events,
 *   then `done` with the report (or `idle` after `EVENT_STREAM_IDLE_MS`
 *   without progress); capped per client address, per token and in all
 *   (429 with `Retry-After` beyond).
 * - `GET /api/runs/:id/results?outcome=&subset=&limit=&cursor=`.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { runRoutes } from "./runs.ts";
 * import type { AppDeps } from "../app.ts";
 * declare const deps: AppDeps;
 * const app = new Hono();
 * app.route("/api/runs", runRoutes(deps));
 * ```
 * @module
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { boardChanged } from "../board/cache.ts";
import { setHidden } from "../db/queries/drift.ts";
import { listResults } from "../db/queries/results.ts";
import { resultJson } from "../runs/result_json.ts";
import { skipPending } from "../db/queries/queue.ts";
import { getRun, listRuns, type RunRow } from "../db/queries/runs.ts";
import { stopRun } from "../db/queries/run_lifecycle.ts";
import { loadPriceTable } from "../../evaluators/metrics/price_table.ts";
import { ApiError } from "../errors.ts";
import {
  CURSOR_FIELDS,
  decodeCursorOf,
  encodeCursor,
  isStatusName,
  parseFilter,
  parseLimit,
  parseVersion,
} from "../http/pagination.ts";
import { isUuid } from "../../evaluators/validation/uuid.ts";
import { OUTCOMES } from "../../evaluators/outcome.ts";
import { checkBody, readJson } from "../http/request_body.ts";
import {
  requireSuite,
  requireTarget,
  resolveSuite,
  resolveTarget,
  type SuiteRefInput,
  type TargetRefInput,
} from "../http/refs.ts";
import type { RunOptionsInput } from "../runs/options.ts";
import {
  type EnqueueInput,
  enqueueRun,
  estimatePrepared,
  prepareRun,
} from "../runs/enqueue.ts";
import { runJson } from "../runs/report.ts";
import { RunReports } from "../runs/report_cache.ts";
import { StreamSlots } from "../http/stream_slots.ts";
import { clientAddress, principalOf } from "../auth/guard.ts";
import { canViewRun, viewerOf } from "../auth/access.ts";
import type { AppDeps } from "../app.ts";
import { rejudgeRun } from "../runs/rejudge.ts";
import { poolOf } from "../runs/validation_pool.ts";

/**
 * The shortest `interval_ms` an event stream honours: a smaller one is
 * raised to it (a report is computed at most once a second anyway).
 */
export const EVENT_INTERVAL_FLOOR_MS = 1000;

interface RunInput extends SuiteRefInput, TargetRefInput {
  public?: boolean;
  options?: RunOptionsInput;
  matrix?: { id: string; cell: string };
}

/**
 * The runs sub-app.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app.ts";
 * declare const deps: AppDeps;
 * declare const suite_id: string;
 * declare const target_id: string;
 * await runRoutes(deps).request("/", { method: "POST", body: JSON.stringify({ suite_id, target_id }) });
 * ```
 */
export function runRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.post("/", async (c) => {
    const input = checkBody<RunInput>("run_create", await readJson(c));
    const suite = await requireSuite(deps.database, input);
    const target = await requireTarget(deps.database, input);
    const request: EnqueueInput = {
      suiteId: suite.id,
      targetId: target.id,
      trigger: "api",
      options: input.options,
      public: input.public,
      matrix: input.matrix,
      ownerTokenId: principalOf(c.req.raw)?.tokenId ?? null,
    };
    if (["1", "true"].includes(c.req.query("dry_run") ?? "")) {
      const prepared = await prepareRun(deps.database, request, deps.env);
      const table = deps.prices ?? loadPriceTable();
      return c.json({
        dry_run: true,
        suite_id: prepared.suite.id,
        target_id: prepared.target.id,
        options: prepared.options,
        estimate: await estimatePrepared(deps.database, prepared, table),
      });
    }
    const made = await enqueueRun(deps.database, request, deps.env);
    if (!made) throw new Error("a run without a schedule is always made");
    if (made.pairRunId) deps.onRunChanged?.(made.pairRunId);
    deps.onRunChanged?.(made.run.id);
    return c.json({
      ...runJson(made.run),
      case_count: made.cases,
      ...(made.pairRunId ? { pair_run_id: made.pairRunId } : {}),
      ...(made.shareToken
        ? {
          share_token: made.shareToken,
          share_url: `/runs/${made.run.id}?share=${made.shareToken}`,
        }
        : {}),
    }, 202);
  });

  app.get("/", async (c) => {
    const limit = parseLimit(c.req.query("limit"), 50, 500);
    const cursor = c.req.query("cursor");
    const before = cursor
      ? decodeCursorOf<{ createdAt: string; id: string }>(cursor, {
        createdAt: CURSOR_FIELDS.time,
        id: CURSOR_FIELDS.uuid,
      })
      : undefined;
    // One after the other: with both refused, a second rejection left to
    // Promise.all would go unhandled and take the process down.
    const suite = await resolveSuite(deps.database, {
      suite_id: parseFilter(
        c.req.query("suite_id"),
        "suite_id",
        isUuid,
        "a suite id",
      ),
      suite: c.req.query("suite") || undefined,
      suite_version: parseVersion(c.req.query("suite_version")),
    }, "");
    const target = await resolveTarget(deps.database, {
      target_id: parseFilter(
        c.req.query("target_id"),
        "target_id",
        isUuid,
        "a target id",
      ),
      target: c.req.query("target") || undefined,
    }, "");
    const rows = await listRuns(deps.database, {
      suiteId: suite?.id,
      targetId: target?.id,
      status: parseFilter(
        c.req.query("status"),
        "status",
        isStatusName,
        "a run status (queued, running, done, …)",
      ),
      matrixId: parseFilter(
        c.req.query("matrix_id"),
        "matrix_id",
        isUuid,
        "a matrix id",
      ),
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

  // One report computation a second per run, shared by `GET /:id` and every
  // event stream of that run (runs/report_cache.ts).
  const reports = deps.reports ?? new RunReports(deps.database);
  app.get("/:id", async (c) => {
    const id = c.req.param("id");
    const hit = reports.peek(id);
    if (hit && canViewRun(hit.run, viewerOf(c.req.raw))) {
      return c.body(hit.body, 200, { "content-type": "application/json" });
    }
    await visible(c.req.raw, id);
    const report = await reports.get(id);
    if (!report) throw new ApiError(404, "not_found", "no run with that id");
    return c.body(report.body, 200, { "content-type": "application/json" });
  });

  const streams = new StreamSlots({
    total: deps.env.maxEventStreams,
    perClient: deps.env.maxEventStreamsPerClient,
  });
  app.get("/:id/events", async (c) => {
    const run = await visible(c.req.raw, c.req.param("id"));
    const intervalMs = Math.min(
      10_000,
      Math.max(
        EVENT_INTERVAL_FLOOR_MS,
        Number(c.req.query("interval_ms")) || 0,
      ),
    );
    const principal = principalOf(c.req.raw);
    const release = streams.acquire(
      clientAddress(c, deps.env.trustProxy),
      principal ? principal.tokenId ?? principal.name : null,
    );
    return streamSSE(c, async (stream) => {
      stream.onAbort(release);
      try {
        let last = "";
        let changedAt = Date.now();
        for (;;) {
          const report = await reports.get(run.id);
          if (!report) return;
          if (report.progress !== last) {
            await stream.writeSSE({ event: "progress", data: report.progress });
            last = report.progress;
            changedAt = Date.now();
          }
          if (report.finished) {
            await stream.writeSSE({ event: "done", data: report.body });
            return;
          }
          if (Date.now() - changedAt >= deps.env.eventStreamIdleMs) {
            await stream.writeSSE({
              event: "idle",
              data: JSON.stringify({
                message:
                  "no progress for EVENT_STREAM_IDLE_MS; reconnect to go on watching",
              }),
            });
            return;
          }
          await stream.sleep(intervalMs);
          if (stream.aborted) return;
        }
      } finally {
        release();
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
    if (stopped) boardChanged();
    if (!stopped && run.status !== "cancelled") {
      throw new ApiError(
        409,
        "not_active",
        `the run is ${run.status}: only a queued, running or waiting_for_engine run can be cancelled`,
      );
    }
    // Every pending case ends now, those in flight included: a worker's late
    // write finds an outcome already stored and is rejected.
    const skipped = await skipPending(deps.database, run.id, "cancelled", {
      includeLeased: true,
    });
    deps.onRunChanged?.(run.id);
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
    boardChanged();
    return c.json(runJson((await getRun(deps.database, c.req.param("id")))!));
  });

  app.post("/:id/unhide", async (c) => {
    if (!await setHidden(deps.database, c.req.param("id"), false, null)) {
      throw new ApiError(404, "not_found", "no run with that id");
    }
    boardChanged();
    return c.json(runJson((await getRun(deps.database, c.req.param("id")))!));
  });

  app.post("/:id/rejudge", async (c) => {
    const source = await getRun(deps.database, c.req.param("id"));
    if (!source) throw new ApiError(404, "not_found", "no run with that id");
    if (source.status !== "done") {
      throw new ApiError(
        409,
        "not_done",
        `only a done run can be re-judged; this one is ${source.status}`,
      );
    }
    if (source.options.distortion) {
      // Its samples were judged with it; a copy without them measures nothing.
      throw new ApiError(
        409,
        "distortion_run",
        "a distortion run is not re-judged: run it again",
      );
    }
    const run = await rejudgeRun(deps.database, poolOf(deps), source);
    boardChanged();
    return c.json(runJson(run), 201);
  });

  app.get("/:id/results", async (c) => {
    const run = await visible(c.req.raw, c.req.param("id"));
    const limit = parseLimit(c.req.query("limit"), 50, 500);
    const cursor = c.req.query("cursor");
    const after = cursor
      ? decodeCursorOf<{ id: number }>(cursor, { id: CURSOR_FIELDS.bigint })
      : undefined;
    const rows = await listResults(deps.database, run.id, {
      outcome: parseFilter(
        c.req.query("outcome"),
        "outcome",
        (v) => v === "pending" || (OUTCOMES as readonly string[]).includes(v),
        `an outcome (${OUTCOMES.join(", ")}) or pending`,
      ),
      subset: parseFilter(
        c.req.query("subset"),
        "subset",
        CURSOR_FIELDS.text,
        "text without NUL",
      ),
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
