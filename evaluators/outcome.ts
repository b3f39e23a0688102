/**
 * Turns a target's answer into exactly one outcome (DESIGN.md's table),
 * always validating against the ORIGINAL schema. Precedence, first match
 * wins: the engine refused the schema (`unsupported_schema`) or the prompt
 * (`context_exceeded`); the engine failed on the schema it accepted, on two
 * attempts (`engine_error`: `runCase` confirms it); transport failure
 * (`infra_error`); a provider
 * refusal (`refusal`); the output does not parse and generation hit its
 * token limit (`truncated`); it does not parse (`invalid_json`); it
 * validates (`valid`); otherwise `schema_violation`. One surrounding
 * Markdown code fence is stripped first and flagged `fenced`.
 *
 * @example
 * ```ts
 * import { judge } from "./outcome.ts";
 * import type { Verdict } from "./validation/validate.ts";
 * declare const check: (instance: unknown) => Verdict;
 * const fence = "`".repeat(3);
 * const j = judge({ text: `${fence}json\n{}\n${fence}`, finishReason: "stop" }, check);
 * j.outcome; // "valid" (for a schema that accepts {}), j.fenced === true
 * ```
 *
 * With a check that answers later (a validation pool), {@link judgeAsync}
 * does the same; {@link parseAnswer} and {@link judgeVerdict} are its two
 * halves.
 * @module
 */
import type { Answer } from "./targets/target.ts";
import { errorKeywords } from "./validation/attribution.ts";
import {
  type NumberLiterals,
  numberLiterals,
} from "./validation/number_literals.ts";
import type {
  SchemaProblem,
  ValidationError,
  Verdict,
} from "./validation/validate.ts";

/** Every way a case can end. */
export type Outcome =
  | "valid"
  | "schema_violation"
  | "invalid_json"
  | "truncated"
  | "unsupported_schema"
  | "refusal"
  | "context_exceeded"
  | "invalid_schema"
  | "engine_error"
  | "infra_error"
  | "skipped";

/** Every outcome, in the table's order. */
export const OUTCOMES: readonly Outcome[] = [
  "valid",
  "schema_violation",
  "invalid_json",
  "truncated",
  "unsupported_schema",
  "refusal",
  "context_exceeded",
  "invalid_schema",
  "engine_error",
  "infra_error",
  "skipped",
];

/** The verdict on one answer. */
export interface Judgement {
  outcome: Outcome;
  /** A surrounding code fence was stripped before parsing. */
  fenced: boolean;
  /** Validation errors (schema_violation only). */
  errors: ValidationError[];
  /** The distinct keywords those errors point at. */
  failingKeywords: string[];
  /** Why, for outcomes that are not about the JSON itself. */
  reason?: string;
  /** The validator's problem kind (`invalid_schema` from a verdict only). */
  kind?: SchemaProblem;
}

/** The answer parsed and ready to validate, or already judged without it. */
export type ParsedAnswer =
  | { judged: Judgement }
  | {
    judged?: undefined;
    instance: unknown;
    fenced: boolean;
    /** Numbers as the text wrote them, where a double misreads them. */
    literals: NumberLiterals | null;
  };

const FENCE = /^\s*```[A-Za-z0-9_-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```\s*$/;

/**
 * Strips one surrounding Markdown code fence (```json … ```).
 *
 * @example
 * ```ts
 * stripFence("```json\n{\"a\":1}\n```"); // { text: '{"a":1}', fenced: true }
 * stripFence("{}"); // { text: "{}", fenced: false }
 * ```
 */
export function stripFence(text: string): { text: string; fenced: boolean } {
  const match = FENCE.exec(text);
  return match ? { text: match[1], fenced: true } : { text, fenced: false };
}

/**
 * Everything before validation: engine and transport errors, refusals, the
 * fence, parsing. Gives the judgement when that decides it, else the
 * instance to validate.
 *
 * @example
 * ```ts
 * parseAnswer({ text: "{", finishReason: "length" }).judged?.outcome; // "truncated"
 * parseAnswer({ text: "[1]", finishReason: "stop" }); // { instance: [1], fenced: false, literals: null }
 * parseAnswer({ text: null, finishReason: null, error: { kind: "engine_error", message: "grammar", retryable: true } })
 *   .judged?.outcome; // "engine_error"
 * ```
 */
export function parseAnswer(
  answer: Pick<Answer, "text" | "finishReason" | "refusal" | "error">,
): ParsedAnswer {
  const none = { fenced: false, errors: [], failingKeywords: [] };
  const error = answer.error;
  if (
    error?.kind === "unsupported_schema" ||
    error?.kind === "context_exceeded" || error?.kind === "engine_error"
  ) {
    return { judged: { ...none, outcome: error.kind, reason: error.message } };
  }
  if (error) {
    return {
      judged: { ...none, outcome: "infra_error", reason: error.message },
    };
  }
  if (answer.refusal !== undefined && answer.refusal !== null) {
    return { judged: { ...none, outcome: "refusal", reason: answer.refusal } };
  }
  const { text, fenced } = stripFence(answer.text ?? "");
  try {
    if (text.trim() === "") throw new Error("empty output");
    const instance = JSON.parse(text);
    return { instance, fenced, literals: numberLiterals(text) };
  } catch (parseError) {
    const truncated = answer.finishReason === "length";
    return {
      judged: {
        outcome: truncated ? "truncated" : "invalid_json",
        fenced,
        errors: [],
        failingKeywords: [],
        reason: truncated
          ? "hit the token limit before the JSON ended"
          : (parseError as Error).message,
      },
    };
  }
}

