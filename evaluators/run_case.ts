/**
 * One case on one target → one result. Compiles the case's schema, builds
 * the prompt, asks the target (retrying retryable infrastructure errors with
 * exponential backoff), and judges the answer against the ORIGINAL schema.
 *
 * An engine error (the engine failed on the schema it accepted) is retried
 * like an infrastructure error, and is the case's outcome only once it
 * happened on {@link ENGINE_ERROR_ATTEMPTS} attempts: the attempt that
 * confirms it is made even past `retries`, and no more are made after it.
 * One that was not repeated (the next attempt answered, or the run was
 * aborted) is not held against the engine.
 *
 * With a `probe` (the worker's), a failure that may mean the engine is down
 * (`mayBeOutage`: refused, reset, timed out, 502/503/504) asks the engine's
 * health first. Down: the case stops at once, unjudged, with `engineDown`
 * set (the worker hands it back and the run waits; `suspect` when the
 * request had reached the engine, which may have died of it). Up: a
 * timeout is the engine's own failure (an `engine_error` attempt, confirmed
 * like the others); any other failure is retried as before.
 *
 * A schema our validator cannot compile (invalid, an unresolvable or remote
 * `$ref`, a pattern RE2 cannot run, a `$ref` cycle, a compile past its time
 * bound) is still sent: an engine that refuses it gives
 * `unsupported_schema`, as the outcome precedence says; an answer we cannot
 * judge is `invalid_schema`, with the validator's kind and reason (also when
 * checking this one output outlived its bound: `validation_timeout`).
 *
 * `validator` is a synchronous {@link SchemaValidator} or, in the worker,
 * a `ValidationPool` seen through the run's mode (bounded, off the main
 * thread).
 *
 * @example
 * ```ts
 * import { type CaseToRun, runCase } from "./run_case.ts";
 * import type { PromptTemplate } from "./prompt.ts";
 * import type { Target } from "./targets/target.ts";
 * import type { SchemaValidator } from "./validation/validate.ts";
 * declare const kase: CaseToRun;
 * declare const target: Target;
 * declare const template: PromptTemplate;
 * declare const validator: SchemaValidator;
 * declare const signal: AbortSignal;
 * const result = await runCase({ kase, target, mode: "json_schema", params: {}, template, validator, signal });
 * result.outcome; // "valid" | "schema_violation" | ...
 * ```
 * @module
 */
import { type Outcome, stripFence } from "./outcome.ts";
import { ENGINE_VERDICTS, judgeAnswer } from "./judge_answer.ts";
import { holdsJson, splitReasoning } from "./reasoning.ts";
import { type AnswerKey, extractAnswer, isCorrect } from "./quality/answer.ts";
import type { AdaptiveLimit } from "./targets/transport/adaptive_limit.ts";
import { buildMessages, type PromptTemplate } from "./prompt.ts";
import type {
  Answer,
  GenerationParams,
  Mode,
  Target,
} from "./targets/target.ts";
import type {
  SchemaValidator,
  ValidationError,
} from "./validation/validate.ts";
import type { PooledValidator } from "./validation/pool.ts";
import { CaseDeadline } from "./case_deadline.ts";

import { keyOrder } from "./validation/key_order.ts";
import {
  connectionRefused,
  mayBeOutage,
} from "./targets/transport/http_errors.ts";

/** The case as the runner needs it. */
export interface CaseToRun {
  key: string;
  schema: unknown;
  schemaHash?: string;
  prompt?: string | null;
  /** A quality task: its answer is extracted and checked. */
  task?: AnswerKey | null;
}

/** Everything one case needs. */
export interface RunCaseInput {
  kase: CaseToRun;
  target: Target;
  mode: Mode;
  params: GenerationParams;
  template: PromptTemplate;
  validator: SchemaValidator | PooledValidator;
  signal: AbortSignal;
  /**
   * Attempts after the first for retryable infrastructure errors (default
   * 3); an engine error is always tried once more, to confirm it.
   */
  retries?: number;
  /** The first backoff; doubles each time, with jitter (default 500 ms). */
  backoffMs?: number;
  /** The target's adaptive limit: waited on before each attempt, told about 429s. */
  limiter?: AdaptiveLimit;
  /** Longest raw output kept; longer is kept truncated and flagged (default 256 KiB). */
  maxOutputChars?: number;
  /** The case's bound over all attempts and waits (`case_deadline.ts`); default none. */
  deadlineMs?: number;
  /** Attempts earlier claims of this case made (counted into `attempts` and the message's "after N tries"). */
  priorTries?: number;
  /** Whether the engine answers its health probe (see the module doc). */
  probe?: (signal: AbortSignal) => Promise<boolean>;
}

