import assert from "node:assert/strict";
import {
  computeScores,
  type ScoredResult,
} from "../../evaluators/metrics/scores.ts";
import {
  formatDuration,
  formatEta,
  formatOutcomes,
  formatProgress,
  formatProportion,
  formatReport,
  formatScoreTable,
  type RunJson,
} from "./report.ts";
import { formatMs } from "../../server/pages/format.ts";

/** A run's JSON as GET /api/runs/:id builds it, from result rows. */
function runOf(rows: ScoredResult[], status = "done"): RunJson {
  const { by_outcome, done, total, ...scores } = computeScores(rows);
  return {
    id: "0b5e7c1a-0000-4000-8000-000000000001",
    status,
    engine: {
      engine: "llama.cpp",
      version: "b6000",
      model: "tiny.gguf",
      slots: 4,
    },
    started_at: "2025-01-01T00:00:00.000Z",
    finished_at: status === "done" ? "2025-01-01T00:00:12.340Z" : null,
    progress: { total, done, by_outcome },
    scores,
  };
}

function rows(n: number, row: ScoredResult): ScoredResult[] {
  return Array.from({ length: n }, () => ({ ...row }));
}

// Github_easy: 8 valid (keys in order), 2 violations (keys out of order).
// Glaiveai2K: 3 valid (nothing to order), 1 unsupported, 1 infra_error, 1
// still pending. Overall E = 15 - 1 = 14, accepted = 13.
const TWO_SUBSETS = [
  ...rows(8, {
    outcome: "valid",
    subset: "Github_easy",
    latencyMs: 800,
    ttftMs: 40,
    tpotMs: 3.5,
    keyOrder: true,
  }),
  ...rows(2, {
    outcome: "schema_violation",
    subset: "Github_easy",
    latencyMs: 1200,
    ttftMs: 60,
    tpotMs: 4.5,
    keyOrder: false,
  }),
  ...rows(3, {
    outcome: "valid",
    subset: "Glaiveai2K",
    latencyMs: 15_000,
    ttftMs: 120,
    tpotMs: 12,
  }),
  ...rows(1, { outcome: "unsupported_schema", subset: "Glaiveai2K" }),
  ...rows(1, { outcome: "infra_error", subset: "Glaiveai2K" }),
  ...rows(1, { outcome: null, subset: "Glaiveai2K" }),
];

Deno.test("a proportion shows its value and 95% interval, or a dash", () => {
  assert.equal(
    formatProportion({ value: 0.8, low: 0.4902, high: 0.9433, n: 10 }),
    "0.80 [0.49, 0.94]",
  );
  assert.equal(
    formatProportion({ value: 1, low: 0.7225, high: 1, n: 10 }),
    "1.00 [0.72, 1.00]",
  );
  assert.equal(
    formatProportion({ value: null, low: null, high: null, n: 0 }),
    "-",
  );
});

Deno.test("timings read the same in the CLI as on the pages", () => {
  assert.equal(formatMs(3.456, "-"), "3.46 ms");
  assert.equal(formatMs(45.24, "-"), "45.2 ms");
  assert.equal(formatMs(812.4, "-"), "812 ms");
  assert.equal(formatMs(2400, "-"), "2.40 s");
  assert.equal(formatMs(12_345, "-"), "12.35 s");
  assert.equal(formatMs(null, "-"), "-");
});

Deno.test("durations and the ETA read like a clock", () => {
  assert.equal(formatDuration(4.2), "4s");
  assert.equal(formatDuration(125), "2m 05s");
  assert.equal(formatDuration(3720), "1h 02m");
  // 20 cases in 10 s is 2 cases/s; 250 left is 125 s.
  assert.equal(formatEta(20, 270, 10_000), "ETA 2m 05s");
  assert.equal(formatEta(0, 270, 10_000), "ETA ?");
  assert.equal(formatEta(270, 270, 10_000), "done");
});

Deno.test("outcome counts list what happened, in the table's order", () => {
  assert.equal(
    formatOutcomes({ truncated: 1, valid: 7, schema_violation: 0 }),
    "valid 7 · truncated 1",
  );
  assert.equal(formatOutcomes({ valid: 1 }, 3), "valid 1 · pending 2");
  assert.equal(formatOutcomes({}), "none yet");
  // An engine error is shown apart, before the infrastructure errors.
  assert.equal(
    formatOutcomes({ infra_error: 1, engine_error: 2, valid: 3 }),
    "valid 3 · engine_error 2 · infra_error 1",
  );
});

