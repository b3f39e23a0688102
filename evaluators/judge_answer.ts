/**
 * Judging one answer under a compiled schema: the one rule for a run's
 * live cases (`run_case.ts`) and for re-judging stored outputs
 * (`server/runs/rejudge.ts`).
 *
 * @example
 * ```ts
 * import { judgeAnswer } from "./judge_answer.ts";
 * import { SchemaValidator } from "./validation/validate.ts";
 * const compiled = new SchemaValidator().compile({ type: "integer" });
 * (await judgeAnswer({ text: "1", finishReason: "stop" }, compiled, false)).outcome; // "valid"
 * ```
 * @module
 */
import {
  judgeAsync,
  type Judgement,
  type Outcome,
  uncheckableInJsb,
} from "./outcome.ts";
import type { Answer } from "./targets/target.ts";
import type { Compiled, NotCompiled } from "./validation/validate.ts";
import type { PooledCompiled } from "./validation/pool.ts";

/**
 * A compiled schema from either validator, or why it did not compile.
 *
 * @example
 * ```ts
 * import type { CompiledLike } from "./judge_answer.ts";
 * declare const compiled: CompiledLike;
 * compiled.ok; // false when the schema could not be compiled
 * ```
 */
export type CompiledLike = Compiled | PooledCompiled | NotCompiled;

/**
 * Outcomes that stand even when our validator cannot read the schema.
 *
 * @example
 * ```ts
 * import { ENGINE_VERDICTS } from "./judge_answer.ts";
 * ENGINE_VERDICTS.has("engine_error"); // true
 * ```
 */
export const ENGINE_VERDICTS: ReadonlySet<Outcome> = new Set([
  "unsupported_schema",
  "context_exceeded",
  "engine_error",
  "infra_error",
]);

/**
 * The judgement of one answer under a compiled schema (or the reason it
 * could not compile), the one rule for a run's cases and for re-judging
 * stored outputs: an engine's verdict stands; a schema we cannot read
 * makes a parsed answer `invalid_schema`, except in `jsb` mode, where a
 * schema the paper's harness could not check is a failure
 * (`uncheckableInJsb`).
 *
 * @example
 * ```ts
 * import { SchemaValidator } from "./validation/validate.ts";
 * const compiled = new SchemaValidator().compile({ type: "integer" });
 * (await judgeAnswer({ text: "1", finishReason: "stop" }, compiled, false)).outcome; // "valid"
 * ```
 */
export async function judgeAnswer(
  answer: Pick<Answer, "text" | "finishReason" | "refusal" | "error">,
  compiled: CompiledLike,
  jsb: boolean,
): Promise<Judgement> {
  const judgement = await judgeAsync(
    answer,
    compiled.ok
      ? compiled.check
      : () => ({ status: "valid", errors: [], draft: compiled.draft }),
  );
  const problem = !compiled.ok
    ? { kind: compiled.kind, reason: compiled.reason }
    : judgement.outcome === "invalid_schema" && judgement.kind
    ? { kind: judgement.kind, reason: judgement.reason ?? "" }
    : null;
  const paper = jsb && problem &&
    uncheckableInJsb(judgement, problem.kind, problem.reason);
  if (paper) return paper;
  if (!compiled.ok && !ENGINE_VERDICTS.has(judgement.outcome)) {
    return {
      outcome: "invalid_schema",
      fenced: judgement.fenced,
      errors: [],
      failingKeywords: [],
      reason: `${compiled.kind}: ${compiled.reason}`,
      kind: compiled.kind,
    };
  }
  return judgement;
}
