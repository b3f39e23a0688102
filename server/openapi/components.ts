/**
 * The response schemas more than one route answers with: the error body,
 * the API's records (suite, case, target, run, result, schedule, token)
 * and the statistics they carry (a proportion with its Wilson interval, a
 * difference, a spread of timings). Closed where the answer is fixed;
 * stored JSON whose fields vary (a run's options, an engine's identity, a
 * target's parameters) is an open object.
 *
 * @example
 * ```ts
 * import { RECORD_SCHEMAS } from "./components.ts";
 * RECORD_SCHEMAS.run.required; // ["id", "status", …]
 * ```
 * @module
 */
import { OUTCOMES } from "../../evaluators/outcome.ts";
import { closed, nullable, ref, type Schema, T } from "./spec.ts";

/** The run statuses, in the order a run may pass through them. */
const RUN_STATUSES = [
  "queued",
  "running",
  "waiting_for_engine",
  "done",
  "failed",
  "cancelled",
  "budget_exceeded",
];

const error = closed({
  error: closed({
    code: { type: "string", description: "A stable, machine-readable code." },
    message: { type: "string", description: "A sentence for people." },
    path: {
      type: "string",
      description:
        "A JSON Pointer into the request body, or a query parameter's name.",
    },
    details: {
      type: "array",
      description: "More problems of the same request.",
      items: closed({ path: T.string, message: T.string }, ["path"]),
    },
  }, ["path", "details"]),
});

const proportion = {
  ...closed({
    value: T.maybeNumber,
    low: T.maybeNumber,
    high: T.maybeNumber,
    n: T.int,
  }),
  description:
    "A share with its 95% Wilson interval over n cases (all null when n is 0).",
};

const interval = {
  ...closed({ value: T.maybeNumber, low: T.maybeNumber, high: T.maybeNumber }),
  description: "A difference (b − a) with its 95% interval.",
};

const spread = closed({
  p50: T.maybeNumber,
  p90: T.maybeNumber,
  p99: T.maybeNumber,
});

const outcomeCounts = closed(
  Object.fromEntries(OUTCOMES.map((o) => [o, T.int])),
);

const suite = closed({
  id: T.uuid,
  name: T.string,
  version: T.int,
  hash: { type: "string", description: "SHA-256 of the suite's content." },
  case_count: T.int,
  description: T.text,
  source: nullable({ ...T.json, description: "Where the cases came from." }),
  retired_at: {
    ...T.maybeTime,
    description: "When it was retired (off the lists and the board).",
  },
  created_at: T.time,
});

/** A case whose schema our validator cannot read (the suite is kept). */
const schemaWarning = closed({
  path: { type: "string", description: "`/cases/<index>` of the body." },
  key: T.string,
  kind: {
    type: "string",
    description:
      "`invalid_schema`, `unresolvable_ref`, `unsupported_pattern`, `ref_cycle`, `compile_timeout`, …",
  },
  message: T.string,
});

/** What a suite create or import answers: the suite and its warnings. */
const suiteCreated = closed({
  ...suite.properties,
  warnings: { type: "array", items: schemaWarning },
});

const suiteCase = closed({
  key: T.string,
  subset: T.text,
  tags: { type: "array", items: T.string },
  draft: T.string,
  declared_schema: T.text,
  draft_note: T.text,
  keywords: { type: "array", items: T.string },
  schema_hash: T.string,
  prompt: T.text,
  schema: { description: "The case's JSON Schema, as given." },
});

const target = closed({
  id: T.uuid,
  name: T.string,
  description: T.text,
  kind: ref("target_create/properties/kind"),
  base_url: T.text,
  model: T.text,
  mode: ref("target_create/properties/mode"),
  params: T.json,
  settings: T.json,
  hardware: T.text,
  api_key_env: {
    type: ["string", "null"],
    description: "The NAME of the variable holding the key; never the key.",
  },
  max_concurrency: T.maybeInt,
  pricing: nullable(T.json),
  retired_at: {
    ...T.maybeTime,
    description: "When it was retired (off the lists, hints and board).",
  },
  created_at: T.time,
});

