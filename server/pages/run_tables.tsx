// Rendered once on the server, so lists need no keys (and precompiled
// hono/jsx would print `key` as an HTML attribute).
// deno-lint-ignore-file jsx-key
/**
 * The score tables of a run report: outcomes, the
 * scores per subset, and the per-keyword breakdown. They take a run's
 * scores as `computeScores` makes them (stored in `runs.summary` once the
 * run is done, live before).
 *
 * @example
 * ```tsx
 * import { OutcomeTable } from "./run_tables.tsx";
 * <OutcomeTable byOutcome={{ valid: 3, schema_violation: 1 }} />;
 * ```
 * @module
 */
import type { Proportion } from "../../evaluators/metrics/stats.ts";
import {
  scoreColumns,
  scoreValue,
} from "../../evaluators/metrics/score_columns.ts";
import type { Spread } from "../../evaluators/metrics/scores.ts";
import { OUTCOMES } from "../../evaluators/outcome.ts";
import {
  formatCount,
  formatInterval,
  formatMs,
  formatPercent,
  NONE,
} from "./format.ts";

/** The scores of one group of results, as a run's summary stores them. */
export interface GroupScores {
  declared_coverage: Proportion;
  empirical_coverage: Proportion;
  compliance: Proportion;
  latency_ms?: Partial<Spread>;
  ttft_ms?: Partial<Spread>;
  tpot_ms?: Partial<Spread>;
  by_outcome?: Record<string, number>;
  done?: number;
  total?: number;
}

/** One keyword's line, as a run's summary stores it. */
export interface KeywordLine {
  cases: number;
  empirical_coverage: Proportion;
  errors: number;
  failing_cases: number;
}

/** The columns of the per-subset table, after the subset, cases and valid. */
const GROUP_SCORES = scoreColumns("groups");

/**
 * A score cell: the value, and the interval below it.
 *
 * @example
 * ```tsx
 * <ScoreCell p={{ value: 0.5, low: 0.2, high: 0.8, n: 10 }} />
 * ```
 */
export function ScoreCell(props: { p: Proportion | null | undefined }) {
  const p = props.p;
  if (!p || p.value === null) return <td class="num">{NONE}</td>;
  return (
    <td class="num">
      {formatPercent(p.value)}
      <span class="interval">
        {formatInterval(p)} <span class="muted">n={p.n}</span>
      </span>
    </td>
  );
}

/**
 * The outcome counts as a table (the headline draws them as a bar), every
 * known outcome listed, zero or not.
 *
 * @example
 * ```tsx
 * declare const progress: { by_outcome: Record<string, number> };
 * <OutcomeTable byOutcome={progress.by_outcome} pending={3} />
 * ```
 */
export function OutcomeTable(
  props: {
    byOutcome: Record<string, number>;
    pending?: number;
    /** Cases whose JSON came back only in the reasoning channel. */
    answerInReasoning?: number;
  },
) {
  const total = Object.values(props.byOutcome).reduce((a, b) => a + b, 0) +
    (props.pending ?? 0);
  const known = new Set<string>(OUTCOMES);
  const rows: [string, number][] = [
    ...OUTCOMES,
    ...Object.keys(props.byOutcome).filter((o) => !known.has(o)).sort(),
  ].map((o) => [o, props.byOutcome[o] ?? 0]);
  if (props.pending) rows.push(["pending", props.pending]);
  return (
    <>
      <div class="table-wrap">
        <table id="outcome-table">
          <caption>Cases by outcome (first match wins)</caption>
          <thead>
            <tr>
              <th scope="col">Outcome</th>
              <th scope="col" class="num">Cases</th>
              <th scope="col" class="num">Share</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([outcome, n]) => (
              <tr>
                <th scope="row">{outcome}</th>
                <td class="num">{formatCount(n)}</td>
                <td class="num">{total ? formatPercent(n / total) : NONE}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.answerInReasoning
        ? (
          <p id="answer-in-reasoning">
            {formatCount(props.answerInReasoning)}{" "}
            case(s) came back with empty content and the JSON only in the
            reasoning channel (counted{" "}
            <code>invalid_json</code>: the answer was not where it was asked
            for).
          </p>
        )
        : null}
    </>
  );
}

