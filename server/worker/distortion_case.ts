/**
 * One case of a distortion run: N samples in the target's constrained mode
 * and N in `prompt_only` mode (the same prompt), each a full
 * {@link runCase} (the same retries, engine-outage probe, fence stripping
 * and validator as any case) at the run's stored sampling settings, with
 * its own seed ({@link sampleSeed}) and the engine's per-token log
 * probabilities. The case's result is that of its FIRST constrained sample,
 * with every sample's tokens added up (so the run's cost and budget count
 * them all) and the samples attached (`distortion`), written with the
 * result in one statement.
 *
 * A sample that finds the engine down, or a refused key, ends the case at
 * once with that sample's result, which the worker handles as for any case
 * (handed back whole, or the run failed); the samples drawn so far are
 * dropped and drawn again, with the same seeds, on the next claim.
 *
 * @example
 * ```ts
 * import { runDistortionCase } from "./distortion_case.ts";
 * import type { RunCaseInput } from "../../evaluators/run_case.ts";
 * declare const input: RunCaseInput;
 * const result = await runDistortionCase(input, { samples: 16, seed: 0, sampling: { temperature: 1, top_k: 0 } });
 * result.distortion?.length; // 32
 * ```
 * @module
 */
import {
  type CaseResult,
  runCase,
  type RunCaseInput,
} from "../../evaluators/run_case.ts";
import { parseAnswer } from "../../evaluators/outcome.ts";
import {
  type DistortionSample,
  sampleValue,
} from "../../evaluators/metrics/distortion.ts";
import type {
  Answer,
  GenerationParams,
  Target,
} from "../../evaluators/targets/target.ts";
import { isKeyRefused } from "../runs/failure.ts";

/** A case's result with its samples, as the result row stores them. */
export type DistortionResult = CaseResult & {
  distortion?: DistortionSample[];
};

/** How a distortion run samples (from its stored options). */
export interface DistortionPlan {
  /** N, samples per arm. */
  samples: number;
  /** The run's seed, from which every sample's is derived. */
  seed: number;
  /** The stored sampler settings (temperature 1, truncation off). */
  sampling: GenerationParams;
}

const ARMS = ["constrained", "unconstrained"] as const;

/**
 * The seed of one sample: a 31-bit mix of the run's seed, the case's key,
 * the arm and the sample's index, so a run is reproducible, its samples
 * differ, the two arms never share a random stream, and neither do two
 * cases (a model whose next token hardly depends on the prompt would
 * otherwise draw the same samples for every case, and the run's interval,
 * which treats cases as independent, would be too narrow).
 *
 * @example
 * ```ts
 * import { sampleSeed } from "./distortion_case.ts";
 * sampleSeed(0, "k", "constrained", 0) !== sampleSeed(0, "k", "unconstrained", 0); // true
 * ```
 */
export function sampleSeed(
  runSeed: number,
  caseKey: string,
  arm: DistortionSample["arm"],
  index: number,
): number {
  let key = 0x811c9dc5; // FNV-1a over the key's UTF-16 units
  for (let i = 0; i < caseKey.length; i++) {
    key = Math.imul(key ^ caseKey.charCodeAt(i), 0x01000193);
  }
  let h = Math.imul((runSeed | 0) ^ 0x9e3779b9 ^ key, 0x85ebca6b);
  h = Math.imul(
    h ^ (h >>> 13) ^ (arm === "constrained" ? 0x1b873593 : 0),
    0xc2b2ae35,
  );
  h = Math.imul(h ^ (h >>> 16) ^ Math.imul(index + 1, 0x27d4eb2f), 0x165667b1);
  h ^= h >>> 15;
  return h & 0x7fffffff;
}

/**
 * Runs one case of a distortion run, as the module doc says.
 *
 * @example
 * ```ts
 * import type { RunCaseInput } from "../../evaluators/run_case.ts";
 * declare const input: RunCaseInput;
 * const r = await runDistortionCase(input, { samples: 4, seed: 1, sampling: {} });
 * r.outcome; // the first constrained sample's
 * ```
 */
export async function runDistortionCase(
  input: RunCaseInput,
  plan: DistortionPlan,
): Promise<DistortionResult> {
  const samples: DistortionSample[] = [];
  let first: CaseResult | undefined;
  let promptTokens: number | null = null;
  let completionTokens: number | null = null;
  for (const arm of ARMS) {
    for (let index = 0; index < plan.samples; index++) {
      const seed = sampleSeed(plan.seed, input.kase.key, arm, index);
      let answer: Answer | undefined;
      const result = await runCase({
        ...input,
        target: recording(input.target, (a) => answer = a),
        mode: arm === "constrained" ? input.mode : "prompt_only",
        params: {
          ...input.params,
          ...plan.sampling,
          seed,
          other_samplers_off: true,
          logprobs: true,
        },
      });
      if (
        result.engineDown || input.signal.aborted ||
        (result.outcome === "infra_error" &&
          isKeyRefused(result.errorMessage))
      ) {
        return result;
      }
      first ??= result;
      if (result.promptTokens !== null) {
        promptTokens = (promptTokens ?? 0) + result.promptTokens;
      }
      if (result.completionTokens !== null) {
        completionTokens = (completionTokens ?? 0) + result.completionTokens;
      }
      samples.push(sampleOf(arm, index, seed, result, answer));
    }
  }
  if (!first) throw new Error("a distortion run draws at least one sample");
  return { ...first, promptTokens, completionTokens, distortion: samples };
}

/** One drawn sample, judged as its case would be. */
function sampleOf(
  arm: DistortionSample["arm"],
  index: number,
  seed: number,
  result: CaseResult,
  answer: Answer | undefined,
): DistortionSample {
  const parsed = result.rawOutput === null ? undefined : parseAnswer({
    text: result.rawOutput,
    finishReason: result.finishReason,
  });
  const instance = parsed && "instance" in parsed ? parsed.instance : undefined;
  return {
    arm,
    index,
    seed,
    text: result.rawOutput,
    valid: result.outcome === "valid",
    value: sampleValue(instance),
    token_logprobs: answer?.tokenLogprobs ?? null,
    eog_included: answer?.logprobsEog ?? false,
    ...(result.promptTokens !== null
      ? { prompt_tokens: result.promptTokens }
      : {}),
    ...(result.completionTokens !== null
      ? { completion_tokens: result.completionTokens }
      : {}),
  };
}

/** The target, telling `onAnswer` each answer it gives (the last attempt's wins). */
function recording(target: Target, onAnswer: (answer: Answer) => void): Target {
  return {
    config: target.config,
    describe: (signal) => target.describe(signal),
    ...(target.health
      ? { health: (signal: AbortSignal) => target.health!(signal) }
      : {}),
    async generate(request) {
      const answer = await target.generate(request);
      onAnswer(answer);
      return answer;
    },
  };
}
