/**
 * `/compare?a=RUN&b=RUN`: two runs on the same suite, case by case. The
 * 2×2 table of valid / not valid, McNemar's exact p-value, the difference
 * (b − a) of every score with its 95% interval, the timings side by side,
 * and the cases that flipped either way (linked to their case pages).
 *
 * @example
 * ```tsx
 * import { ComparePage } from "./compare_page.tsx";
 * import {
 *   type ComparedResult,
 *   compareResults,
 * } from "../../evaluators/metrics/compare.ts";
 * import type { CompareSide } from "./compare_page.tsx";
 * declare const rowsA: ComparedResult[];
 * declare const rowsB: ComparedResult[];
 * declare const sideA: CompareSide;
 * declare const sideB: CompareSide;
 * <ComparePage a={sideA} b={sideB} comparison={compareResults(rowsA, rowsB)} />;
 * ```
 * @module
 */
import type { Difference } from "../../evaluators/metrics/paired.ts";
import type { BootstrapInterval } from "../../evaluators/metrics/bootstrap.ts";
import type { Comparison } from "../../evaluators/metrics/compare.ts";
import { caseHref } from "./case_list.tsx";
import { formatCount, formatMs, formatP, formatPoints } from "./format.ts";
import { ScoreCell } from "./run_tables.tsx";

/** One side of the comparison. */
export interface CompareSide {
  runId: string;
  /** The target's name, the suite and when the run finished. */
  label: string;
}

/** What the compare page shows. */
export interface ComparePageProps {
  a: CompareSide;
  b: CompareSide;
  /** What `compareResults` found. */
  comparison: Comparison;
}

function MedianText(props: { m: BootstrapInterval }) {
  const { m } = props;
  if (m.value === null) return <>{formatMs(null)}</>;
  return (
    <>
      {formatMs(m.value)} [{formatMs(m.low)}, {formatMs(m.high)}]
    </>
  );
}

function DifferenceCell(props: { d: Difference }) {
  const { d } = props;
  return (
    <td class="num">
      {formatPoints(d.value)}
      <span class="interval">
        {d.low === null || d.high === null
          ? "—"
          : `${formatPoints(d.low)} to ${formatPoints(d.high)}`}
      </span>
    </td>
  );
}

function Flipped(
  props: { runId: string; keys: string[]; total: number; title: string },
) {
  return (
    <section>
      <h3>{props.title} ({formatCount(props.total)})</h3>
      {props.keys.length === 0 ? <p>None.</p> : (
        <ul>
          {props.keys.map((key) => (
            <li>
              <a href={caseHref(props.runId, key)}>{key}</a>
            </li>
          ))}
        </ul>
      )}
      {props.total > props.keys.length && (
        <p class="muted">The first {props.keys.length} are listed.</p>
      )}
    </section>
  );
}

/**
 * The compare page body.
 *
 * @example
 * ```tsx
 * import { Layout } from "./layout.tsx";
 * import type { PageAssets } from "../static/assets.ts";
 * import type { ComparePageProps } from "./compare_page.tsx";
 * declare const assets: PageAssets;
 * declare const props: ComparePageProps;
 * <Layout title="Compare" assets={assets}><ComparePage {...props} /></Layout>
 * ```
 */
export function ComparePage(props: ComparePageProps) {
  const { a, b, comparison } = props;
  const p = comparison.paired;
  const scoreRows = [
    ["Empirical coverage", comparison.scores.empirical_coverage],
    ["Compliance", comparison.scores.compliance],
    ["Declared coverage", comparison.scores.declared_coverage],
  ] as const;
  const timingRows = [
    ["Latency", comparison.latency_ms],
    ["Time to first token", comparison.ttft_ms],
    ["Time per output token", comparison.tpot_ms],
  ] as const;
  return (
    <>
      <h1>Paired comparison</h1>
      <dl class="facts">
        <dt>Run a</dt>
        <dd>
          <a href={`/runs/${encodeURIComponent(a.runId)}`}>{a.label}</a>
        </dd>
        <dt>Run b</dt>
        <dd>
          <a href={`/runs/${encodeURIComponent(b.runId)}`}>{b.label}</a>
        </dd>
        <dt>McNemar p</dt>
        <dd id="mcnemar-p">
          {formatP(p.mcnemar_p)}{" "}
          <span class="muted">
            (exact, two-sided, over {formatCount(p.n)}{" "}
            cases neither run excluded)
          </span>
        </dd>
      </dl>

      <div class="table-wrap">
        <table id="paired-table">
          <caption>Valid in each run, case by case</caption>
          <thead>
            <tr>
              <td></td>
              <th scope="col" class="num">b valid</th>
              <th scope="col" class="num">b not valid</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">a valid</th>
              <td class="num">{formatCount(p.both)}</td>
              <td class="num">{formatCount(p.only_a)}</td>
            </tr>
            <tr>
              <th scope="row">a not valid</th>
              <td class="num">{formatCount(p.only_b)}</td>
              <td class="num">{formatCount(p.neither)}</td>
            </tr>
          </tbody>
        </table>
      </div>

      <h2>Scores</h2>
      <div class="table-wrap">
        <table id="score-difference-table">
          <caption>
            Each score of both runs and the difference b − a (95% interval)
          </caption>
          <thead>
            <tr>
              <th scope="col">Score</th>
              <th scope="col" class="num">a</th>
              <th scope="col" class="num">b</th>
              <th scope="col" class="num">b − a</th>
            </tr>
          </thead>
          <tbody>
            {scoreRows.map(([name, s]) => (
              <tr>
                <th scope="row">{name}</th>
                <ScoreCell p={s.a} />
                <ScoreCell p={s.b} />
                <DifferenceCell d={s.difference} />
              </tr>
            ))}
            <tr>
              <th scope="row">Valid, paired cases</th>
              <ScoreCell p={p.accuracy_a} />
              <ScoreCell p={p.accuracy_b} />
              <DifferenceCell d={p.difference} />
            </tr>
          </tbody>
        </table>
      </div>

      <h2>Timings</h2>
      <div class="table-wrap">
        <table id="timing-table">
          <caption>
            Timings (p50 / p90) over the cases each engine answered
          </caption>
          <thead>
            <tr>
              <th scope="col">Timing</th>
              <th scope="col" class="num">a p50</th>
              <th scope="col" class="num">b p50</th>
              <th scope="col" class="num">a p90</th>
              <th scope="col" class="num">b p90</th>
            </tr>
          </thead>
          <tbody>
            {timingRows.map(([name, t]) => (
              <tr>
                <th scope="row">{name}</th>
                <td class="num">{formatMs(t.a.p50)}</td>
                <td class="num">{formatMs(t.b.p50)}</td>
                <td class="num">{formatMs(t.a.p90)}</td>
                <td class="num">{formatMs(t.b.p90)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p id="latency-median" class="muted">
        Median latency with its 95% bootstrap interval: a{" "}
        <MedianText m={comparison.latency_median_ms.a} />, b{" "}
        <MedianText m={comparison.latency_median_ms.b} />.
      </p>

      <h2>Flipped cases</h2>
      <Flipped
        runId={b.runId}
        keys={p.flipped_to_b}
        total={p.only_b}
        title="Valid only in b"
      />
      <Flipped
        runId={a.runId}
        keys={p.flipped_to_a}
        total={p.only_a}
        title="Valid only in a"
      />
    </>
  );
}
