/**
 * The response schemas of the reports: a run's scores and progress (`GET
 * /api/runs/:id`, the event stream's `progress` and `done`), a quality
 * pair, a comparison of two runs, a ranking entry, a leaderboard row, a
 * keyword-matrix record and a run's cost estimate.
 *
 * @example
 * ```ts
 * import { REPORT_SCHEMAS } from "./reports.ts";
 * REPORT_SCHEMAS.run_report.required.includes("scores"); // true
 * ```
 * @module
 */
import { RECORD_SCHEMAS } from "./components.ts";
import { closed, nullable, ref, type Schema, T } from "./spec.ts";

const stringList = { type: "array", items: T.string };

/** The fields every group of results is scored on (a run, a subset). */
const groupScores: Record<string, Schema> = {
  declared_coverage: ref("proportion"),
  empirical_coverage: ref("proportion"),
  compliance: ref("proportion"),
  key_order: ref("proportion"),
  answer_in_reasoning: T.int,
  latency_ms: ref("spread"),
  ttft_ms: ref("spread"),
  tpot_ms: ref("spread"),
  tokens: closed({ prompt: T.int, completion: T.int }),
  cost_usd: T.number,
};
/** Added by later versions: a summary stored before them lacks them. */
const LATER = ["key_order", "answer_in_reasoning"];

const subsetScores = closed({
  ...groupScores,
  by_outcome: ref("outcome_counts"),
  done: T.int,
  total: T.int,
}, LATER);

const scores = closed({
  ...groupScores,
  by_subset: {
    type: "object",
    description: 'Scores per subset (cases without one under "(none)").',
    additionalProperties: subsetScores,
  },
  by_keyword: {
    type: "object",
    description: "Every keyword the suite's schemas use, by name.",
    additionalProperties: closed({
      cases: T.int,
      empirical_coverage: ref("proportion"),
      errors: T.int,
      failing_cases: T.int,
    }),
  },
  top_failing_keywords: {
    type: "array",
    maxItems: 10,
    items: closed({ keyword: T.string, failing_cases: T.int, errors: T.int }),
  },
  throughput: closed({
    elapsed_s: T.maybeNumber,
    cases_per_s: T.maybeNumber,
    completion_tokens_per_s: T.maybeNumber,
  }),
  accuracy: {
    ...ref("proportion"),
    description: "Quality runs: the share of correct answers.",
  },
}, [...LATER, "accuracy"]);

const progress = closed({
  total: T.int,
  done: T.int,
  by_outcome: ref("outcome_counts"),
});

const qualityPair = closed({
  pairs: T.int,
  constrained: ref("proportion"),
  prompt_only: ref("proportion"),
  difference: ref("interval"),
  mcnemar_p: T.maybeNumber,
  only_constrained_right: stringList,
  only_prompt_only_right: stringList,
  discordant: closed({
    only_constrained_right: T.int,
    only_prompt_only_right: T.int,
  }),
});

const run = RECORD_SCHEMAS.run;
const runReport = closed({
  ...run.properties,
  progress,
  scores: ref("scores"),
  quality: ref("quality_pair"),
  distortion: ref("distortion_report"),
}, ["quality", "distortion"]);

const eventProgress = closed({
  status: run.properties.status,
  waiting_since: T.maybeTime,
  total: T.int,
  done: T.int,
  by_outcome: ref("outcome_counts"),
  scores: closed({
    declared_coverage: ref("proportion"),
    empirical_coverage: ref("proportion"),
    compliance: ref("proportion"),
  }),
});

const both = (schema: Schema) => closed({ a: schema, b: schema });
const scoreDifference = closed({
  a: ref("proportion"),
  b: ref("proportion"),
  difference: ref("interval"),
});
const comparison = closed({
  a: ref("run"),
  b: ref("run"),
  paired: closed({
    n: T.int,
    both: T.int,
    only_a: T.int,
    only_b: T.int,
    neither: T.int,
    accuracy_a: ref("proportion"),
    accuracy_b: ref("proportion"),
    difference: ref("interval"),
    mcnemar_p: T.maybeNumber,
    flipped_to_b: stringList,
    flipped_to_a: stringList,
  }),
  scores: closed({
    declared_coverage: scoreDifference,
    empirical_coverage: scoreDifference,
    compliance: scoreDifference,
  }),
  latency_ms: both(ref("spread")),
  latency_median_ms: both(ref("proportion")),
  ttft_ms: both(ref("spread")),
  tpot_ms: both(ref("spread")),
});

const targetBrief = closed({
  id: T.uuid,
  name: T.string,
  kind: T.string,
  model: T.text,
  mode: T.string,
});

const rankingEntry = closed({
  rank: T.int,
  run_id: T.uuid,
  target: nullable(targetBrief),
  empirical_coverage: ref("proportion"),
  declared_coverage: ref("proportion"),
  compliance: ref("proportion"),
  finished_at: T.maybeTime,
});

const boardRow = closed({
  rank: T.maybeInt,
  run_id: T.uuid,
  suite: closed({ id: T.uuid, name: T.string, version: T.int }),
  target: targetBrief,
  validation: T.string,
  pair: nullable(closed({ role: T.string, run_id: nullable(T.uuid) })),
  engine: closed({
    name: T.text,
    version: T.text,
    model: T.text,
    reasoning: T.text,
  }),
  empirical_coverage: ref("proportion"),
  compliance: ref("proportion"),
  declared_coverage: ref("proportion"),
  accuracy: nullable(ref("proportion")),
  ttft_ms_p50: T.maybeNumber,
  tpot_ms_p50: T.maybeNumber,
  cost_usd: T.maybeNumber,
  cases: T.int,
  cost_per_1k_cases_usd: T.maybeNumber,
  finished_at: T.time,
});

const keywordRecord = closed({
  group: T.string,
  keyword: T.string,
  target: T.string,
  target_id: T.uuid,
  run_id: T.uuid,
  mode: T.string,
  engine_version: T.text,
  state: nullable({
    type: "string",
    enum: ["refused", "adapted", "unsound", "coverage"],
  }),
  cases: T.int,
  counted: T.int,
  valid: T.int,
  unsupported: T.int,
  violations: T.int,
  adapted: T.int,
  empirical_coverage: T.maybeNumber,
  empirical_coverage_low: T.maybeNumber,
  empirical_coverage_high: T.maybeNumber,
});

const estimate = closed({
  cases: T.int,
  prompt_tokens: T.number,
  completion_tokens: T.number,
  completion_tokens_max: T.number,
  cost_usd: T.maybeNumber,
  cost_usd_max: T.maybeNumber,
  price: nullable(closed({
    input_per_mtok: T.number,
    output_per_mtok: T.number,
    cached_input_per_mtok: T.number,
  }, ["cached_input_per_mtok"])),
  assumptions: stringList,
});

/** The component schemas of the reports, by name. */
export const REPORT_SCHEMAS = {
  scores,
  quality_pair: qualityPair,
  run_report: runReport,
  run_event_progress: eventProgress,
  comparison,
  ranking_entry: rankingEntry,
  board_row: boardRow,
  keyword_record: keywordRecord,
  estimate,
} satisfies Record<string, Schema>;
