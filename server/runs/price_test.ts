import assert from "node:assert/strict";
import { priceOf, priceTableOf } from "./price.ts";
import {
  findPrice,
  type PriceTable,
} from "../../evaluators/metrics/price_table.ts";

const PRICES: PriceTable = {
  updated: "2025-01-01",
  currency: "USD",
  models: {
    "openai/gpt-x": { input_per_mtok: 1, output_per_mtok: 2 },
    "openai/gpt-reported": { input_per_mtok: 3, output_per_mtok: 4 },
  },
};

Deno.test("priceOf: the target's own pricing, else the table's by the stated model, else by the engine's", () => {
  const own = { input_per_mtok: 9, output_per_mtok: 9 };
  assert.deepEqual(
    priceOf({ pricing: own, kind: "openai", model: "gpt-x" }, PRICES),
    own,
  );
  assert.deepEqual(
    priceOf({ pricing: own, kind: "openai", model: null }, PRICES, "gpt-x"),
    own,
    "a target's own price holds whatever model the engine reports",
  );
  assert.equal(
    priceOf(
      { pricing: null, kind: "openai", model: "gpt-x" },
      PRICES,
      "gpt-reported",
    )?.input_per_mtok,
    1,
  );
  assert.equal(
    priceOf(
      { pricing: null, kind: "openai", model: null },
      PRICES,
      "gpt-reported",
    )
      ?.input_per_mtok,
    3,
  );
  assert.equal(
    priceOf({ pricing: null, kind: "openai", model: "unknown" }, PRICES),
    null,
  );
});

Deno.test("priceTableOf: the table an estimate prices by gives the price the worker charges", () => {
  const own = { input_per_mtok: 5, output_per_mtok: 6 };
  for (
    const target of [
      { pricing: own, kind: "openai", model: "gpt-x" },
      { pricing: own, kind: "openai", model: null },
      { pricing: null, kind: "openai", model: "gpt-x" },
    ]
  ) {
    const table = priceTableOf(target, PRICES);
    assert.deepEqual(
      findPrice(table, target.kind, target.model),
      priceOf(target, PRICES),
      JSON.stringify(target),
    );
  }
});
