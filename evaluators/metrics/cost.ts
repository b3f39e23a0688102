/**
 * What a run costs: the editable price table (`schemas/prices.json`), the
 * lookup of a target's price in it, the cost of one answer from its token
 * counts, and an estimate of a whole run before it starts.
 *
 * Lookup order for a target of kind K and model M: the exact key `K/M`,
 * then wildcard keys `K/<prefix>*` whose prefix starts M (the longest
 * prefix wins), then the any-kind key: `*` as the kind, `/M` after it. Local
 * kinds (`llamacpp`, `openai-compatible`) cost 0 when nothing matches;
 * any other kind has no known price (null).
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
import { fileURLToPath } from "node:url";

/** Prices per million tokens. */
export interface Price {
  input_per_mtok: number;
  output_per_mtok: number;
  /** Prompt tokens served from the provider's cache; absent: `input_per_mtok`. */
  cached_input_per_mtok?: number;
}

/** The price table, as `schemas/prices.json` holds it. */
export interface PriceTable {
  /** The day the table was last edited (YYYY-MM-DD). */
  updated: string;
  currency: string;
  /** Keyed `<kind>/<model>`, `<kind>/<prefix>*`, or `<model>` under kind `*`. */
  models: Record<string, Price & { source?: string; checked?: string }>;
}

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

/** Kinds that run on the user's own hardware: free unless the table says otherwise. */
export const LOCAL_KINDS: readonly string[] = ["llamacpp", "openai-compatible"];

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

const DEFAULT_TABLE = new URL("../../schemas/prices.json", import.meta.url);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ZERO: Price = { input_per_mtok: 0, output_per_mtok: 0 };
const encoder = new TextEncoder();

/**
 * Reads and checks a price table; by default `schemas/prices.json` of this
 * repository. Throws an error naming the file when it cannot be read, is
 * not JSON, or has a bad entry.
 *
 * @example
 * ```ts
 * const table = loadPriceTable();
 * table.currency; // "USD"
 * ```
 */
