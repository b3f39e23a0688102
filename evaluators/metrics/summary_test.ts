import assert from "node:assert/strict";
import { wilson } from "./stats.ts";
import { accuracyOf, runSummary } from "./summary.ts";

Deno.test("runSummary: a quality run's accuracy over the cases with a verdict", () => {
  const summary = runSummary([
    { outcome: "valid", correct: true },
    { outcome: "valid", correct: true },
    { outcome: "invalid_json", correct: false },
    { outcome: "infra_error", correct: null },
  ]);
  assert.deepEqual(summary.accuracy, wilson(2, 3));
  assert.equal(summary.done, 4);
  assert.equal(summary.empirical_coverage.n, 3);
});

Deno.test("runSummary: a schema-only run has no accuracy key", () => {
  const summary = runSummary([{ outcome: "valid" }, { outcome: "valid" }]);
  assert.ok(!("accuracy" in summary));
  assert.equal(accuracyOf([{ correct: null }, {}]), null);
});
