import assert from "node:assert/strict";
import {
  checkPriceTable,
  costOf,
  estimatePromptTokens,
  estimateRun,
  findPrice,
  findPriceKey,
  loadPriceTable,
  type PriceTable,
} from "./cost.ts";

const table: PriceTable = {
  updated: "2025-01-01",
  currency: "USD",
  models: {
    "openai/gpt-4o-mini": { input_per_mtok: 1, output_per_mtok: 1 },
    "openai/gpt-4o-mini*": { input_per_mtok: 2, output_per_mtok: 2 },
    "openai/gpt-4o*": { input_per_mtok: 3, output_per_mtok: 3 },
    "*/gpt-4o-mini": { input_per_mtok: 4, output_per_mtok: 4 },
    "*/shared-model": { input_per_mtok: 5, output_per_mtok: 5 },
    "gemini/*": { input_per_mtok: 6, output_per_mtok: 6 },
    "openai-compatible/paid": { input_per_mtok: 7, output_per_mtok: 7 },
  },
};

Deno.test("lookup: exact beats wildcard beats any-kind", () => {
  assert.equal(
    findPriceKey(table, "openai", "gpt-4o-mini"),
    "openai/gpt-4o-mini",
  );
  assert.equal(
    findPriceKey(table, "openai", "gpt-4o-mini-2024-07-18"),
    "openai/gpt-4o-mini*",
  );
  assert.equal(
    findPriceKey(table, "openai", "gpt-4o-2024-08-06"),
    "openai/gpt-4o*",
  );
  assert.equal(
    findPriceKey(table, "huggingface", "gpt-4o-mini"),
    "*/gpt-4o-mini",
  );
  assert.equal(findPriceKey(table, "openai", "shared-model"), "*/shared-model");
  assert.equal(findPriceKey(table, "gemini", "anything"), "gemini/*");
  assert.equal(findPriceKey(table, "gemini", null), "gemini/*");
  assert.equal(findPriceKey(table, "openai", null), null);
  assert.equal(findPrice(table, "openai", "gpt-4o-mini")?.input_per_mtok, 1);
  assert.equal(findPrice(table, "openai", "gpt-4o-mini-x")?.input_per_mtok, 2);
  assert.equal(findPrice(table, "openai", "gpt-4o-x")?.input_per_mtok, 3);
  assert.equal(findPrice(table, "other", "gpt-4o-mini")?.input_per_mtok, 4);
});

Deno.test("local kinds cost 0 unless listed; unknown models cost null", () => {
  assert.deepEqual(findPrice(table, "llamacpp", null), {
    input_per_mtok: 0,
    output_per_mtok: 0,
  });
  assert.deepEqual(findPrice(table, "openai-compatible", "local-model"), {
    input_per_mtok: 0,
    output_per_mtok: 0,
  });
  assert.equal(
    findPrice(table, "openai-compatible", "paid")?.input_per_mtok,
    7,
  );
  assert.equal(findPrice(table, "openai", "no-such-model"), null);
  assert.equal(findPrice(table, "huggingface", null), null);
  const unknown = findPrice(table, "openai", "no-such-model");
  assert.equal(costOf(unknown, { prompt: 1000, completion: 500 }), null);
  const local = findPrice(table, "llamacpp", "tiny");
  assert.equal(costOf(local, { prompt: 1000, completion: 500 }), 0);
  assert.equal(costOf(local, {}), 0);
});

Deno.test("cost arithmetic", () => {
  const price = { input_per_mtok: 2.5, output_per_mtok: 10 };
  assert.equal(costOf(price, { prompt: 1000, completion: 500 }), 0.0075);
  assert.equal(costOf(price, { prompt: 1000, completion: null }), 0.0025);
  assert.equal(costOf(price, { prompt: null, completion: null }), null);
  // Cached tokens are part of the prompt; without a cached price they cost the same.
  assert.equal(
    costOf(price, { prompt: 1000, completion: 500, cached: 400 }),
    0.0075,
  );
  const cachedPrice = { ...price, cached_input_per_mtok: 1.25 };
  // 600 × 2.5 + 400 × 1.25 + 500 × 10 = 7000 per million.
  assert.equal(
    costOf(cachedPrice, { prompt: 1000, completion: 500, cached: 400 }),
    0.007,
  );
  // More cached than prompt tokens is clamped to the prompt.
  assert.equal(
    costOf(cachedPrice, { prompt: 1000, completion: 0, cached: 5000 }),
    0.00125,
  );
});

