// Rendered once on the server, so lists need no keys (and precompiled
// hono/jsx would print `key` as an HTML attribute).
// deno-lint-ignore-file jsx-key
/**
 * `/targets/:id`: a target's score history, one point per public finished
 * run, per suite and validation mode: a chart of empirical coverage with
 * its interval over the full runs (those the board may show), marks where
 * the engine build or the model changed, and a table of every run, partial
 * ones marked with their reason, with every score and the drift flags
 * stored with each run.
 *
 * @example
 * ```tsx
 * import { TargetPage } from "./target_page.tsx";
 * import type { HistoryPoint, TargetInfo } from "./target_page.tsx";
 * declare const history: HistoryPoint[];
 * declare const target: TargetInfo;
 * <TargetPage target={target} history={history} />;
 * ```
 * @module
 */
import { modelOf } from "./run_reproduce.tsx";
import type { Proportion } from "../../evaluators/metrics/stats.ts";
import { Chart, type HistorySpec } from "./chart.tsx";
import { formatTime, NONE } from "./format.ts";
import { ScoreCell } from "./run_tables.tsx";
import { VALIDATOR_VERSION } from "../../evaluators/validation/version.ts";

/** The target, as its page shows it. */
export interface TargetInfo {
  id: string;
  name: string;
  kind: string;
  model: string | null;
  mode: string;
  hardware: string | null;
}

/** One run in the history. */
export interface HistoryPoint {
  runId: string;
  suiteId: string;
  suiteName: string;
  suiteVersion: number;
  engineVersion: string | null;
  engineModel: string | null;
  /** The run's validation mode: with the suite, a section of the page. */
  validation: string;
  hidden: boolean;
  /** A run that is not a measure of the target: why, in words. */
  partial: boolean;
  partialReason: string | null;
  /** The validator version that judged it; older ones are off the trend. */
  validatorVersion?: number;
  /** A quality pair's side, when the run is one. */
  pairRole: string | null;
  flags: string[];
  empirical: Proportion;
  compliance: Proportion;
  declared: Proportion;
  finishedAt: Date;
}

/** What the target page shows. */
export interface TargetPageProps {
  target: TargetInfo;
  /** By suite and validation mode, oldest first within them. */
  history: HistoryPoint[];
}

/**
 * Which runs changed engine build or model against the run before them
 * (the first run changes nothing), by run id.
 *
 * @example
 * ```ts
 * import type { HistoryPoint } from "./target_page.tsx";
 * declare const points: HistoryPoint[];
 * changedRuns(points); // Set { "run-3" }
 * ```
 */
export function changedRuns(points: readonly HistoryPoint[]): Set<string> {
  const changed = new Set<string>();
  for (let i = 1; i < points.length; i++) {
    const [before, after] = [points[i - 1], points[i]];
    if (
      before.engineVersion !== after.engineVersion ||
      before.engineModel !== after.engineModel
    ) changed.add(after.runId);
  }
  return changed;
}

/**
 * The chart of one suite's history (hidden and partial runs left out: the
 * chart is the trend of the board row).
 *
 * @example
 * ```ts
 * import type { HistoryPoint } from "./target_page.tsx";
 * declare const points: HistoryPoint[];
 * historySpec(points).series[0].label; // "Empirical coverage"
 * ```
 */
export function historySpec(points: readonly HistoryPoint[]): HistorySpec {
  const shown = points.filter(onTrend);
  const changed = changedRuns(shown);
  return {
    kind: "history",
    percent: true,
    x: shown.map((p) => p.finishedAt.getTime() / 1000),
    series: [
      {
        label: "Empirical coverage",
        values: shown.map((p) => p.empirical.value),
        style: "line",
      },
      {
        label: "95% low",
        values: shown.map((p) => p.empirical.low),
        style: "dashed",
      },
      {
        label: "95% high",
        values: shown.map((p) => p.empirical.high),
        style: "dashed",
      },
      {
        label: "Build or model changed",
        values: shown.map((p) =>
          changed.has(p.runId) ? p.empirical.value : null
        ),
        style: "points",
      },
    ],
  };
}

/** Whether a run is a point of its board row's trend. */
function onTrend(point: HistoryPoint): boolean {
  return !point.hidden && !point.partial && !olderValidator(point);
}

/** Judged by an older validator: not comparable with today's runs. */
function olderValidator(point: HistoryPoint): boolean {
  return point.validatorVersion !== undefined &&
    point.validatorVersion !== VALIDATOR_VERSION;
}

