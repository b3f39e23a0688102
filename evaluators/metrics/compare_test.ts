import assert from "node:assert/strict";
import { type ComparedResult, compareResults } from "./compare.ts";
import { computeScores, type ScoredResult } from "./scores.ts";

const row = (caseId: number, outcome: string | null): ComparedResult => ({
  caseId,
  key: `k${caseId}`,
  outcome,
});

Deno.test("compareResults: pairs cases by id, leaves out outcomes that say nothing of the engine", () => {
  const a = [
    row(1, "valid"),
    row(2, "invalid_json"),
    row(3, "valid"),
    row(4, "infra_error"),
    row(5, null),
  ];
  const b = [
    row(3, "schema_violation"),
    row(2, "valid"),
    row(1, "valid"),
    row(4, "valid"),
    row(5, "valid"),
  ];
  const result = compareResults(a, b);
  assert.deepEqual(result.paired.flipped_to_b, ["k2"]);
  assert.deepEqual(result.paired.flipped_to_a, ["k3"]);
  // Scores are each run's own, over all its results.
  assert.deepEqual(
    result.scores.empirical_coverage.a,
    computeScores(a as ScoredResult[]).empirical_coverage,
  );
  assert.deepEqual(
    result.scores.empirical_coverage.b,
    computeScores(b as ScoredResult[]).empirical_coverage,
  );
  assert.notEqual(result.scores.empirical_coverage.difference.value, null);
});

Deno.test("compareResults: each run's median latency has a bootstrap interval over the answers it generated", () => {
  const timed = (caseId: number, outcome: string, latencyMs: number) => ({
    ...row(caseId, outcome),
    latencyMs,
  });
  const a = [100, 110, 120, 130, 900].map((ms, i) => timed(i, "valid", ms));
  // An engine that never answered says nothing of its speed.
  const b = [
    timed(1, "valid", 50),
    timed(2, "schema_violation", 70),
    timed(3, "infra_error", 1),
    timed(4, "invalid_schema", 2),
  ];
  const result = compareResults(a, b);
  const ma = result.latency_median_ms.a;
  assert.equal(ma.value, 120);
  assert.equal(ma.n, 5);
  assert.ok(ma.low! <= 120 && 120 <= ma.high!, JSON.stringify(ma));
  assert.ok(
    ma.low! < ma.high!,
    "five different latencies give a wide interval",
  );
  assert.equal(result.latency_median_ms.b.n, 2);
  assert.equal(result.latency_median_ms.b.value, 60);
  // The seed is fixed: the same runs give the same interval.
  assert.deepEqual(
    compareResults(a, b).latency_median_ms,
    result.latency_median_ms,
  );
});