Deno.test("the shipped table loads and every entry is valid", () => {
  const shipped = loadPriceTable();
  assert.match(shipped.updated, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(shipped.currency, "USD");
  const keys = Object.keys(shipped.models);
  assert.ok(keys.length >= 10);
  for (const [key, entry] of Object.entries(shipped.models)) {
    assert.match(key, /^[a-z][a-z0-9-]*\/[^*]+\*?$|^\*\/[^*]+$/, key);
    for (const n of [entry.input_per_mtok, entry.output_per_mtok]) {
      assert.ok(Number.isFinite(n) && n >= 0, key);
    }
    if (entry.cached_input_per_mtok !== undefined) {
      assert.ok(entry.cached_input_per_mtok >= 0, key);
      assert.ok(entry.cached_input_per_mtok <= entry.input_per_mtok, key);
    }
    assert.ok(entry.output_per_mtok >= entry.input_per_mtok, key);
    assert.ok(entry.source && entry.source.length > 0, key);
    assert.match(entry.checked ?? "", /^\d{4}-\d{2}-\d{2}$/, key);
  }
  for (
    const [kind, model] of [
      ["openai", "gpt-4o"],
      ["openai", "gpt-4o-mini"],
      ["openai", "gpt-4o-mini-2024-07-18"],
      ["openai", "gpt-4.1"],
      ["openai", "gpt-4.1-mini"],
      ["openai", "gpt-4.1-nano"],
      ["openai", "o4-mini"],
      ["openai", "gpt-5"],
      ["openai", "gpt-5-mini"],
      ["openai", "gpt-5-nano"],
      ["gemini", "gemini-2.0-flash"],
      ["gemini", "gemini-2.5-flash"],
      ["gemini", "gemini-2.5-flash-lite"],
      ["gemini", "gemini-2.5-pro"],
    ]
  ) {
    assert.ok(findPrice(shipped, kind, model), `${kind}/${model}`);
  }
  // The longer wildcard wins: gpt-4.1-mini snapshots are not priced as gpt-4.1.
  assert.equal(
    findPriceKey(shipped, "openai", "gpt-4.1-mini-2025-04-14"),
    "openai/gpt-4.1-mini*",
  );
  assert.deepEqual(findPrice(shipped, "llamacpp", "anything"), {
    input_per_mtok: 0,
    output_per_mtok: 0,
  });
});

Deno.test("estimateRun: prompt tokens grow with message length; bound ≥ estimate", () => {
  const system = { role: "system", content: "Answer with JSON only." };
  const messages = [10, 1000, 5000].map((n) => [
    system,
    { role: "user", content: `JSON Schema:\n${"x".repeat(n)}` },
  ]);
  const perCase = messages.map((m) => estimatePromptTokens(m));
  assert.ok(perCase[0] < perCase[1] && perCase[1] < perCase[2]);

  const priced = { ...table };
  const estimate = estimateRun({
    kind: "openai",
    model: "gpt-4o-x",
    table: priced,
    messages,
    maxTokens: 512,
  });
  assert.equal(estimate.cases, 3);
  assert.equal(estimate.prompt_tokens, perCase[0] + perCase[1] + perCase[2]);
  assert.ok(estimate.completion_tokens > 0);
  assert.ok(estimate.completion_tokens <= 3 * 512);
  assert.equal(estimate.completion_tokens_max, 3 * 512);
  assert.ok(estimate.cost_usd !== null && estimate.cost_usd > 0);
  assert.ok(estimate.cost_usd_max !== null);
  assert.ok(estimate.cost_usd_max >= estimate.cost_usd);
  assert.deepEqual(estimate.price, { input_per_mtok: 3, output_per_mtok: 3 });
  assert.ok(estimate.assumptions.some((a) => a.includes("openai/gpt-4o*")));

  // Each run estimate grows with its messages too.
  const one = (i: number) =>
    estimateRun({
      kind: "openai",
      model: "gpt-4o-x",
      table: priced,
      messages: [messages[i]],
      maxTokens: 512,
    }).prompt_tokens;
  assert.ok(one(0) < one(1) && one(1) < one(2));

  // A caller's expectation is used, capped at maxTokens.
  const given = estimateRun({
    kind: "openai",
    model: "gpt-4o-x",
    table: priced,
    messages,
    maxTokens: 100,
    expectedCompletionTokens: (i) => [50, 100, 10_000][i],
  });
  assert.equal(given.completion_tokens, 50 + 100 + 100);
  assert.equal(given.completion_tokens_max, 300);
  assert.ok(
    Math.abs(given.cost_usd! - (given.cost_usd_max! - 50 * 3 / 1_000_000)) <
      1e-12,
  );

  const unknown = estimateRun({
    kind: "openai",
    model: "no-such-model",
    table: priced,
    messages,
    maxTokens: 100,
  });
  assert.equal(unknown.cost_usd, null);
  assert.equal(unknown.cost_usd_max, null);
  assert.ok(unknown.prompt_tokens > 0);
  assert.ok(unknown.assumptions.some((a) => a.includes("cost unknown")));
});

Deno.test("a broken table file gives an error naming the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const notJson = `${dir}/broken_prices.json`;
    await Deno.writeTextFile(notJson, "{ not json");
    assert.throws(
      () => loadPriceTable(notJson),
      (error: Error) =>
        error.message.includes(notJson) && error.message.includes("JSON"),
    );

    const negative = `${dir}/negative_prices.json`;
    await Deno.writeTextFile(
      negative,
      JSON.stringify({
        updated: "2025-01-01",
        currency: "USD",
        models: { "openai/x": { input_per_mtok: -1, output_per_mtok: 1 } },
      }),
    );
    assert.throws(
      () => loadPriceTable(negative),
      (error: Error) =>
        error.message.includes(negative) &&
        error.message.includes("openai/x") &&
        error.message.includes("input_per_mtok"),
    );

    const missing = `${dir}/missing_prices.json`;
    await Deno.writeTextFile(
      missing,
      JSON.stringify({
        updated: "2025-01-01",
        currency: "USD",
        models: { "openai/x": { input_per_mtok: 1 } },
      }),
    );
    assert.throws(
      () => loadPriceTable(missing),
      (error: Error) =>
        error.message.includes(missing) &&
        error.message.includes("output_per_mtok"),
    );

    assert.throws(
      () => loadPriceTable(`${dir}/absent.json`),
      (error: Error) => error.message.includes(`${dir}/absent.json`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkPriceTable rejects malformed keys and fields", () => {
  const base = { updated: "2025-01-01", currency: "USD" };
  const entry = { input_per_mtok: 1, output_per_mtok: 1 };
  for (
    const models of [
      { "no-slash": entry },
      { "openai/a*b": entry },
      { "*/x*": entry },
      { "open*/x": entry },
      { "openai/x": { ...entry, cached_input_per_mtok: "0.5" } },
      { "openai/x": { ...entry, output_per_mtok: Number.NaN } },
      { "openai/x": { ...entry, checked: "yesterday" } },
    ]
  ) {
    assert.throws(
      () => checkPriceTable({ ...base, models }, "inline"),
      /price table inline/,
      JSON.stringify(models),
    );
  }
  assert.throws(() =>
    checkPriceTable({ ...base, updated: "soon", models: {} }, "t")
  );
  assert.throws(() => checkPriceTable({ ...base, models: [] }, "t"));
  const ok = checkPriceTable(
    {
      ...base,
      $comment: "x",
      models: { "openai/x": { ...entry, cached_input_per_mtok: 0 } },
    },
    "t",
  );
  assert.equal(ok.models["openai/x"].cached_input_per_mtok, 0);
});