function SuiteHistory(props: { points: HistoryPoint[] }) {
  const { points } = props;
  const first = points[0];
  const changed = changedRuns(points.filter(onTrend));
  const title = `${first.suiteName} v${first.suiteVersion}` +
    (first.validation === "declared"
      ? ""
      : ` (${first.validation} validation)`);
  return (
    <section>
      <h2>{title}</h2>
      <Chart
        caption={`Empirical coverage on ${title}, run by run`}
        spec={historySpec(points)}
      />
      <div class="table-wrap">
        <table>
          <caption>Every public finished run on {title}, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Finished</th>
              <th scope="col">Engine build</th>
              <th scope="col">Model</th>
              <th scope="col" class="num">Empirical coverage</th>
              <th scope="col" class="num">Compliance</th>
              <th scope="col" class="num">Declared coverage</th>
              <th scope="col">Changes and flags</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr>
                <th scope="row">
                  <a href={`/runs/${encodeURIComponent(p.runId)}`}>
                    <time datetime={p.finishedAt.toISOString()}>
                      {formatTime(p.finishedAt)}
                    </time>
                  </a>
                </th>
                <td>{p.engineVersion ?? NONE}</td>
                <td>{p.engineModel ?? NONE}</td>
                <ScoreCell p={p.empirical} />
                <ScoreCell p={p.compliance} />
                <ScoreCell p={p.declared} />
                <td>
                  {changed.has(p.runId) && (
                    <span class="flag">build or model changed</span>
                  )}
                  {p.flags.map((f) => <span class="flag">{f}</span>)}
                  {p.hidden && <span class="flag">hidden</span>}
                  {olderValidator(p) && (
                    <span
                      class="flag"
                      title="judged by an older validator: not compared with today's runs (deno task rejudge)"
                    >
                      validator v{p.validatorVersion}
                    </span>
                  )}
                  {p.partial && (
                    <span class="flag" title={p.partialReason ?? undefined}>
                      partial: {p.partialReason}
                    </span>
                  )}
                  {p.pairRole === "prompt_only" && (
                    <span class="flag">quality twin</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The model the engine named in the target's latest run, if any. */
function latestEngineModel(history: readonly HistoryPoint[]): string | null {
  let latest: HistoryPoint | undefined;
  for (const p of history) {
    if (!latest || p.finishedAt.getTime() > latest.finishedAt.getTime()) {
      latest = p;
    }
  }
  return latest?.engineModel ?? null;
}

/**
 * The target page body.
 *
 * @example
 * ```tsx
 * import { Layout } from "./layout.tsx";
 * import type { PageAssets } from "../static/assets.ts";
 * import type { TargetInfo, TargetPageProps } from "./target_page.tsx";
 * declare const assets: PageAssets;
 * declare const props: TargetPageProps;
 * declare const target: TargetInfo;
 * <Layout title={target.name} assets={assets} charts><TargetPage {...props} /></Layout>
 * ```
 */
export function TargetPage(props: TargetPageProps) {
  const { target } = props;
  const bySuite = new Map<string, HistoryPoint[]>();
  for (const point of props.history) {
    const key = `${point.suiteId}/${point.validation}`;
    if (!bySuite.has(key)) bySuite.set(key, []);
    bySuite.get(key)!.push(point);
  }
  return (
    <>
      <h1>{target.name}</h1>
      <dl class="facts">
        <dt>Engine kind</dt>
        <dd>{target.kind}</dd>
        <dt>Model</dt>
        <dd>
          {modelOf(target.model, latestEngineModel(props.history))}
        </dd>
        <dt>Mode</dt>
        <dd>{target.mode}</dd>
        <dt>Hardware</dt>
        <dd>{target.hardware ?? NONE}</dd>
      </dl>
      <p>
        Drift flags are set when a run finishes, against the target's last full
        public run before it on the same suite and validation mode:{" "}
        <code>coverage_shift</code> (the intervals do not overlap),{" "}
        <code>engine_build_changed</code>,{" "}
        <code>model_changed</code>. A partial run (cases left out, generation
        parameters overridden, or over 5% of its cases lost to{" "}
        <code>infra_error</code> or{" "}
        <code>skipped</code>) is listed and marked but stays off the board, the
        chart and every drift baseline.
      </p>
      {bySuite.size === 0 && <p>No public finished runs yet.</p>}
      {[...bySuite.values()].map((points) => <SuiteHistory points={points} />)}
    </>
  );
}
