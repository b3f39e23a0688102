/**
 * The editable price table (`schemas/prices.json`): reading and checking
 * it, and finding a target's price in it.
 *
 * Lookup order for a target of kind K and model M: the exact key `K/M`,
 * then wildcard keys `K/<prefix>*` whose prefix starts M (the longest
 * prefix wins), then the any-kind key: `*` as the kind, `/M` after it. Local
 * kinds (`llamacpp`, `openai-compatible`, `ollama`) cost 0 when nothing matches;
 * any other kind has no known price (null).
 *
 * @example
 * ```ts
 * import { findPrice, loadPriceTable } from "./price_table.ts";
 * findPrice(loadPriceTable(), "openai", "gpt-4o-mini-2024-07-18")?.input_per_mtok;
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";

export interface Price {
  input_per_mtok: number;
  output_per_mtok: number;
  /** Prompt tokens served from the provider's cache; absent: `input_per_mtok`. */
  cached_input_per_mtok?: number;
}

export interface PriceTable {
  /** The day the table was last edited (YYYY-MM-DD). */
  updated: string;
  currency: string;
  /** Keyed `<kind>/<model>`, `<kind>/<prefix>*`, or `<model>` under kind `*`. */
  models: Record<string, Price & { source?: string; checked?: string }>;
}

/** Kinds that run on the user's own hardware: free unless the table says otherwise. */
export const LOCAL_KINDS: readonly string[] = [
  "llamacpp",
  "openai-compatible",
  "ollama",
];

const DEFAULT_TABLE = new URL("../../schemas/prices.json", import.meta.url);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const ZERO: Price = { input_per_mtok: 0, output_per_mtok: 0 };

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
