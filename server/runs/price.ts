/**
 * The one price rule, for a run's estimate and for its charge alike: a
 * target's own `pricing`, when it has one, is its price for every model;
 * otherwise the price table's entry for the target's kind and model (the
 * target's stated model, else the model the engine reports), which is all
 * zeros for a local kind.
 *
 * @example
 * ```ts
 * import { priceOf } from "./price.ts";
 * import { loadPriceTable } from "../../evaluators/metrics/price_table.ts";
 * const price = priceOf({ kind: "openai", model: "gpt-4o", pricing: null }, loadPriceTable());
 * price?.input_per_mtok; // 2.5
 * ```
 * @module
 */
import {
  findPrice,
  type Price,
  type PriceTable,
} from "../../evaluators/metrics/price_table.ts";

/** What the rule reads of a target. */
export interface PricedTarget {
  kind: string;
  model: string | null;
  /** The target's own price, overriding the table. */
  pricing: Price | null;
}

/**
 * The table a target is priced by: a one-entry table holding its own
 * pricing, or the shared table.
 *
 * @example
 * ```ts
 * import { loadPriceTable } from "../../evaluators/metrics/price_table.ts";
 * const own = { input_per_mtok: 1, output_per_mtok: 2 };
 * Object.keys(priceTableOf({ kind: "openai", model: null, pricing: own }, loadPriceTable()).models); // ["openai/*"]
 * ```
 */
export function priceTableOf(
  target: PricedTarget,
  table: PriceTable,
): PriceTable {
  if (!target.pricing) return table;
  return {
    updated: "the target's own pricing",
    currency: "USD",
    models: { [`${target.kind}/${target.model ?? "*"}`]: target.pricing },
  };
}

/**
 * A target's price per million tokens, or null when nothing prices it.
 *
 * @example
 * ```ts
 * import { loadPriceTable } from "../../evaluators/metrics/price_table.ts";
 * priceOf({ kind: "llamacpp", model: null, pricing: null }, loadPriceTable(), "tiny.gguf");
 * // { input_per_mtok: 0, output_per_mtok: 0 }
 * ```
 */
export function priceOf(
  target: PricedTarget,
  table: PriceTable,
  engineModel?: string | null,
): Price | null {
  return findPrice(
    priceTableOf(target, table),
    target.kind,
    target.model ?? engineModel ?? null,
  );
}
