import assert from "node:assert/strict";
import { SCORE_COLUMNS } from "../../evaluators/metrics/score_columns.ts";
import {
  checkThresholds,
  parseThresholds,
  type RunFigures,
  THRESHOLD_NAMES,
  ThresholdError,
} from "./thresholds.ts";

const proportion = (value: number, low: number, high: number) => ({
  value,
  low,
  high,
  n: 20,
});

function run(): RunFigures {
  return {
    progress: {
      total: 20,
      done: 20,
      by_outcome: { valid: 16, schema_violation: 2, infra_error: 2 },
    },
    scores: {
      empirical_coverage: proportion(0.8, 0.58, 0.92),
      compliance: proportion(0.9, 0.7, 0.97),
      declared_coverage: proportion(0.9, 0.7, 0.97),
      latency_ms: { p50: 120 },
      // A run without key-order figures: nothing counted towards it.
      key_order: { value: null, low: null, high: null, n: 0 },
    },
  };
}

Deno.test("threshold names follow the score columns: min for higher-better, _lower for a proportion's interval", () => {
  for (const column of SCORE_COLUMNS) {
    const bound = column.better === "higher" ? "min" : "max";
    assert.ok(THRESHOLD_NAMES.has(`${bound}_${column.key}`), column.key);
    assert.equal(
      THRESHOLD_NAMES.has(`${bound === "min" ? "max" : "min"}_${column.key}`),
      false,
      column.key,
    );
  }
  assert.ok(THRESHOLD_NAMES.has("min_empirical_coverage_lower"));
  assert.ok(THRESHOLD_NAMES.has("max_infra_error_rate"));
  assert.throws(
    () => parseThresholds({ min_latency_ms: 1 }, "/thresholds"),
    (e) =>
      e instanceof ThresholdError &&
      e.message.startsWith("/thresholds/min_latency_ms is not a threshold"),
  );
});

Deno.test("checkThresholds: the point estimate, the interval's lower bound, timings and the infra error rate", () => {
  const verdicts = checkThresholds(
    run(),
    parseThresholds({
      min_empirical_coverage: 0.75,
      min_empirical_coverage_lower: 0.75,
      max_latency_ms: 100,
      max_infra_error_rate: 0.1,
      min_key_order: 0.5,
    }, ""),
  );
  assert.deepEqual(verdicts, [
    { name: "min_empirical_coverage", limit: 0.75, value: 0.8, ok: true },
    {
      name: "min_empirical_coverage_lower",
      limit: 0.75,
      value: 0.58,
      ok: false,
    },
    { name: "max_latency_ms", limit: 100, value: 120, ok: false },
    { name: "max_infra_error_rate", limit: 0.1, value: 0.1, ok: true },
    // No figure: the threshold cannot hold.
    { name: "min_key_order", limit: 0.5, value: null, ok: false },
  ]);
});
