/**
 * Two runs of the same suite compared case by case and score by score.
 *
 * @example
 * ```ts
 * import { compareResults } from "./compare.ts";
 * const row = (caseId: number, outcome: string) => ({ caseId, key: `k${caseId}`, outcome });
 * const result = compareResults([row(1, "valid")], [row(1, "invalid_json")]);
 * result.paired.flipped_to_a; // ["k1"]
 * ```
 * @module
 */
import type { Outcome } from "../outcome.ts";
import { differenceOfIndependent, pairedComparison } from "./paired.ts";
import { computeScores, GENERATED, type ScoredResult } from "./scores.ts";
import { type BootstrapInterval, bootstrapMedian } from "./bootstrap.ts";
import type { Proportion } from "./stats.ts";

/**
 * One result as a comparison reads it: a scored result with its case.
 *
 * @example
 * ```ts
 * import type { ComparedResult } from "./compare.ts";
 * const row: ComparedResult = { caseId: 7, key: "a", outcome: "valid", latencyMs: 120 };
 * ```
 */
export interface ComparedResult extends Omit<ScoredResult, "outcome"> {
  caseId: number;
  key: string;
  outcome: string | null;
}

const EXCLUDED: ReadonlySet<string> = new Set<Outcome>([
  "invalid_schema",
  "infra_error",
  "skipped",
]);
const MAX_FLIPPED = 500;

function counts(p: Proportion) {
  return { successes: Math.round((p.value ?? 0) * p.n), n: p.n };
}

function scoreDifference(a: Proportion, b: Proportion) {
  return { a, b, difference: differenceOfIndependent(counts(a), counts(b)) };
}

/**
 * The comparison of two runs' results on the same suite: the paired
 * comparison of valid / not valid per case (McNemar's exact p-value, at
 * most 500 flipped cases each way; cases whose outcome says nothing of the
 * engine left out), the difference of every score with its 95%
 * interval (b − a), and each run's median latency with its 95% percentile
 * bootstrap interval (2,000 resamples, a fixed seed: the same runs give the
 * same interval).
 *
 * @example
 * ```ts
 * import { compareResults, type ComparedResult } from "./compare.ts";
 * declare const rowsA: ComparedResult[];
 * declare const rowsB: ComparedResult[];
 * compareResults(rowsA, rowsB).paired.mcnemar_p;
 * ```
 */
export function compareResults(
  rowsA: ComparedResult[],
  rowsB: ComparedResult[],
) {
  const byCase = new Map(rowsB.map((r) => [r.caseId, r]));
  const pairs = [];
  for (const a of rowsA) {
    const b = byCase.get(a.caseId);
    if (
      !b || !a.outcome || !b.outcome || EXCLUDED.has(a.outcome) ||
      EXCLUDED.has(b.outcome)
    ) continue;
    pairs.push({
      key: a.key,
      a: a.outcome === "valid",
      b: b.outcome === "valid",
    });
  }
  const paired = pairedComparison(pairs);
  const sa = computeScores(rowsA as ScoredResult[]);
  const sb = computeScores(rowsB as ScoredResult[]);
  return {
    paired: {
      ...paired,
      flipped_to_b: paired.flipped_to_b.slice(0, MAX_FLIPPED),
      flipped_to_a: paired.flipped_to_a.slice(0, MAX_FLIPPED),
    },
    scores: {
      declared_coverage: scoreDifference(
        sa.declared_coverage,
        sb.declared_coverage,
      ),
      empirical_coverage: scoreDifference(
        sa.empirical_coverage,
        sb.empirical_coverage,
      ),
      compliance: scoreDifference(sa.compliance, sb.compliance),
    },
    latency_ms: { a: sa.latency_ms, b: sb.latency_ms },
    latency_median_ms: {
      a: medianLatency(rowsA),
      b: medianLatency(rowsB),
    },
    ttft_ms: { a: sa.ttft_ms, b: sb.ttft_ms },
    tpot_ms: { a: sa.tpot_ms, b: sb.tpot_ms },
  };
}

/**
 * What {@link compareResults} finds: the paired comparison, each score's
 * difference, and the timings of both runs.
 *
 * @example
 * ```ts
 * import type { Comparison } from "./compare.ts";
 * declare const comparison: Comparison;
 * comparison.scores.compliance.difference.value;
 * ```
 */
export type Comparison = ReturnType<typeof compareResults>;

/**
 * The median latency of the answers a run generated, with its 95%
 * percentile bootstrap interval.
 *
 * @example
 * ```ts
 * medianLatency([{ caseId: 1, key: "a", outcome: "valid", latencyMs: 120 }]).value; // 120
 * ```
 */
export function medianLatency(rows: ComparedResult[]): BootstrapInterval {
  const samples = rows.flatMap((r) =>
    r.outcome && GENERATED.has(r.outcome as Outcome) &&
      typeof r.latencyMs === "number" && Number.isFinite(r.latencyMs)
      ? [r.latencyMs]
      : []
  );
  return bootstrapMedian(samples, { resamples: 2000, seed: 1 });
}
