import assert from "node:assert/strict";
import { SCORE_COLUMNS, scoreColumns, scoreValue } from "./score_columns.ts";
import { computeScores } from "./scores.ts";

Deno.test("every score column has a distinct key and is shown somewhere", () => {
  const keys = SCORE_COLUMNS.map((c) => c.key);
  assert.equal(new Set(keys).size, keys.length);
  for (const column of SCORE_COLUMNS) {
    assert.ok(column.views.length > 0, column.key);
    assert.equal(
      column.better,
      column.format === "proportion" ? "higher" : "lower",
      column.key,
    );
  }
});

Deno.test("scoreColumns: one view's columns, in the list's order but for those it shows first", () => {
  // The per-subset tables put declared coverage first, as they always did.
  assert.deepEqual(scoreColumns("groups").map((c) => c.key), [
    "declared_coverage",
    "empirical_coverage",
    "compliance",
    "key_order",
    "latency_ms",
    "ttft_ms",
    "tpot_ms",
  ]);
  assert.deepEqual(scoreColumns("board").map((c) => c.key), [
    "empirical_coverage",
    "compliance",
    "declared_coverage",
    "accuracy",
    "ttft_ms",
    "tpot_ms",
    "cost_usd",
  ]);
});

Deno.test("scoreValue: proportions, a timing's p50, dollars; null when absent", () => {
  const scores = computeScores([
    { outcome: "valid", latencyMs: 10, ttftMs: 2, tpotMs: 1, costUsd: 0.5 },
    { outcome: "schema_violation", latencyMs: 30, ttftMs: 4, tpotMs: 3 },
  ]);
  const value = (key: string) =>
    scoreValue(scores, SCORE_COLUMNS.find((c) => c.key === key)!);
  assert.deepEqual(value("empirical_coverage"), scores.empirical_coverage);
  assert.equal(value("latency_ms"), 20);
  assert.equal(value("ttft_ms"), 3);
  assert.equal(value("cost_usd"), 0.5);
  assert.equal(value("accuracy"), null);
  assert.deepEqual(value("key_order"), scores.key_order);
  assert.equal(scoreValue({}, SCORE_COLUMNS[0]), null);
});