/**
 * The judgement a verdict gives: `valid`, `schema_violation` with its
 * failing keywords, or `invalid_schema` with the validator's kind and reason
 * (`validation_timeout: checking the output took longer than 2000 ms`).
 *
 * @example
 * ```ts
 * import type { Verdict } from "./validation/validate.ts";
 * declare const check: (instance: unknown) => Verdict;
 * judgeVerdict(check({ n: "x" }), false).failingKeywords; // ["type"]
 * ```
 */
export function judgeVerdict(verdict: Verdict, fenced: boolean): Judgement {
  if (verdict.status === "valid") {
    return { outcome: "valid", fenced, errors: [], failingKeywords: [] };
  }
  if (verdict.status === "invalid_schema") {
    return {
      outcome: "invalid_schema",
      fenced,
      errors: [],
      failingKeywords: [],
      reason: `${verdict.kind}: ${verdict.reason}`,
      kind: verdict.kind,
    };
  }
  return {
    outcome: "schema_violation",
    fenced,
    errors: verdict.errors,
    failingKeywords: [...new Set(errorKeywords(verdict.errors))].sort(),
  };
}

/**
 * Decides the outcome of one answer. `check` validates an instance against
 * the case's original schema.
 *
 * @example
 * ```ts
 * import type { Verdict } from "./validation/validate.ts";
 * declare const check: (instance: unknown) => Verdict;
 * judge({ text: null, finishReason: null, error: { kind: "infra_error", message: "refused", retryable: true } }, check).outcome;
 * // "infra_error"
 * ```
 */
export function judge(
  answer: Pick<Answer, "text" | "finishReason" | "refusal" | "error">,
  check: (instance: unknown, literals?: NumberLiterals | null) => Verdict,
): Judgement {
  const parsed = parseAnswer(answer);
  if (parsed.judged) return parsed.judged;
  return judgeVerdict(check(parsed.instance, parsed.literals), parsed.fenced);
}

/**
 * {@link judge} with a check that may answer later, such as a
 * `ValidationPool`'s bounded one.
 *
 * @example
 * ```ts
 * import type { Answer } from "./targets/target.ts";
import { errorKeywords } from "./validation/attribution.ts";
import {
  type NumberLiterals,
  numberLiterals,
} from "./validation/number_literals.ts";
 * import type { ValidationPool } from "./validation/pool.ts";
 * declare const pool: ValidationPool;
 * declare const schema: unknown;
 * declare const answer: Answer;
 * const compiled = await pool.compile(schema);
 * if (compiled.ok) (await judgeAsync(answer, compiled.check)).outcome;
 * ```
 */
export async function judgeAsync(
  answer: Pick<Answer, "text" | "finishReason" | "refusal" | "error">,
  check: (
    instance: unknown,
    literals?: NumberLiterals | null,
  ) => Verdict | Promise<Verdict>,
): Promise<Judgement> {
  const parsed = parseAnswer(answer);
  if (parsed.judged) return parsed.judged;
  return judgeVerdict(
    await check(parsed.instance, parsed.literals),
    parsed.fenced,
  );
}

/** The problems that mean the paper's harness could not check the schema. */
const UNCHECKABLE: ReadonlySet<SchemaProblem> = new Set([
  "invalid_schema",
  "ref_cycle",
  "unsupported_pattern",
]);

/**
 * `jsb` mode's reading of a schema that cannot be checked: the paper's
 * harness counted every answer to it as a failure that stays in the
 * denominator (its `validate_json_schema` returns False on any exception),
 * so an answer that parsed is `schema_violation` with the reason
 * `uncheckable_schema` (the keyword it fails), never `invalid_schema`.
 * Other outcomes (`invalid_json`, `truncated`, the engine's) stand. The
 * time bounds (`compile_timeout`, `validation_timeout`) and a crashed
 * validator are this server's, not the schema's: they stay
 * `invalid_schema`.
 *
 * @example
 * ```ts
 * const judged = uncheckableInJsb(
 *   { outcome: "valid", fenced: false, errors: [], failingKeywords: [] },
 *   "invalid_schema",
 *   "schema is invalid",
 * );
 * judged?.outcome; // "schema_violation"
 * ```
 */
export function uncheckableInJsb(
  judgement: Judgement,
  kind: SchemaProblem,
  reason: string,
): Judgement | null {
  if (!UNCHECKABLE.has(kind)) return null;
  if (judgement.outcome !== "valid" && judgement.outcome !== "invalid_schema") {
    return judgement;
  }
  const message = `uncheckable_schema: ${kind}: ${reason}`.slice(0, 2000);
  return {
    outcome: "schema_violation",
    fenced: judgement.fenced,
    errors: [{
      keyword: "uncheckable_schema",
      instance_path: "",
      schema_path: "#",
      message,
    }],
    failingKeywords: ["uncheckable_schema"],
    reason: message,
  };
}
