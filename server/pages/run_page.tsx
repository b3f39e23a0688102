// Rendered once on the server, so lists need no keys (and precompiled
// hono/jsx would print `key` as an HTML attribute).
// deno-lint-ignore-file jsx-key
/**
 * `/runs/:id`: a run's report, the answer first. The headline
 * (`run_headline.tsx`: status, the three scores with intervals, the
 * outcome bar; kept live while the run works), jump links, for one side
 * of a quality pair the pair's comparison (`quality_pair.tsx`), the case
 * list (failures by default), every score with the outcome table, the
 * per-keyword and per-subset tables, and the reproducibility block folded
 * at the end (`run_reproduce.tsx`).
 *
 * @example
 * ```tsx
 * import { RunPage } from "./run_page.tsx";
 * import type { CaseListProps } from "./case_list.tsx";
 * import type { RunPageProps, RunScoresView, RunView, SuiteView, TargetView } from "./run_page.tsx";
 * declare const cases: CaseListProps;
 * declare const progress: RunPageProps["progress"];
 * declare const run: RunView;
 * declare const scores: RunScoresView;
 * declare const suite: SuiteView;
 * declare const target: TargetView;
 * <RunPage run={run} suite={suite} target={target} progress={progress} scores={scores} live={false} cases={cases} />;
 * ```
 * @module
 */
import type { Proportion } from "../../evaluators/metrics/stats.ts";
import type { EngineDescription } from "../../evaluators/targets/target.ts";
import type { RunOptions } from "../runs/options.ts";
import { FailedBanner } from "./failed_banner.tsx";
import {
  SCORE_COLUMNS,
  scoreValue,
} from "../../evaluators/metrics/score_columns.ts";
import { CaseList, caseListHref, type CaseListProps } from "./case_list.tsx";
import {
  formatCount,
  formatInterval,
  formatPercent,
  formatUsd,
  NONE,
} from "./format.ts";
import { RunHeadline } from "./run_headline.tsx";
import { Reproducibility } from "./run_reproduce.tsx";
import { QualityPairSection, type QualityPairView } from "./quality_pair.tsx";
import { DistortionSection } from "./distortion_section.tsx";
import type { DistortionView } from "../runs/distortion_report.ts";
import {
  type GroupScores,
  type KeywordLine,
  KeywordTable,
  OutcomeTable,
  SubsetTable,
} from "./run_tables.tsx";

