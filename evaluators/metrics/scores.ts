/**
 * A run's scores from its result rows, with JSONSchemaBench's definitions.
 * With E = all cases minus `invalid_schema`, `infra_error` and `skipped`,
 * and accepted = E minus `unsupported_schema` and `context_exceeded`:
 * - declared coverage = accepted / (E − `context_exceeded`)
 * - empirical coverage = `valid` / E
 * - compliance = `valid` / accepted
 *
 * each with a 95% Wilson interval; key order (the share of counted outputs
 * whose objects have their keys in the schema's `properties` order, see
 * `validation/key_order.ts`), with its interval too; latency, time to first token and time
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
  /** The keywords the case's schema uses. */
  keywords?: string[] | null;
  /** One entry per validation error: the keyword it points at. */
  errorKeywords?: string[] | null;
  /** The distinct keywords that failed (schema_violation). */
  failingKeywords?: string[] | null;
  /** Keys in the schema's order; null or absent when the output does not count. */
  keyOrder?: boolean | null;
  /** The answer came back only in the reasoning channel. */
  answerInReasoning?: boolean | null;
  latencyMs?: number | null;
  ttftMs?: number | null;
  tpotMs?: number | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  costUsd?: number | null;
}

/** p50, p90 and p99 of a timing, in milliseconds. */
export interface Spread {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

/** One keyword's line in the breakdown. */
export interface KeywordScore {
  /** Cases whose schema uses the keyword. */
  cases: number;
  /** `valid` / E among those cases. */
  empirical_coverage: Proportion;
  /** Validation errors that point at the keyword. */
  errors: number;
  /** `schema_violation` cases where the keyword failed. */
  failing_cases: number;
}

/** The scores of one group of results (a run, or one subset of it). */
export interface Scores {
  declared_coverage: Proportion;
  empirical_coverage: Proportion;
  compliance: Proportion;
  /** Outputs with their keys in the schema's order / outputs that count. */
  key_order: Proportion;
  /** Cases whose content was empty and whose JSON came back in the reasoning channel. */
  answer_in_reasoning: number;
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

/** A run's scores, with the same per subset, and per keyword. */
export interface RunScores extends Scores {
  by_subset: Record<string, Scores>;
  /** Every keyword used by the suite's schemas, by name. */
  by_keyword: Record<string, KeywordScore>;
  /** The keywords that failed in most cases, most first (at most 10). */
  top_failing_keywords: {
    keyword: string;
    failing_cases: number;
    errors: number;
  }[];
}

/**
 * What a finished run stores as its summary (`runs.summary`): its scores,
 * and for a quality run its accuracy when it was computed.
 *
 * @example
 * ```ts
 * import type { RunSummary } from "./scores.ts";
 * declare const summary: RunSummary;
 * summary.accuracy?.value; // 0.4, or undefined for a schema-only run
 * ```
 */
export interface RunSummary extends RunScores {
  /** Quality runs: the share of correct answers. */
  accuracy?: Proportion;
}

/** Outcomes left out of E (and so of every coverage). */
const EXCLUDED: ReadonlySet<Outcome> = new Set([
  "invalid_schema",
  "infra_error",
  "skipped",
]);

/**
 * The per-keyword breakdown: for each keyword, how many cases use it, the
 * empirical coverage among them, and the errors and failures pointing at it.
 *
 * @example
 * ```ts
 * keywordBreakdown([{ outcome: "valid", keywords: ["type"] }]).type.empirical_coverage.value; // 1
 * ```
 */
export function keywordBreakdown(
  results: readonly ScoredResult[],
): Record<string, KeywordScore> {
  const tally = new Map<
    string,
    { cases: number; e: number; valid: number; errors: number; failing: number }
  >();
  const entry = (k: string) => {
    let t = tally.get(k);
    if (!t) {
      tally.set(k, t = { cases: 0, e: 0, valid: 0, errors: 0, failing: 0 });
    }
    return t;
  };
  for (const r of results) {
    for (const k of r.keywords ?? []) {
      const t = entry(k);
      t.cases++;
      if (r.outcome && !EXCLUDED.has(r.outcome)) {
        t.e++;
        if (r.outcome === "valid") t.valid++;
      }
    }
    for (const k of r.errorKeywords ?? []) entry(k).errors++;
    for (const k of r.failingKeywords ?? []) entry(k).failing++;
  }
  const out: Record<string, KeywordScore> = {};
  for (const [k, t] of [...tally].sort((a, b) => a[0].localeCompare(b[0]))) {
    out[k] = {
      cases: t.cases,
      empirical_coverage: wilson(t.valid, t.e),
      errors: t.errors,
      failing_cases: t.failing,
    };
  }
  return out;
}

/**
 * The outcomes that come from an answer the engine actually generated:
 * the results whose timings the scores report.
 *
 * @example
 * ```ts
 * GENERATED.has("truncated"); // true
 * GENERATED.has("infra_error"); // false
 * ```
 */
export const GENERATED: ReadonlySet<Outcome> = new Set([
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
  return {
    p50: percentile(samples, 0.5),
    p90: percentile(samples, 0.9),
    p99: percentile(samples, 0.99),
  };
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
  const e = done - c.invalid_schema - c.infra_error - c.skipped; // = cases not in EXCLUDED
  const accepted = e - c.unsupported_schema - c.context_exceeded;
  const generated = results.filter((r) =>
    r.outcome && GENERATED.has(r.outcome)
  );
  const ordered = results.filter((r) => typeof r.keyOrder === "boolean");
  return {
    declared_coverage: wilson(accepted, e - c.context_exceeded),
    empirical_coverage: wilson(c.valid, e),
    compliance: wilson(c.valid, accepted),
    key_order: wilson(ordered.filter((r) => r.keyOrder).length, ordered.length),
    answer_in_reasoning: results.filter((r) => r.answerInReasoning).length,
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
 * declare const rows: ScoredResult[];
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
  const byKeyword = keywordBreakdown(results);
  const top = Object.entries(byKeyword).filter(([, k]) => k.failing_cases > 0)
    .sort((a, b) =>
      b[1].failing_cases - a[1].failing_cases || b[1].errors - a[1].errors ||
      a[0].localeCompare(b[0])
    )
    .slice(0, 10).map(([keyword, k]) => ({
      keyword,
      failing_cases: k.failing_cases,
      errors: k.errors,
    }));
  return {
    ...scoreGroup(results),
    by_subset: bySubset,
    by_keyword: byKeyword,
    top_failing_keywords: top,
  };
}
