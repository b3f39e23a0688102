/**
 * A run's options, resolved once at creation and stored with the run: what
 * the caller asked, over the target's defaults, over the project's
 * defaults, plus the exact prompt template and the decoding mode. A stored
 * run can be reproduced from its options alone.
 *
 * @example
 * ```ts
 * import { resolveRunOptions } from "./options.ts";
 * import type { TargetRow } from "../db/queries/targets.ts";
 * declare const targetRow: TargetRow;
 * const options = resolveRunOptions({ temperature: 0.2 }, targetRow);
 * options.max_tokens; // 1024 unless the target says otherwise
 * ```
 * @module
 */
import {
  DEFAULT_TEMPLATE,
  FEW_SHOT_EXAMPLES,
  type PromptTemplate,
} from "../../evaluators/prompt.ts";
import type { Mode } from "../../evaluators/targets/target.ts";
import type { ValidationMode } from "../../evaluators/validation/validate.ts";

/** What a caller may ask for (the `options` of `POST /api/runs`). */
export interface RunOptionsInput {
  temperature?: number;
  max_tokens?: number;
  seed?: number;
  concurrency?: number;
  limit?: number;
  validation?: ValidationMode;
  few_shot?: boolean;
  timeout_ms?: number;
  retries?: number;
  budget_usd?: number;
  quality_pair?: boolean;
  /** How long to wait for a down engine (capped by `ENGINE_DOWN_MAX_MS`). */
  engine_wait_ms?: number;
  /** A distortion run: N constrained and N unconstrained samples per case. */
  distortion?: { samples?: number };
}

/**
 * The sampler settings of a distortion run (temperature 1, every
 * truncation sampler and penalty off), stored with the run.
 */
export interface DistortionSampling {
  temperature: 1;
  top_k: 0;
  top_p: 1;
  min_p: 0;
  repeat_penalty: 1;
  presence_penalty: 0;
  frequency_penalty: 0;
}

/** A distortion run's stored options (`distortion_options.ts`). */
export interface DistortionOptions {
  /** Samples per arm and case. */
  samples: number;
  sampling: DistortionSampling;
  /** Whether the engine's log probabilities are known to be pre-constraint. */
  logprobs_pre_constraint: boolean;
}

/** The stored, complete options. */
export interface RunOptions {
  temperature: number;
  max_tokens: number;
  seed: number;
  /** Null: the engine's slot count (or 4 when it does not say). */
  concurrency: number | null;
  limit: number | null;
  validation: ValidationMode;
  few_shot: boolean;
  timeout_ms: number;
  retries: number;
  /** Stop the run (`budget_exceeded`) once this many dollars are spent. */
  budget_usd: number | null;
  /** How long the run waits for a down engine; null: the server's bound. */
  engine_wait_ms?: number | null;
  mode: Mode;
  /** The other run of a quality pair (constrained and prompt_only), if any. */
  pair_run_id?: string;
  /** This run's side of a quality pair. */
  pair_role?: "constrained" | "prompt_only";
  /** A re-judged run: the run whose stored outputs it judged again. */
  rejudged_from?: string;
  /** A distortion run (its own kind: never on the validity board). */
  distortion?: DistortionOptions;
  prompt_template: PromptTemplate;
}

/** The project's defaults (greedy decoding, as JSONSchemaBench). */
export const RUN_DEFAULTS = {
  temperature: 0,
  max_tokens: 1024,
  seed: 0,
  validation: "declared" as ValidationMode,
  few_shot: false,
  timeout_ms: 300_000,
  retries: 3,
};

/**
 * Resolves and completes a run's options.
 *
 * @example
 * ```ts
 * resolveRunOptions({}, { mode: "json_schema", params: { max_tokens: 256 } }).max_tokens; // 256
 * ```
 */
export function resolveRunOptions(
  input: RunOptionsInput,
  target: { mode: string; params: Record<string, unknown> },
): RunOptions {
  const fromTarget = target.params as Partial<RunOptionsInput>;
  const pick = <K extends keyof typeof RUN_DEFAULTS>(key: K) =>
    (input[key as keyof RunOptionsInput] ??
      fromTarget[key as keyof RunOptionsInput] ??
      RUN_DEFAULTS[key]) as (typeof RUN_DEFAULTS)[K];
  const fewShot = pick("few_shot");
  return {
    temperature: pick("temperature"),
    max_tokens: pick("max_tokens"),
    seed: pick("seed"),
    concurrency: input.concurrency ?? null,
    limit: input.limit ?? null,
    validation: pick("validation"),
    few_shot: fewShot,
    timeout_ms: pick("timeout_ms"),
    retries: pick("retries"),
    budget_usd: input.budget_usd ?? null,
    engine_wait_ms: input.engine_wait_ms ?? null,
    mode: target.mode as Mode,
    prompt_template: {
      ...DEFAULT_TEMPLATE,
      few_shot: fewShot ? FEW_SHOT_EXAMPLES : [],
    },
  };
}