/** One finished case, in the shape of a result row. */
export interface CaseResult {
  outcome: Outcome;
  rawOutput: string | null;
  outputTruncated: boolean;
  fenced: boolean;
  reasoning: string | null;
  sentSchema: unknown;
  errors: ValidationError[] | null;
  failingKeywords: string[] | null;
  finishReason: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  latencyMs: number | null;
  ttftMs: number | null;
  tpotMs: number | null;
  grammarMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  costUsd: number | null;
  timings: Record<string, unknown> | null;
  grammar: string | null;
  /** Quality tasks: the answer extracted from the output. */
  answer: string | number | null;
  /** Quality tasks: whether that answer is right; null for other cases. */
  correct: boolean | null;
  /**
   * Whether every object of the output has its keys in the schema's
   * `properties` order (`validation/key_order.ts`); null when the output
   * was not judged against the schema (`valid`, `schema_violation`) or no
   * object of it has two listed keys.
   */
  keyOrder: boolean | null;
  /**
   * The content was empty and the answer's JSON came back only in the
   * reasoning channel (judged on the empty content: `invalid_json`).
   */
  answerInReasoning: boolean;
  /** Generation attempts made by this call (0 when the engine was not asked). */
  tries: number;
  /** The attempts column: `priorTries` plus `tries`, as "after N tries" counts. */
  attempts: number;
  /**
   * Set when the engine was found down: the case was not judged, and
   * `suspect` says whether its request had reached the engine.
   */
  engineDown?: { suspect: boolean };
}

/**
 * Attempts that must end in an engine error before the case is
 * `engine_error` (a failure that does not repeat is not the engine's).
 *
 * @example
 * ```ts
 * import { ENGINE_ERROR_ATTEMPTS } from "./run_case.ts";
 * ENGINE_ERROR_ATTEMPTS; // 2
 * ```
 */
export const ENGINE_ERROR_ATTEMPTS = 2;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

/**
 * Runs one case. Never throws for engine or schema problems: they become
 * outcomes. An aborted `signal` ends retries early (the caller decides
 * whether an aborted case is written or handed back).
 *
 * @example
 * ```ts
 * declare const input: RunCaseInput;
 * const r = await runCase(input);
 * console.log(r.outcome, r.latencyMs);
 * ```
 */