const run = closed({
  id: T.uuid,
  status: { type: "string", enum: RUN_STATUSES },
  suite_id: T.uuid,
  target_id: T.uuid,
  trigger: T.string,
  public: T.bool,
  engine: nullable({
    ...T.json,
    description: "What the engine said it is (build, model, slots).",
  }),
  options: { ...T.json, description: "The run's options, defaults filled." },
  error: T.text,
  failure_reason: T.text,
  hidden: T.bool,
  hidden_reason: T.text,
  partial: T.bool,
  partial_reason: T.text,
  waiting_since: T.maybeTime,
  engine_waited_ms: T.number,
  flags: {
    type: "array",
    items: T.string,
    description: "Drift flags (interval, build, model).",
  },
  validator_version: T.int,
  rejudged_from: nullable(T.uuid),
  matrix: nullable({
    ...closed({ id: T.uuid, cell: T.string }),
    description: "The config matrix cell (`deno task run --config`) it runs.",
  }),
  created_at: T.time,
  started_at: T.maybeTime,
  finished_at: T.maybeTime,
});

/** The fields a result has in both the paged list and the JSONL download. */
const resultFields: Record<string, Schema> = {
  key: T.string,
  subset: T.text,
  outcome: nullable({ type: "string", enum: [...OUTCOMES] }),
  raw_output: T.text,
  output_truncated: T.bool,
  fenced: T.bool,
  reasoning: T.text,
  sent_schema: { description: "The schema as sent, when it was adapted." },
  errors: nullable({ type: "array", items: T.json }),
  failing_keywords: nullable({ type: "array", items: T.string }),
  finish_reason: T.text,
  error_kind: T.text,
  error_message: T.text,
  latency_ms: T.maybeNumber,
  ttft_ms: T.maybeNumber,
  tpot_ms: T.maybeNumber,
  prompt_tokens: T.maybeInt,
  completion_tokens: T.maybeInt,
  cost_usd: T.maybeNumber,
  attempts: T.int,
  timings: nullable(T.json),
  answer: { description: "A quality case's extracted answer." },
  correct: nullable(T.bool),
  finished_at: T.maybeTime,
};

/** A distortion run's samples of the case (both arms). */
const DISTORTION_SAMPLES = {
  type: "array",
  items: ref("distortion_sample"),
  description: "A distortion run's samples of the case (both arms).",
};

const result = closed({
  ...resultFields,
  ttft_split: nullable(T.json),
  grammar: { ...T.text, description: "The grammar the engine enforced." },
  key_order: nullable(T.bool),
  answer_in_reasoning: T.bool,
  distortion: DISTORTION_SAMPLES,
}, ["distortion"]);

const resultRecord = closed({
  run_id: T.uuid,
  ...resultFields,
  grammar_ms: T.maybeNumber,
  distortion: DISTORTION_SAMPLES,
}, ["distortion"]);

const schedule = closed({
  id: T.uuid,
  name: T.text,
  cron: T.string,
  suite_id: T.uuid,
  target_ids: { type: "array", items: T.uuid },
  options: T.json,
  enabled: T.bool,
  last_fired_at: T.maybeTime,
  next_fire_at: {
    ...T.maybeTime,
    description: "When it fires next (null when disabled).",
  },
  created_at: T.time,
});

const token = closed({
  id: T.uuid,
  name: T.string,
  scopes: {
    type: "array",
    items: { type: "string", enum: ["read", "write", "admin"] },
  },
  created_at: T.time,
  last_used_at: T.maybeTime,
  revoked_at: T.maybeTime,
});

const tokenSecret = closed({
  ...token.properties,
  token: {
    type: "string",
    description: "The secret: shown in this answer only.",
  },
});

/**
 * The component schemas of the answers, by name (`#/components/schemas/…`).
 */
export const RECORD_SCHEMAS = {
  error,
  proportion,
  interval,
  spread,
  outcome_counts: outcomeCounts,
  suite,
  suite_created: suiteCreated,
  schema_warning: schemaWarning,
  case: suiteCase,
  target,
  run,
  result,
  result_record: resultRecord,
  schedule,
  token,
  token_secret: tokenSecret,
} satisfies Record<string, Schema>;
