/**
 * One claimed case answered: the `runCase` input built from the run's
 * options and the worker's settings, then the case run once, or, for a
 * distortion run, as its N constrained and N prompt_only samples
 * (`distortion_case.ts`).
 *
 * @example
 * ```ts
 * import { answerCase } from "./answer_case.ts";
 * import type { AnswerCaseDeps } from "./answer_case.ts";
 * import type { RunContext } from "./run_context.ts";
 * import type { ClaimedCase } from "../db/queries/queue.ts";
 * declare const deps: AnswerCaseDeps;
 * declare const ctx: RunContext;
 * declare const kase: ClaimedCase;
 * const result = await answerCase(deps, ctx, kase);
 * result.outcome; // "valid", …
 * ```
 * @module
 */
import {
  type CaseResult,
  runCase,
  type RunCaseInput,
} from "../../evaluators/run_case.ts";
import type { PooledValidator } from "../../evaluators/validation/pool.ts";
import type { ValidationMode } from "../../evaluators/validation/validate.ts";
import type { ClaimedCase } from "../db/queries/queue.ts";
import { runDistortionCase } from "./distortion_case.ts";
import { engineHealth } from "./engine_health.ts";
import type { WorkerOptions } from "./options.ts";
import type { RunContext } from "./run_context.ts";

/** What {@link answerCase} needs of the worker. */
export interface AnswerCaseDeps {
  validators: Record<ValidationMode, PooledValidator>;
  signal: AbortSignal;
  options: Pick<
    WorkerOptions,
    "backoffMs" | "maxOutputChars" | "caseDeadlineMs"
  >;
}

/**
 * Runs `kase` of the run `ctx` on its target and judges the answer.
 *
 * @example
 * ```ts
 * import type { AnswerCaseDeps } from "./answer_case.ts";
 * import type { RunContext } from "./run_context.ts";
 * import type { ClaimedCase } from "../db/queries/queue.ts";
 * declare const deps: AnswerCaseDeps;
 * declare const ctx: RunContext;
 * declare const kase: ClaimedCase;
 * (await answerCase(deps, ctx, kase)).attempts; // 1
 * ```
 */
export function answerCase(
  deps: AnswerCaseDeps,
  ctx: RunContext,
  kase: ClaimedCase,
): Promise<CaseResult> {
  const { options } = ctx;
  const input: RunCaseInput = {
    kase,
    target: ctx.target,
    mode: options.mode,
    params: {
      temperature: options.temperature,
      max_tokens: options.max_tokens,
      seed: options.seed,
      timeout_ms: options.timeout_ms,
    },
    template: options.prompt_template,
    validator: deps.validators[options.validation] ??
      deps.validators.declared,
    signal: deps.signal,
    retries: options.retries,
    limiter: ctx.limit,
    backoffMs: deps.options.backoffMs,
    maxOutputChars: deps.options.maxOutputChars,
    deadlineMs: deps.options.caseDeadlineMs,
    priorTries: kase.attempts - 1, // the claims before this one
    probe: (signal) => engineHealth(ctx.target, signal),
  };
  return options.distortion
    ? runDistortionCase(input, {
      samples: options.distortion.samples,
      seed: options.seed,
      sampling: options.distortion.sampling,
    })
    : runCase(input);
}