export async function runCase(input: RunCaseInput): Promise<CaseResult> {
  const { kase, validator, signal } = input;
  // Compiled beside the generation, never after the answer: the pool's
  // workers compile while the request is in flight.
  // (A synchronous validator compiles here, on this thread, as before.)
  const compiling = Promise.resolve(
    validator.compile(kase.schema, { hash: kase.schemaHash }),
  );
  compiling.catch(() => {}); // awaited below; until then, not unhandled
  const messages = buildMessages(input.template, kase);
  const retries = input.retries ?? 3;
  let backoff = input.backoffMs ?? 500;
  let answer: Answer;
  let tries = 0;
  let engineErrors = 0;
  const deadline = new CaseDeadline(input.deadlineMs);
  for (;;) {
    tries++;
    await input.limiter?.ready(signal);
    answer = await input.target.generate({
      schema: kase.schema,
      messages,
      mode: input.mode,
      params: deadline.params(input.params),
      signal,
    });
    if (answer.error?.rateLimited) {
      input.limiter?.onRateLimited(answer.error.retryAfterMs);
    } else input.limiter?.onSuccess();
    if (input.probe && !signal.aborted && mayBeOutage(answer.error)) {
      const error = answer.error!;
      const up = await input.probe(signal).catch(() => false);
      if (!up && !signal.aborted) {
        // A status answer (a 503 "Loading model") generated nothing, and a
        // refused connection never reached the engine: no suspect.
        return engineDownResult(answer, tries, {
          suspect: error.status === undefined &&
            !connectionRefused(error.message),
        });
      }
      if (up && error.message.startsWith("timeout:")) {
        answer = {
          ...answer,
          error: {
            ...error,
            kind: "engine_error",
            message: `${error.message} (the engine's health probe answered)`,
          },
        };
      }
    }
    const engineError = answer.error?.kind === "engine_error";
    if (engineError) engineErrors++;
    if (signal.aborted || engineErrors >= ENGINE_ERROR_ATTEMPTS) break;
    // The first engine error is always tried again: only a repeat counts.
    if (!answer.error?.retryable || (tries > retries && !engineError)) break;
    // Full jitter in [backoff/2, backoff], and never less than the provider asked.
    const wait = Math.max(
      backoff / 2 + Math.random() * backoff / 2,
      answer.error.retryAfterMs ?? 0,
    );
    if (deadline.passedAfter(wait)) break; // no attempt past the deadline
    await sleep(wait, signal);
    backoff *= 2;
  }
  if (
    answer.error?.kind === "engine_error" &&
    engineErrors < ENGINE_ERROR_ATTEMPTS
  ) {
    // Seen once and never confirmed (the run was aborted): not the engine's.
    answer = {
      ...answer,
      error: {
        ...answer.error,
        kind: "infra_error",
        message: `${answer.error.message} (not repeated)`,
      },
    };
  }
  const split = splitReasoning(answer.text);
  const reasoning =
    [answer.reasoning, split.reasoning].filter(Boolean).join("\n") || null;
  answer = { ...answer, text: split.text };
  const judgement = await judgeAnswer(
    answer,
    await compiling,
    ("mode" in validator ? validator.mode : validator.options.mode) === "jsb",
  );
  const max = input.maxOutputChars ?? 256 * 1024;
  let extracted: string | number | null = null;
  let correct: boolean | null = null;
  if (kase.task && !ENGINE_VERDICTS.has(judgement.outcome)) {
    const type = kase.task.answerType ??
      (typeof kase.task.expected === "number" ? "integer" : "string");
    extracted = extractAnswer(
      answer.text ?? "",
      type,
      input.mode === "prompt_only" ? "free_text" : "json",
    );
    correct = isCorrect(extracted, kase.task);
  } else if (kase.task && judgement.outcome === "engine_error") {
    correct = false; // the engine failed to answer: wrong, not left out
  }
  const text = answer.text;
  // As the attempts column counts: this call's tries and earlier claims'.
  const allTries = Math.max(0, input.priorTries ?? 0) + tries;
  const judged = judgement.outcome === "valid" ||
    judgement.outcome === "schema_violation";
  return {
    outcome: judgement.outcome,
    rawOutput: text === null ? null : text.slice(0, max),
    outputTruncated: text !== null && text.length > max,
    fenced: judgement.fenced,
    reasoning,
    sentSchema: answer.sentSchema ?? null,
    errors: judgement.errors.length ? judgement.errors : null,
    failingKeywords: judgement.failingKeywords.length
      ? judgement.failingKeywords
      : null,
    finishReason: answer.finishReason,
    errorKind: answer.error?.kind ??
      (judgement.outcome === "refusal" ? "refusal" : judgement.kind ?? null),
    errorMessage: answer.error
      ? `${answer.error.message}${
        allTries > 1 ? ` (after ${allTries} tries)` : ""
      }`
      : judgement.reason ?? null,
    latencyMs: answer.latencyMs,
    ttftMs: answer.ttftMs ?? null,
    tpotMs: answer.tpotMs ?? null,
    grammarMs: null,
    promptTokens: answer.promptTokens ?? null,
    completionTokens: answer.completionTokens ?? null,
    costUsd: null,
    timings: answer.engineTimings ?? null,
    grammar: answer.grammar ?? null,
    answer: extracted,
    correct,
    keyOrder: judged
      ? await keyOrderOf(stripFence(text ?? "").text, kase.schema, validator)
      : null,
    answerInReasoning: !(text ?? "").trim() && holdsJson(reasoning),
    tries,
    attempts: allTries,
  };
}

/** A case stopped because its engine is down: unjudged, handed back. */
function engineDownResult(
  answer: Answer,
  tries: number,
  engineDown: { suspect: boolean },
): CaseResult {
  return {
    outcome: "infra_error",
    rawOutput: null,
    outputTruncated: false,
    fenced: false,
    reasoning: null,
    sentSchema: answer.sentSchema ?? null,
    errors: null,
    failingKeywords: null,
    finishReason: null,
    errorKind: "infra_error",
    errorMessage: `the engine is down: ${answer.error?.message ?? ""}`,
    latencyMs: answer.latencyMs,
    ttftMs: null,
    tpotMs: null,
    grammarMs: null,
    promptTokens: null,
    completionTokens: null,
    costUsd: null,
    timings: null,
    grammar: null,
    answer: null,
    correct: null,
    keyOrder: null,
    answerInReasoning: false,
    tries,
    attempts: tries,
    engineDown,
  };
}

/**
 * The key order of a parsed output, its branches told by `validator`; null
 * when it cannot be told (a hostile output never costs the case its
 * outcome).
 */
async function keyOrderOf(
  text: string,
  schema: unknown,
  validator: SchemaValidator | PooledValidator,
): Promise<boolean | null> {
  return await keyOrder(text, schema, {
    validates: async (branch, instance) => {
      const compiled = await validator.compile(branch);
      if (!compiled.ok) return null;
      const verdict = await compiled.check(instance);
      return verdict.status === "invalid_schema"
        ? null
        : verdict.status === "valid";
    },
  }).catch(() => null);
}