/**
 * The scores per subset.
 *
 * @example
 * ```tsx
 * import type { GroupScores, KeywordLine } from "./run_tables.tsx";
 * declare const scores: { by_subset: Record<string, GroupScores>; by_keyword: Record<string, KeywordLine> };
 * <SubsetTable bySubset={scores.by_subset} />
 * ```
 */
export function SubsetTable(
  props: { bySubset: Record<string, GroupScores> },
) {
  const entries = Object.entries(props.bySubset);
  return (
    <section aria-labelledby="subsets">
      <h2 id="subsets">By subset</h2>
      <div class="table-wrap">
        <table id="subset-table">
          <caption>Scores per subset</caption>
          <thead>
            <tr>
              <th scope="col">Subset</th>
              <th scope="col" class="num">Cases</th>
              <th scope="col" class="num">Valid</th>
              {GROUP_SCORES.map((column) => (
                <th scope="col" class="num">{column.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 && (
              <tr>
                <td colspan={3 + GROUP_SCORES.length}>No results yet.</td>
              </tr>
            )}
            {entries.map(([name, s]) => (
              <tr>
                <th scope="row">{name}</th>
                <td class="num">{formatCount(s.total ?? null)}</td>
                <td class="num">{formatCount(s.by_outcome?.valid ?? null)}</td>
                {GROUP_SCORES.map((column) => {
                  const value = scoreValue(s, column);
                  return typeof value === "number" || value === null
                    ? <td class="num">{formatMs(value)}</td>
                    : <ScoreCell p={value} />;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Cases that count (n) and did not end valid, from their proportion. */
function notValid(p: Proportion): number | null {
  return p.value === null
    ? (p.n === 0 ? 0 : null)
    : p.n - Math.round(p.value * p.n);
}

/**
 * The per-keyword breakdown, most failing cases first, each keyword linked
 * to the case list filtered by it.
 *
 * @example
 * ```tsx
 * import type { GroupScores, KeywordLine } from "./run_tables.tsx";
 * declare const scores: { by_subset: Record<string, GroupScores>; by_keyword: Record<string, KeywordLine> };
 * <KeywordTable byKeyword={scores.by_keyword} caseHref={(k) => `?keyword=${k}`} failingHref={(k) => `?failing=${k}`} />
 * ```
 */
export function KeywordTable(
  props: {
    byKeyword: Record<string, KeywordLine>;
    caseHref: (keyword: string) => string;
    failingHref: (keyword: string) => string;
  },
) {
  const entries = Object.entries(props.byKeyword).sort((a, b) =>
    b[1].failing_cases - a[1].failing_cases || b[1].errors - a[1].errors ||
    a[0].localeCompare(b[0])
  );
  return (
    <section aria-labelledby="keywords">
      <h2 id="keywords">By keyword</h2>
      <div class="table-wrap">
        <table id="keyword-table">
          <caption>
            JSON Schema keywords used by the suite's schemas, most violated
            first. "Not valid" counts every case using the keyword that did not
            end valid, whatever the reason (truncated, invalid JSON, …);
            "violations" only the schema violations whose errors point at this
            keyword.
          </caption>
          <thead>
            <tr>
              <th scope="col">Keyword</th>
              <th scope="col" class="num">Cases using it</th>
              <th scope="col" class="num">Empirical coverage of those</th>
              <th scope="col" class="num">Not valid of those</th>
              <th scope="col" class="num">Violations of it (cases)</th>
              <th scope="col" class="num">Validation errors at it</th>
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 && (
              <tr>
                <td colspan={6}>No keyword data.</td>
              </tr>
            )}
            {entries.map(([keyword, k]) => (
              <tr>
                <th scope="row">
                  <a href={props.caseHref(keyword)}>
                    <code>{keyword}</code>
                  </a>
                </th>
                <td class="num">{formatCount(k.cases)}</td>
                <ScoreCell p={k.empirical_coverage} />
                <td class="num">
                  {formatCount(notValid(k.empirical_coverage))}
                </td>
                <td class="num">
                  {k.failing_cases > 0
                    ? (
                      <a href={props.failingHref(keyword)}>
                        {formatCount(k.failing_cases)}
                      </a>
                    )
                    : "0"}
                </td>
                <td class="num">{formatCount(k.errors)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
