import assert from "node:assert/strict";
import type { Outcome } from "../outcome.ts";
import { computeScores } from "./scores.ts";
import { percentile, wilson } from "./stats.ts";

const rows = (spec: Partial<Record<Outcome, number>>, subset = "s") =>
  Object.entries(spec).flatMap(([outcome, n]) =>
    Array.from(
      { length: n },
      () => ({ outcome: outcome as Outcome, subset, latencyMs: 10 }),
    )
  );

Deno.test("scores follow JSONSchemaBench's definitions", () => {
  const results = rows({
    valid: 6,
    schema_violation: 2,
    truncated: 1,
    unsupported_schema: 2,
    context_exceeded: 1,
    invalid_schema: 3,
    infra_error: 4,
    skipped: 5,
  });
  const s = computeScores(results);
  // E = 24 - 3 - 4 - 5 = 12; accepted = 12 - 2 - 1 = 9
  assert.equal(s.empirical_coverage.n, 12);
  assert.equal(s.empirical_coverage.value, 6 / 12);
  assert.equal(s.declared_coverage.n, 11);
  assert.equal(s.declared_coverage.value, 9 / 11);
  assert.equal(s.compliance.n, 9);
  assert.equal(s.compliance.value, 6 / 9);
  assert.equal(s.by_outcome.skipped, 5);
  assert.equal(s.done, 24);
});

Deno.test("scores per subset, and pending rows count toward total only", () => {
  const s = computeScores([
    ...rows({ valid: 2 }, "a"),
    ...rows({ invalid_json: 2 }, "b"),
    { outcome: null, subset: "b" },
  ]);
  assert.equal(s.by_subset.a.compliance.value, 1);
  assert.equal(s.by_subset.b.compliance.value, 0);
  assert.equal(s.by_subset.b.total, 3);
  assert.equal(s.by_subset.b.done, 2);
  assert.equal(s.done, 4);
  assert.equal(s.total, 5);
});

Deno.test("Wilson interval and percentiles", () => {
  const w = wilson(8, 10);
  assert.ok(
    Math.abs(w.low! - 0.4902) < 1e-3 && Math.abs(w.high! - 0.9433) < 1e-3,
  );
  assert.deepEqual(wilson(0, 0), { value: null, low: null, high: null, n: 0 });
  assert.equal(wilson(0, 5).low, 0);
  assert.equal(wilson(5, 5).high, 1);
  assert.equal(percentile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(percentile([10, 20, 30], 0.9), 28);
  assert.equal(percentile([], 0.5), null);
});

Deno.test("the keyword breakdown: cases using each keyword, coverage among them, errors pointing at it", () => {
  const s = computeScores([
    { outcome: "valid", keywords: ["type", "uniqueItems"] },
    {
      outcome: "schema_violation",
      keywords: ["type", "uniqueItems"],
      errorKeywords: ["uniqueItems", "uniqueItems"],
      failingKeywords: ["uniqueItems"],
    },
    {
      outcome: "schema_violation",
      keywords: ["type", "pattern"],
      errorKeywords: ["pattern"],
      failingKeywords: ["pattern"],
    },
    { outcome: "infra_error", keywords: ["type", "uniqueItems"] },
    {
      outcome: "schema_violation",
      keywords: ["type", "uniqueItems"],
      errorKeywords: ["uniqueItems"],
      failingKeywords: ["uniqueItems"],
    },
  ]);
  assert.equal(s.by_keyword.type.cases, 5);
  assert.equal(
    s.by_keyword.type.empirical_coverage.n,
    4,
    "the infra_error case is excluded",
  );
  assert.equal(s.by_keyword.type.empirical_coverage.value, 1 / 4);
  assert.equal(s.by_keyword.uniqueItems.cases, 4);
  assert.equal(s.by_keyword.uniqueItems.empirical_coverage.value, 1 / 3);
  assert.equal(s.by_keyword.uniqueItems.errors, 3);
  assert.equal(s.by_keyword.uniqueItems.failing_cases, 2);
  assert.deepEqual(s.top_failing_keywords, [
    { keyword: "uniqueItems", failing_cases: 2, errors: 3 },
    { keyword: "pattern", failing_cases: 1, errors: 1 },
  ]);
  assert.ok(s.latency_ms.p99 === null || typeof s.latency_ms.p99 === "number");
});

Deno.test("key order: the share of counted outputs in order, per run and per subset", () => {
  const s = computeScores([
    { outcome: "valid", subset: "a", keyOrder: true },
    { outcome: "valid", subset: "a", keyOrder: false },
    { outcome: "schema_violation", subset: "b", keyOrder: true },
    // Nothing to order, or never judged: left out of the denominator.
    { outcome: "valid", subset: "b", keyOrder: null },
    { outcome: "invalid_json", subset: "b" },
  ]);
  assert.deepEqual(s.key_order, wilson(2, 3));
  assert.equal(s.by_subset.a.key_order.value, 0.5);
  assert.equal(s.by_subset.b.key_order.n, 1);
  assert.equal(computeScores([{ outcome: "valid" }]).key_order.value, null);
});