Deno.test("the progress line: done/total, bar, rate, ETA, outcomes", () => {
  assert.equal(
    formatProgress({
      done: 30,
      total: 100,
      elapsedMs: 15_000,
      byOutcome: { valid: 25, schema_violation: 3, truncated: 2 },
    }),
    "  30/100 [######--------------]  30% 2.0 cases/s ETA 35s  valid 25 · schema_violation 3 · truncated 2",
  );
  assert.equal(
    formatProgress({ done: 0, total: 5, elapsedMs: 800, byOutcome: {} }),
    "   0/5 [--------------------]   0% 0.0 cases/s ETA ?  none yet",
  );
  assert.equal(
    formatProgress({
      done: 5,
      total: 5,
      elapsedMs: 2500,
      byOutcome: { valid: 5 },
    }),
    "   5/5 [####################] 100% 2.0 cases/s done  valid 5",
  );
});

Deno.test("the score table: all, then one row per subset, values with intervals", () => {
  const lines = formatScoreTable(runOf(TWO_SUBSETS)).split("\n");
  assert.deepEqual(lines, [
    "subset       cases  valid  declared coverage  empirical coverage  compliance         key order          latency p50  ttft p50  tpot p50",
    "-----------  -----  -----  -----------------  ------------------  -----------------  -----------------  -----------  --------  --------",
    "all             16     11  0.93 [0.69, 0.99]  0.79 [0.52, 0.92]   0.85 [0.58, 0.96]  0.80 [0.49, 0.94]       800 ms   40.0 ms   3.50 ms",
    "Github_easy     10      8  1.00 [0.72, 1.00]  0.80 [0.49, 0.94]   0.80 [0.49, 0.94]  0.80 [0.49, 0.94]       800 ms   40.0 ms   3.50 ms",
    "Glaiveai2K       6      3  0.75 [0.30, 0.95]  0.75 [0.30, 0.95]   1.00 [0.44, 1.00]  -                      15.00 s    120 ms   12.0 ms",
  ]);
});

Deno.test("cases without a subset give the run's row only", () => {
  const run = runOf([
    ...rows(2, { outcome: "valid", latencyMs: 50, ttftMs: 5, tpotMs: 1 }),
    ...rows(1, { outcome: "invalid_json", latencyMs: 70 }),
  ]);
  const lines = formatScoreTable(run).split("\n");
  assert.equal(lines.length, 3);
  assert.equal(
    lines[2],
    "all         3      2  1.00 [0.44, 1.00]  0.67 [0.21, 0.94]   0.67 [0.21, 0.94]  -              50.0 ms   5.00 ms   1.00 ms",
  );
});

Deno.test("no generated answer: dashes instead of numbers", () => {
  const run = runOf(rows(2, { outcome: "infra_error" }));
  const all = formatScoreTable(run).split("\n")[2];
  assert.equal(all.split(/\s{2,}/).join("|"), "all|2|0|-|-|-|-|-|-|-");
});

Deno.test("the report: what ran, the table, the outcome counts, the run id", () => {
  const text = formatReport(runOf(TWO_SUBSETS), {
    suite: "jsonschemabench v2",
    target: "llamacpp http://127.0.0.1:8091 json_schema",
  });
  const lines = text.split("\n");
  assert.deepEqual(lines.slice(0, 5), [
    "suite   jsonschemabench v2",
    "target  llamacpp http://127.0.0.1:8091 json_schema",
    "engine  llama.cpp b6000 (tiny.gguf, 4 slots)",
    "status  done, 15/16 cases in 12.3 s",
    "",
  ]);
  assert.deepEqual(lines.slice(-2), [
    "outcomes: valid 11 · schema_violation 2 · unsupported_schema 1 · infra_error 1 · pending 1",
    "run id: 0b5e7c1a-0000-4000-8000-000000000001",
  ]);
  assert.ok(lines.some((l) => l.startsWith("Glaiveai2K       6      3  0.75")));
});

Deno.test("an interrupted run shows no duration, and an engine that failed says so", () => {
  const run = {
    ...runOf(rows(1, { outcome: "valid", latencyMs: 5 }), "running"),
    engine: {
      engine: "llamacpp",
      error: "could not describe the engine: refused",
    },
  };
  const lines = formatReport(run, { suite: "s v1", target: "t" }).split("\n");
  assert.equal(lines[2], "engine  could not describe the engine: refused");
  assert.equal(lines[3], "status  running, 1/1 cases");
});
