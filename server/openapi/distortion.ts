/**
 * The document's schemas and entry for distortion runs: a sample as stored
 * with its case's result, the per-case and per-run figures of
 * `evaluators/metrics/distortion.ts` as `GET /api/runs/:id` answers them
 * (`distortion`), and the distortion board `GET /api/distortion.json`.
 *
 * @example
 * ```ts
 * import { DISTORTION_ROUTES, DISTORTION_SCHEMAS } from "./distortion.ts";
 * DISTORTION_ROUTES[0].path; // "/api/distortion.json"
 * DISTORTION_SCHEMAS.distortion_sample.required.includes("arm"); // true
 * ```
 * @module
 */
import { closed, nullable, ref, type RouteSpec, T } from "./spec.ts";

const estimate = { value: T.number, lower: T.number, upper: T.number };

const sample = closed({
  arm: { type: "string", enum: ["constrained", "unconstrained"] },
  index: T.int,
  seed: T.int,
  text: T.text,
  valid: T.bool,
  value: { ...T.text, description: "The parsed value as canonical JSON." },
  token_logprobs: nullable({ type: "array", items: T.number }),
  eog_included: T.bool,
  prompt_tokens: T.int,
  completion_tokens: T.int,
}, ["prompt_tokens", "completion_tokens"]);

const caseFigures = closed({
  key: T.string,
  n_constrained: T.int,
  n_unconstrained: T.int,
  z: closed({ ...estimate, valid: T.int, n: T.int }),
  z_zero: T.bool,
  gap: nullable(closed(estimate)),
  divergence: nullable(closed({ ...estimate, support: T.int })),
});

const runFigures = closed({
  cases: T.int,
  z_zero_cases: T.int,
  z: closed(estimate),
  gap: nullable(closed({ ...estimate, cases: T.int })),
  divergence: nullable(closed({ ...estimate, cases: T.int })),
});

const sampling = closed({
  temperature: T.number,
  top_k: T.number,
  top_p: T.number,
  min_p: T.number,
  repeat_penalty: T.number,
  presence_penalty: T.number,
  frequency_penalty: T.number,
});

const report = closed({
  samples: T.int,
  sampling,
  logprobs_pre_constraint: T.bool,
  run: runFigures,
  cases: { type: "array", items: caseFigures },
});

const boardRow = closed({
  run_id: T.uuid,
  target_id: T.uuid,
  target: T.string,
  kind: T.string,
  mode: T.string,
  samples: T.int,
  logprobs_pre_constraint: T.bool,
  ...runFigures.properties,
});

/** The component schemas of distortion runs, by name. */
export const DISTORTION_SCHEMAS = {
  distortion_sample: sample,
  distortion_report: report,
  distortion_board_row: boardRow,
};

/** The distortion board's entry. */
export const DISTORTION_ROUTES: RouteSpec[] = [
  {
    method: "get",
    path: "/api/distortion.json",
    summary: "A suite's distortion board",
    description:
      "One record per (target, N) from its latest finished public distortion run of the whole suite: Ẑ, the likelihood gap and the value divergence, with intervals.",
    query: [{ name: "suite", description: "The suite's id.", required: true }],
    errors: [404],
    ok: 200,
    response: closed({
      suite: closed({ id: T.uuid, name: T.string, version: T.int }),
      items: { type: "array", items: ref("distortion_board_row") },
    }),
  },
];