/** The run as the report shows it. */
export interface RunView {
  id: string;
  status: string;
  trigger: string;
  public: boolean;
  hidden: boolean;
  hiddenReason: string | null;
  flags: string[];
  error: string | null;
  /** A `failed` run: why it measured nothing (`server/runs/failure.ts`). */
  failureReason?: string | null;
  /** A partial run (`server/runs/partial.ts`): never on the board. */
  partial?: boolean;
  partialReason?: string | null;
  /** A `waiting_for_engine` run: since when its engine has been down. */
  waitingSince?: Date | null;
  /** Milliseconds it waited for its engine before the current wait. */
  engineWaitedMs?: number;
  engine: EngineDescription | null;
  options: RunOptions;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** The suite the run answered. */
export interface SuiteView {
  id: string;
  name: string;
  version: number;
  hash: string;
  caseCount: number;
}

/** The target that answered. */
export interface TargetView {
  id: string;
  name: string;
  kind: string;
  model: string | null;
  mode: string;
  hardware: string | null;
}

/** A run's scores (its stored summary, or computed live). */
export interface RunScoresView extends GroupScores {
  by_subset?: Record<string, GroupScores>;
  by_keyword?: Record<string, KeywordLine>;
  accuracy?: Proportion;
  cost_usd?: number;
  tokens?: { prompt: number; completion: number };
  answer_in_reasoning?: number;
}

/** What the report shows. */
export interface RunPageProps {
  run: RunView;
  suite: SuiteView | null;
  target: TargetView | null;
  progress: { total: number; done: number; by_outcome: Record<string, number> };
  scores: RunScoresView;
  /** The scores were computed from the results now, not stored. */
  live: boolean;
  cases: CaseListProps;
  /** One side of a quality pair: the pair's comparison. */
  quality?: QualityPairView | null;
  /** A distortion run: its figures and its largest-divergence cases. */
  distortion?: DistortionView | null;
  /** The run still has work (its status is an active one): the page follows it live. */
  active?: boolean;
}

function Facts(props: { entries: [string, string][] }) {
  return (
    <dl class="facts">
      {props.entries.map(([name, value]) => (
        <>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </>
      ))}
    </dl>
  );
}

/** The jump links under the headline. */
function JumpLinks(props: { quality: boolean; suiteId: string | null }) {
  const links: [string, string][] = [
    ["#cases", "Failures"],
    ["#all-scores", "Scores"],
    ...(props.quality
      ? [["#quality", "Quality pair"] as [string, string]]
      : []),
    ["#keywords", "By keyword"],
    ["#subsets", "By subset"],
    ["#reproduce", "Reproducibility"],
  ];
  return (
    <nav class="jump" aria-label="On this page">
      <ul>
        {links.map(([href, label]) => (
          <li>
            <a href={href}>{label}</a>
          </li>
        ))}
        {props.suiteId && (
          <li>
            <a href={`/keywords?suite=${encodeURIComponent(props.suiteId)}`}>
              Keyword matrix of the suite
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

/** The headline's score lines: every proportion and every dollar score. */
function scoreLines(s: RunScoresView): [string, string][] {
  const lines: [string, string][] = [];
  for (const column of SCORE_COLUMNS) {
    const value = scoreValue(s, column);
    const label = column.title ?? column.label;
    if (column.format === "usd") {
      lines.push([label, formatUsd(typeof value === "number" ? value : null)]);
    } else if (column.format === "proportion" && typeof value !== "number") {
      // A group score always has its line; another only when present.
      if (value === null && !column.views.includes("groups")) continue;
      lines.push([
        label,
        value && value.value !== null
          ? `${formatPercent(value.value)} [${
            formatInterval(value)
          }], n=${value.n}`
          : NONE,
      ]);
    }
  }
  return lines;
}

function AllScores(
  props: {
    scores: RunScoresView;
    live: boolean;
    byOutcome: Record<string, number>;
    pending: number;
  },
) {
  const s = props.scores;
  return (
    <section aria-labelledby="all-scores">
      <h2 id="all-scores">Scores</h2>
      {props.live && (
        <p class="notice">
          Computed live from the results so far; the run is not finished.
        </p>
      )}
      <Facts
        entries={[
          ...scoreLines(s),
          [
            "Tokens",
            s.tokens
              ? `${formatCount(s.tokens.prompt)} prompt, ${
                formatCount(s.tokens.completion)
              } completion`
              : NONE,
          ],
        ]}
      />
      <OutcomeTable
        byOutcome={props.byOutcome}
        pending={props.pending}
        answerInReasoning={s.answer_in_reasoning}
      />
    </section>
  );
}

/**
 * The run report body.
 *
 * @example
 * ```tsx
 * import { Layout } from "./layout.tsx";
 * import type { PageAssets } from "../static/assets.ts";
 * import type { RunPageProps } from "./run_page.tsx";
 * declare const assets: PageAssets;
 * declare const props: RunPageProps;
 * <Layout title="Run" assets={assets} charts><RunPage {...props} /></Layout>
 * ```
 */
export function RunPage(props: RunPageProps) {
  const { run, suite, target, progress, scores } = props;
  const active = props.active ?? false;
  const pending = Math.max(0, progress.total - progress.done);
  const quality = Boolean(props.quality && run.options.pair_run_id);
  return (
    <>
      <h1>
        Run of {target ? target.name : "an unknown target"} on{" "}
        {suite ? `${suite.name} v${suite.version}` : "an unknown suite"}
      </h1>
      {run.status === "failed" && <FailedBanner run={run} />}
      <RunHeadline
        run={run}
        scores={scores}
        progress={progress}
        active={active}
      />
      <Notices run={run} />
      <JumpLinks quality={quality} suiteId={suite?.id ?? null} />
      {props.distortion && <DistortionSection view={props.distortion} />}
      {props.quality && run.options.pair_run_id && (
        <QualityPairSection
          runId={run.id}
          role={run.options.pair_role ?? "constrained"}
          otherRunId={run.options.pair_run_id}
          quality={props.quality}
        />
      )}
      <CaseList {...props.cases} />
      <AllScores
        scores={scores}
        live={props.live}
        byOutcome={progress.by_outcome}
        pending={pending}
      />
      <KeywordTable
        byKeyword={scores.by_keyword ?? {}}
        caseHref={(keyword) =>
          caseListHref(run.id, { keyword, outcome: "all" })}
        failingHref={(failing) =>
          caseListHref(run.id, { failing, outcome: "all" })}
      />
      <SubsetTable bySubset={scores.by_subset ?? {}} />
      <Reproducibility run={run} suite={suite} target={target} />
      <p class="muted">
        Run <code>{run.id}</code>
        {target && (
          <>
            {" · "}
            <a href={`/targets/${encodeURIComponent(target.id)}`}>
              target history
            </a>
          </>
        )}
        {" · "}
        <a href={`/api/runs/${encodeURIComponent(run.id)}`}>JSON</a>
        {" · "}
        <a href={`/api/runs/${encodeURIComponent(run.id)}/results.jsonl`}>
          results (JSONL)
        </a>
        {" · "}
        <a href={`/api/runs/${encodeURIComponent(run.id)}/results.csv`}>
          results (CSV)
        </a>
      </p>
    </>
  );
}

/** Hidden, partial, stopped, drift: what a reader must know besides the scores. */
function Notices(props: { run: RunView }) {
  const { run } = props;
  return (
    <>
      {run.hidden && (
        <p class="notice">
          Hidden from the leaderboard{run.hiddenReason
            ? `: ${run.hiddenReason}`
            : ""}.
        </p>
      )}
      {run.partial && (
        <p class="notice" id="partial-notice">
          Partial run, not on the leaderboard{run.partialReason
            ? `: ${run.partialReason}`
            : ""}.
        </p>
      )}
      {run.error && run.status !== "failed" && (
        <p class="notice">Stopped: {run.error}</p>
      )}
      {run.flags.length > 0 && (
        <p>
          Drift flags: {run.flags.map((f) => <span class="flag">{f}</span>)}
        </p>
      )}
    </>
  );
}
