/**
 * What a run costs: the cost of one answer from its token counts, and an
 * estimate of a whole run before it starts. The price table itself (reading,
 * checking, lookup) is `price_table.ts`, re-exported here.
 *
 * Estimates use no tokenizer. A prompt is counted as its UTF-8 bytes over
 * {@link BYTES_PER_TOKEN} (about right for English and JSON; an over-count
 * for most other scripts' characters is closer than a count of characters),
 * plus {@link MESSAGE_OVERHEAD_TOKENS} per message (role and separators) and
 * {@link REQUEST_OVERHEAD_TOKENS} per request (the reply's priming). Real
 * counts differ by tokenizer, commonly by a quarter either way.
 *
 * @example
 * ```ts
 * import { costOf, findPrice, loadPriceTable } from "./cost.ts";
 * const table = loadPriceTable();
 * const price = findPrice(table, "openai", "gpt-4o-mini-2024-07-18");
 * costOf(price, { prompt: 1000, completion: 200 }); // 0.00027
 * ```
 * @module
 */
import {
  findPrice,
  findPriceKey,
  type Price,
  type PriceTable,
} from "./price_table.ts";

export {
  checkPriceTable,
  findPrice,
  findPriceKey,
  loadPriceTable,
  LOCAL_KINDS,
  type Price,
  type PriceTable,
} from "./price_table.ts";

/** Prices per million tokens. */

/** The price table, as `schemas/prices.json` holds it. */

/** A run's cost before it starts. */
export interface Estimate {
  cases: number;
  /** Estimated prompt tokens over all cases. */
  prompt_tokens: number;
  /** Estimated completion tokens over all cases. */
  completion_tokens: number;
  /** Completion tokens if every case used `maxTokens`. */
  completion_tokens_max: number;
  /** The estimate; null when no price is known. */
  cost_usd: number | null;
  /** The upper bound: every case writes `maxTokens`; null without a price. */
  cost_usd_max: number | null;
  price: Price | null;
  /** How the figures were reached, in words. */
  assumptions: string[];
}

/** UTF-8 bytes per token in estimates. */
export const BYTES_PER_TOKEN = 4;
/** Tokens each message adds besides its content (role, separators). */
export const MESSAGE_OVERHEAD_TOKENS = 4;
/** Tokens each request adds (the start of the assistant's reply). */
export const REQUEST_OVERHEAD_TOKENS = 3;
/** Expected answer size as a share of the schema message's tokens. */
export const COMPLETION_SHARE_OF_SCHEMA = 0.5;
/** The smallest expected answer, in tokens. */
export const MIN_COMPLETION_TOKENS = 16;

const encoder = new TextEncoder();

/**
 * The cost of one answer in the table's currency. `prompt` counts every
 * prompt token, cached ones included (as OpenAI reports it); `cached` of
 * them are charged at the cached price when there is one. Null when the
 * price is unknown, or when neither prompt nor completion tokens are known
 * and the price is not all zeros; 0 for an all-zero price.
 *
 * @example
 * ```ts
 * costOf({ input_per_mtok: 2.5, output_per_mtok: 10 }, { prompt: 1000, completion: 500 }); // 0.0075
 * costOf(null, { prompt: 1000 }); // null
 * ```
 */
export function costOf(
  price: Price | null,
  tokens: {
    prompt?: number | null;
    completion?: number | null;
    cached?: number | null;
  },
): number | null {
  if (price === null) return null;
  const cachedPrice = price.cached_input_per_mtok ?? price.input_per_mtok;
  if (
    price.input_per_mtok === 0 && price.output_per_mtok === 0 &&
    cachedPrice === 0
  ) {
    return 0;
  }
  if (tokens.prompt == null && tokens.completion == null) return null;
  const prompt = count(tokens.prompt);
  const cached = Math.min(count(tokens.cached), prompt);
  const completion = count(tokens.completion);
  const micro = (prompt - cached) * price.input_per_mtok +
    cached * cachedPrice + completion * price.output_per_mtok;
  return micro / 1_000_000;
}

/**
 * Estimated tokens of a text: its UTF-8 bytes over
 * {@link BYTES_PER_TOKEN}, rounded up.
 *
 * @example
 * ```ts
 * estimateTextTokens('{"type":"object"}'); // 5
 * ```
 */
export function estimateTextTokens(text: string): number {
  return Math.ceil(encoder.encode(text).length / BYTES_PER_TOKEN);
}

/**
 * Estimated prompt tokens of one request: each message's content, plus
 * {@link MESSAGE_OVERHEAD_TOKENS} per message and
 * {@link REQUEST_OVERHEAD_TOKENS} once.
 *
 * @example
 * ```ts
 * estimatePromptTokens([{ role: "user", content: "abcd" }]); // 1 + 4 + 3 = 8
 * ```
 */
export function estimatePromptTokens(
  messages: readonly { role: string; content: string }[],
): number {
  let total = REQUEST_OVERHEAD_TOKENS;
  for (const message of messages) {
    total += MESSAGE_OVERHEAD_TOKENS + estimateTextTokens(message.content);
  }
  return total;
}