export function loadPriceTable(path?: string | URL): PriceTable {
  const file = path ?? DEFAULT_TABLE;
  const name = file instanceof URL ? fileURLToPath(file) : file;
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (error) {
    throw new Error(`price table ${name}: cannot read it: ${describe(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`price table ${name}: not valid JSON: ${describe(error)}`);
  }
  return checkPriceTable(value, name);
}

/**
 * Checks a parsed price table and returns it typed. `source` names it in
 * errors (a file name, "request body"). Every price must be a finite
 * number ≥ 0; keys must be `<kind>/<model>`, `<kind>/<prefix>*`, or an
 * exact model under the any-kind `*`.
 *
 * @example
 * ```ts
 * checkPriceTable({ updated: "2025-01-01", currency: "USD", models: {} }, "test").models; // {}
 * checkPriceTable({ models: [] }, "test"); // throws "price table test: ..."
 * ```
 */
export function checkPriceTable(value: unknown, source: string): PriceTable {
  const fail = (message: string): never => {
    throw new Error(`price table ${source}: ${message}`);
  };
  if (!isRecord(value)) return fail("the top level must be an object");
  if (typeof value.updated !== "string" || !DATE.test(value.updated)) {
    fail(`"updated" must be a date written YYYY-MM-DD`);
  }
  if (typeof value.currency !== "string" || value.currency === "") {
    fail(`"currency" must be a non-empty string (e.g. "USD")`);
  }
  if (!isRecord(value.models)) fail(`"models" must be an object`);
  const models: PriceTable["models"] = {};
  for (const [key, entry] of Object.entries(value.models as object)) {
    const at = `models["${key}"]`;
    const keyProblem = checkKey(key);
    if (keyProblem) fail(`${at}: ${keyProblem}`);
    if (!isRecord(entry)) return fail(`${at} must be an object`);
    const price: PriceTable["models"][string] = {
      input_per_mtok: priceField(entry, "input_per_mtok", at, fail, true),
      output_per_mtok: priceField(entry, "output_per_mtok", at, fail, true),
    };
    const cached = priceField(entry, "cached_input_per_mtok", at, fail, false);
    if (!Number.isNaN(cached)) price.cached_input_per_mtok = cached;
    for (const field of ["source", "checked"] as const) {
      if (entry[field] === undefined) continue;
      if (typeof entry[field] !== "string") {
        fail(`${at}.${field} must be a string`);
      }
      price[field] = entry[field] as string;
    }
    if (price.checked !== undefined && !DATE.test(price.checked)) {
      fail(`${at}.checked must be a date written YYYY-MM-DD`);
    }
    models[key] = price;
  }
  return {
    updated: value.updated as string,
    currency: value.currency as string,
    models,
  };
}

/**
 * The table key that prices a target, in lookup order (exact, longest
 * wildcard prefix, any kind); null when none does. A null model matches
 * only the catch-all `<kind>/*`.
 *
 * @example
 * ```ts
 * findPriceKey(loadPriceTable(), "openai", "gpt-4o-mini-2024-07-18"); // "openai/gpt-4o-mini*"
 * ```
 */
export function findPriceKey(
  table: PriceTable,
  kind: string,
  model: string | null,
): string | null {
  const models = table.models;
  if (model !== null && Object.hasOwn(models, `${kind}/${model}`)) {
    return `${kind}/${model}`;
  }
  let best: string | null = null;
  for (const key of Object.keys(models)) {
    if (!key.startsWith(`${kind}/`) || !key.endsWith("*")) continue;
    const prefix = key.slice(kind.length + 1, -1);
    if (model === null ? prefix !== "" : !model.startsWith(prefix)) continue;
    if (best === null || key.length > best.length) best = key;
  }
  if (best !== null) return best;
  if (model !== null && Object.hasOwn(models, `*/${model}`)) {
    return `*/${model}`;
  }
  return null;
}

/**
 * The price of a target's tokens: the table's entry (see
 * {@link findPriceKey}), else all zeros for a local kind, else null.
 *
 * @example
 * ```ts
 * const table = loadPriceTable();
 * findPrice(table, "openai", "gpt-4o")?.input_per_mtok; // 2.5
 * findPrice(table, "llamacpp", null); // { input_per_mtok: 0, output_per_mtok: 0 }
 * findPrice(table, "openai", "no-such-model"); // null
 * ```
 */
export function findPrice(
  table: PriceTable,
  kind: string,
  model: string | null,
): Price | null {
  const key = findPriceKey(table, kind, model);
  if (key === null) return LOCAL_KINDS.includes(kind) ? { ...ZERO } : null;
  const entry = table.models[key];
  const price: Price = {
    input_per_mtok: entry.input_per_mtok,
    output_per_mtok: entry.output_per_mtok,
  };
  if (entry.cached_input_per_mtok !== undefined) {
    price.cached_input_per_mtok = entry.cached_input_per_mtok;
  }
  return price;
}

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

function checkKey(key: string): string | null {
  const slash = key.indexOf("/");
  if (slash <= 0 || slash === key.length - 1) {
    return `the key must be "<kind>/<model>"`;
  }
  const kind = key.slice(0, slash);
  const model = key.slice(slash + 1);
  if (kind === "*") {
    return model.includes("*")
      ? `an any-kind key ("*/<model>") takes an exact model name, no "*"`
      : null;
  }
  if (kind.includes("*")) return `a kind is either "*" or a name without "*"`;
  if (model.slice(0, -1).includes("*")) {
    return `"*" may only end the model name (a prefix wildcard)`;
  }
  return null;
}

function priceField(
  entry: Record<string, unknown>,
  field: keyof Price,
  at: string,
  fail: (message: string) => never,
  required: boolean,
): number {
  const value = entry[field];
  if (value === undefined && !required) return Number.NaN;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    return fail(
      `${at}.${field} must be a number ≥ 0 (per million tokens), got ${
        JSON.stringify(value) ?? "nothing"
      }`,
    );
  }
  return value;
}

function count(tokens: number | null | undefined): number {
  return typeof tokens === "number" && Number.isFinite(tokens) && tokens > 0
    ? tokens
    : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
