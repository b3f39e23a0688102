/**
 * The document's entries for runs: start one (or estimate it), list and
 * read them, follow one as server-sent events, its results (paged, JSONL,
 * CSV), and the life-cycle actions (cancel, hide, unhide, re-judge).
 *
 * @example
 * ```ts
 * import { RUN_ROUTES } from "./runs.ts";
 * RUN_ROUTES.find((r) => r.path === "/api/runs/{id}/events")?.response;
 * ```
 * @module
 */
import { OUTCOMES } from "../../evaluators/outcome.ts";
import { RECORD_SCHEMAS } from "./components.ts";
import {
  closed,
  page,
  pageParams,
  ref,
  type RouteSpec,
  type Schema,
  T,
} from "./spec.ts";

const RUN_ID = { id: "The run's id." };

const created = closed({
  ...RECORD_SCHEMAS.run.properties,
  case_count: T.int,
  pair_run_id: {
    ...T.uuid,
    description: "The `prompt_only` twin of a quality pair.",
  },
  share_token: {
    type: "string",
    description: "A private run's share secret (shown once).",
  },
  share_url: {
    type: "string",
    description: "The report page's path with the share secret.",
  },
}, ["pair_run_id", "share_token", "share_url"]);

const dryRun: Schema = closed({
  dry_run: { const: true },
  suite_id: T.uuid,
  target_id: T.uuid,
  options: { ...T.json, description: "The options the run would have." },
  estimate: ref("estimate"),
});

const EVENTS_DESCRIPTION = [
  "Server-sent events: `progress` (data: a `run_event_progress` object) each time it changes,",
  "then `done` (data: the `run_report`) when the run has finished,",
  "or `idle` (data: `{ message }`) after `EVENT_STREAM_IDLE_MS` without progress.",
  "Capped per client address, per token and in all: 429 with `Retry-After` beyond.",
].join(" ");

/** Runs and their results. */
export const RUN_ROUTES: RouteSpec[] = [
  {
    method: "post",
    path: "/api/runs",
    summary: "Start a run",
    description:
      "One pending result per case is written at once. With `dry_run=1` nothing is stored and the answer (200) is the cost estimate.",
    query: [{
      name: "dry_run",
      description: "`1` or `true`: estimate, do not start.",
      schema: { type: "string", enum: ["1", "true", "0", "false"] },
    }],
    body: "run_create",
    ok: 202,
    response: created,
    also: { "200": { description: "a dry run's estimate", schema: dryRun } },
    // An unknown suite or target; a config matrix cell already run; too many runs in flight for the token.
    errors: [404, 409, 429],
  },
  {
    method: "get",
    path: "/api/runs",
    summary: "List runs, newest first",
    description:
      "Public runs, and the caller's own private ones (all for admin).",
    query: [
      { name: "suite_id", description: "Only runs of this suite (an id)." },
      {
        name: "suite",
        description:
          "Only runs of this suite (a name: its latest version, or `suite_version`; or an id).",
      },
      {
        name: "suite_version",
        description: "With `suite` as a name: that version.",
        schema: { type: "integer", minimum: 1 },
      },
      { name: "target_id", description: "Only runs of this target (an id)." },
      {
        name: "target",
        description: "Only runs of this target (a name or an id).",
      },
      {
        name: "matrix_id",
        description:
          "Only the runs of this config matrix (`deno task run --config`).",
      },
      {
        name: "status",
        description: "Only runs in this status.",
        schema: RECORD_SCHEMAS.run.properties.status,
      },
      ...pageParams(50, 500),
    ],
    ok: 200,
    response: page(ref("run")),
  },
  {
    method: "get",
    path: "/api/runs/{id}",
    summary: "A run with its progress and scores",
    description:
      "Status (queued, running, waiting_for_engine with waiting_since and engine_waited_ms, done, failed with its failure_reason, cancelled, budget_exceeded), engine, progress and scores, live while it runs.",
    pathParams: RUN_ID,
    ok: 200,
    response: ref("run_report"),
  },
  {
    method: "get",
    path: "/api/runs/{id}/events",
    summary: "Follow a run as server-sent events",
    description: EVENTS_DESCRIPTION,
    pathParams: RUN_ID,
    query: [{
      name: "interval_ms",
      description: "How often to look for progress (1,000 to 10,000 ms).",
      schema: { type: "integer" },
    }],
    ok: 200,
    response: { contentType: "text/event-stream", schema: { type: "string" } },
    errors: [429],
  },
  {
    method: "get",
    path: "/api/runs/{id}/results",
    summary: "A page of a run's results, in case order",
    pathParams: RUN_ID,
    query: [
      {
        name: "outcome",
        description: "Only results with this outcome (or `pending`).",
        schema: { type: "string", enum: [...OUTCOMES, "pending"] },
      },
      { name: "subset", description: "Only cases of this subset." },
      ...pageParams(50, 500),
    ],
    ok: 200,
    response: page(ref("result")),
  },
  {
    method: "get",
    path: "/api/runs/{id}/results.jsonl",
    summary: "Every result of a run, one JSON object (`result_record`) a line",
    pathParams: RUN_ID,
    ok: 200,
    response: {
      contentType: "application/x-ndjson",
      schema: { type: "string" },
    },
  },
  {
    method: "get",
    path: "/api/runs/{id}/results.csv",
    summary: "Every result of a run as CSV",
    pathParams: RUN_ID,
    ok: 200,
    response: { contentType: "text/csv", schema: { type: "string" } },
  },
  {
    method: "post",
    path: "/api/runs/{id}/cancel",
    summary: "Cancel a queued, running or waiting run (its token, or admin)",
    pathParams: RUN_ID,
    ok: 200,
    response: closed({
      ...RECORD_SCHEMAS.run.properties,
      skipped: { type: "integer", description: "Cases ended unrun." },
    }),
    errors: [409],
  },
  {
    method: "post",
    path: "/api/runs/{id}/hide",
    summary: "Take a run off the leaderboard (kept)",
    pathParams: RUN_ID,
    bodySchema: closed({ reason: { type: "string", maxLength: 500 } }, [
      "reason",
    ]),
    bodyOptional: true,
    ok: 200,
    response: ref("run"),
  },
  {
    method: "post",
    path: "/api/runs/{id}/unhide",
    summary: "Put a hidden run back on the leaderboard",
    pathParams: RUN_ID,
    ok: 200,
    response: ref("run"),
  },
  {
    method: "post",
    path: "/api/runs/{id}/rejudge",
    summary:
      "Re-judge a done run's stored outputs under today's validator into a new run",
    pathParams: RUN_ID,
    ok: 201,
    response: ref("run"),
    errors: [409],
  },
];