/**
 * The expected answer size of one request without a better guess: a share
 * ({@link COMPLETION_SHARE_OF_SCHEMA}) of the last user message's tokens
 * (the message that carries the schema), at least
 * {@link MIN_COMPLETION_TOKENS}. Not capped here.
 *
 * @example
 * ```ts
 * estimateCompletionTokens([{ role: "user", content: "x".repeat(400) }]); // 50
 * ```
 */
export function estimateCompletionTokens(
  messages: readonly { role: string; content: string }[],
): number {
  const schemaMessage = messages.findLast((message) => message.role === "user");
  const schemaTokens = schemaMessage
    ? estimateTextTokens(schemaMessage.content)
    : 0;
  return Math.max(
    MIN_COMPLETION_TOKENS,
    Math.ceil(schemaTokens * COMPLETION_SHARE_OF_SCHEMA),
  );
}

/**
 * Estimates a run's tokens and cost before it starts, with an upper bound
 * (every case writes `maxTokens`). Each case's completion is
 * `expectedCompletionTokens(i)` when given, else
 * {@link estimateCompletionTokens}, capped at `maxTokens`. The prices come
 * from {@link findPrice}; no prompt is assumed to be cached.
 *
 * @example
 * ```ts
 * const estimate = estimateRun({
 *   kind: "openai",
 *   model: "gpt-4o-mini",
 *   table: loadPriceTable(),
 *   messages: [[{ role: "user", content: "JSON Schema:\n{\"type\":\"object\"}" }]],
 *   maxTokens: 1024,
 * });
 * estimate.cost_usd! <= estimate.cost_usd_max!; // true
 * ```
 */
export function estimateRun(input: {
  kind: string;
  model: string | null;
  table: PriceTable;
  messages: { role: string; content: string }[][];
  maxTokens: number;
  expectedCompletionTokens?: (caseIndex: number) => number;
}): Estimate {
  const { kind, model, table, messages, maxTokens } = input;
  if (!Number.isFinite(maxTokens) || maxTokens < 0) {
    throw new RangeError(
      `maxTokens must be a finite number ≥ 0, got ${maxTokens}`,
    );
  }
  const cap = Math.floor(maxTokens);
  let promptTokens = 0;
  let completionTokens = 0;
  messages.forEach((caseMessages, index) => {
    promptTokens += estimatePromptTokens(caseMessages);
    const expected = input.expectedCompletionTokens
      ? input.expectedCompletionTokens(index)
      : estimateCompletionTokens(caseMessages);
    const sane = Number.isFinite(expected)
      ? Math.max(0, Math.ceil(expected))
      : cap;
    completionTokens += Math.min(cap, sane);
  });
  const completionMax = cap * messages.length;
  const key = findPriceKey(table, kind, model);
  const price = findPrice(table, kind, model);
  const target = `${kind}/${model ?? "(no model)"}`;

  const assumptions = [
    `prompt tokens estimated without a tokenizer: UTF-8 bytes / ${BYTES_PER_TOKEN}, ` +
    `plus ${MESSAGE_OVERHEAD_TOKENS} per message and ${REQUEST_OVERHEAD_TOKENS} per request; ` +
    `real counts vary by model, commonly by a quarter either way`,
    input.expectedCompletionTokens
      ? `completion tokens per case as given by the caller, capped at maxTokens (${cap})`
      : `completion tokens per case: ${COMPLETION_SHARE_OF_SCHEMA} × the tokens of the ` +
        `last user message (the schema), at least ${MIN_COMPLETION_TOKENS}, capped at maxTokens (${cap})`,
    `upper bound: every case writes maxTokens (${cap}) completion tokens`,
    "reasoning (thinking) tokens are billed as output and are not in the estimate; " +
    "the upper bound covers them where the provider counts them against maxTokens",
    "no prompt caching assumed: every prompt token at the full input price",
    "retries and failed requests that are still billed are not counted",
  ];
  if (key !== null) {
    assumptions.push(
      `price of ${target} from table entry "${key}" (table updated ${table.updated}, ` +
        `${table.currency}${
          priceChecked(table, key)
        }); figures as published when checked, verify before relying on them`,
    );
  } else if (price !== null) {
    assumptions.push(`${target} runs locally: no table entry, cost taken as 0`);
  } else {
    assumptions.push(`no price for ${target} in the table: cost unknown`);
  }

  return {
    cases: messages.length,
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    completion_tokens_max: completionMax,
    cost_usd: costOf(price, {
      prompt: promptTokens,
      completion: completionTokens,
    }),
    cost_usd_max: costOf(price, {
      prompt: promptTokens,
      completion: completionMax,
    }),
    price,
    assumptions,
  };
}

function priceChecked(table: PriceTable, key: string): string {
  const checked = table.models[key].checked;
  return checked ? `, entry checked ${checked}` : "";
}

function count(tokens: number | null | undefined): number {
  return typeof tokens === "number" && Number.isFinite(tokens) && tokens > 0
    ? tokens
    : 0;
}
