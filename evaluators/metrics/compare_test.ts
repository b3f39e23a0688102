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
