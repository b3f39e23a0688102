/**
 * A run's scores from its result rows, with JSONSchemaBench's definitions.
 * With E = all cases minus `invalid_schema`, `infra_error` and `skipped`,
 * and accepted = E minus `unsupported_schema` and `context_exceeded`:
 * - declared coverage = accepted / (E − `context_exceeded`)
 * - empirical coverage = `valid` / E
 * - compliance = `valid` / accepted
 *
 * each with a 95% Wilson interval; latency, time to first token and time
 * per output token as p50/p90; token totals; and all of it per subset.
 *
 * @example
 * ```ts
 * import { computeScores } from "./scores.ts";
 * const scores = computeScores([{ outcome: "valid", subset: "a", latencyMs: 12 }]);
 * scores.empirical_coverage.value; // 1
 * ```
 * @module
 */
import { type Outcome, OUTCOMES } from "../outcome.ts";
import { percentile, type Proportion, wilson } from "./stats.ts";

/** What scoring needs of one result. */
export interface ScoredResult {
  outcome: Outcome | null;
  subset?: string | null;
  latencyMs?: number | null;
  ttftMs?: number | null;
  tpotMs?: number | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  costUsd?: number | null;
}

/** p50 and p90 of a timing, in milliseconds. */
export interface Spread {
  p50: number | null;
  p90: number | null;
}

/** The scores of one group of results (a run, or one subset of it). */
export interface Scores {
  declared_coverage: Proportion;
  empirical_coverage: Proportion;
  compliance: Proportion;
  latency_ms: Spread;
  ttft_ms: Spread;
  tpot_ms: Spread;
  tokens: { prompt: number; completion: number };
  cost_usd: number;
  by_outcome: Record<Outcome, number>;
  /** Cases with an outcome. */
  done: number;
  total: number;
}

/** A run's scores, with the same per subset. */
export interface RunScores extends Scores {
  by_subset: Record<string, Scores>;
}

/** The outcomes that come from an answer the engine actually generated. */
const GENERATED: ReadonlySet<Outcome> = new Set([
  "valid",
  "schema_violation",
  "invalid_json",
  "truncated",
  "refusal",
]);

function spread(values: (number | null | undefined)[]): Spread {
  const samples = values.filter((v): v is number =>
    typeof v === "number" && Number.isFinite(v)
  );
  return { p50: percentile(samples, 0.5), p90: percentile(samples, 0.9) };
}

/**
 * Counts outcomes (every outcome present, zero when absent).
 *
 * @example
 * ```ts
 * countOutcomes([{ outcome: "valid" }]).valid; // 1
 * ```
 */
export function countOutcomes(
  results: readonly ScoredResult[],
): Record<Outcome, number> {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<
    Outcome,
    number
  >;
  for (const r of results) if (r.outcome) counts[r.outcome]++;
  return counts;
}

/**
 * Scores one group of results.
 *
 * @example
 * ```ts
 * scoreGroup([{ outcome: "unsupported_schema" }]).declared_coverage.value; // 0
 * ```
 */
export function scoreGroup(results: readonly ScoredResult[]): Scores {
  const c = countOutcomes(results);
  const done = results.filter((r) => r.outcome !== null).length;
  const e = done - c.invalid_schema - c.infra_error - c.skipped;
  const accepted = e - c.unsupported_schema - c.context_exceeded;
  const generated = results.filter((r) =>
    r.outcome && GENERATED.has(r.outcome)
  );
  return {
    declared_coverage: wilson(accepted, e - c.context_exceeded),
    empirical_coverage: wilson(c.valid, e),
    compliance: wilson(c.valid, accepted),
    latency_ms: spread(generated.map((r) => r.latencyMs)),
    ttft_ms: spread(generated.map((r) => r.ttftMs)),
    tpot_ms: spread(generated.map((r) => r.tpotMs)),
    tokens: {
      prompt: results.reduce((sum, r) => sum + (r.promptTokens ?? 0), 0),
      completion: results.reduce(
        (sum, r) => sum + (r.completionTokens ?? 0),
        0,
      ),
    },
    cost_usd: results.reduce((sum, r) => sum + (r.costUsd ?? 0), 0),
    by_outcome: c,
    done,
    total: results.length,
  };
}

/**
 * Scores a run and each of its subsets (cases without a subset are under
 * `"(none)"`).
 *
 * @example
 * ```ts
 * computeScores(rows).by_subset["Github_easy"].compliance;
 * ```
 */
export function computeScores(results: readonly ScoredResult[]): RunScores {
  const groups = new Map<string, ScoredResult[]>();
  for (const r of results) {
    const key = r.subset ?? "(none)";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  const bySubset: Record<string, Scores> = {};
  for (
    const [key, rows] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))
  ) bySubset[key] = scoreGroup(rows);
  return { ...scoreGroup(results), by_subset: bySubset };
}
