// Rendered once on the server, so lists need no keys (and precompiled
// hono/jsx would print `key` as an HTML attribute).
// deno-lint-ignore-file jsx-key
/**
 * `/runs/:id`: a run's report. A reproducibility header (suite name,
 * version and hash; the engine as it described itself; target, model and
 * mode; every stored option, the prompt template and the validation mode
 * included; start and end), live progress while it runs, the scores (a
 * quality run's accuracy among them), for one side of a quality pair the
 * pair's comparison (`quality_pair.tsx`), the outcome chart and table, the per-subset and per-keyword tables, and the case
 * list.
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
import { statusLabel } from "./run_status.ts";
import { isActive } from "../runs/status.ts";
import {
  SCORE_COLUMNS,
  scoreValue,
} from "../../evaluators/metrics/score_columns.ts";
import { CaseList, caseListHref, type CaseListProps } from "./case_list.tsx";
import {
  formatCount,
  formatInterval,
  formatPercent,
  formatTime,
  formatUsd,
  NONE,
} from "./format.ts";
import { QualityPairSection, type QualityPairView } from "./quality_pair.tsx";
import {
  type GroupScores,
  type KeywordLine,
  KeywordTable,
  OutcomeSection,
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
}

function text(value: unknown): string {
  if (value === null || value === undefined) return NONE;
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function sortedEntries(record: Record<string, unknown>): [string, unknown][] {
  return Object.entries(record).sort((a, b) => a[0].localeCompare(b[0]));
}

function Facts(props: { entries: [string, unknown][] }) {
  return (
    <dl class="facts">
      {props.entries.map(([name, value]) => (
        <>
          <dt>{name}</dt>
          <dd>{text(value)}</dd>
        </>
      ))}
    </dl>
  );
}

function PromptTemplate(props: { template: unknown }) {
  const t = props.template as Record<string, unknown> | null | undefined;
  if (!t || typeof t !== "object") return <p>No prompt template stored.</p>;
  return (
    <details>
      <summary>Prompt template</summary>
      {(["system", "user", "user_with_prompt"] as const).map((part) => (
        <>
          <h4>{part}</h4>
          <pre><code>{text(t[part])}</code></pre>
        </>
      ))}
      <p>
        Few-shot examples: {Array.isArray(t.few_shot) ? t.few_shot.length : 0}
      </p>
    </details>
  );
}

function Header(props: RunPageProps) {
  const { run, suite, target } = props;
  const options = run.options;
  const { prompt_template: template, ...scalars } = options;
  return (
    <section aria-labelledby="reproduce">
      <h2 id="reproduce">What was run</h2>
      <Facts
        entries={[
          [
            "Suite",
            suite
              ? `${suite.name} v${suite.version} (${suite.caseCount} cases)`
              : run.id,
          ],
          ["Suite hash", suite?.hash ?? null],
          [
            "Target",
            target
              ? `${target.name}: ${target.kind}, model ${
                target.model ?? "not stated"
              }, mode ${target.mode}`
              : null,
          ],
          ["Hardware", target?.hardware ?? null],
          ["Validation", options.validation ?? null],
          ["Mode", options.mode ?? target?.mode ?? null],
          ["Status", statusLabel(run)],
          ["Visibility", run.public ? "public" : "private"],
          ["Trigger", run.trigger],
          ["Created", formatTime(run.createdAt)],
          ["Started", formatTime(run.startedAt)],
          ["Finished", formatTime(run.finishedAt)],
        ]}
      />
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
      <h3>Engine</h3>
      {run.engine
        ? <Facts entries={sortedEntries(run.engine)} />
        : <p>The engine has not described itself yet.</p>}
      <h3>Options</h3>
      <Facts entries={sortedEntries(scalars)} />
      <PromptTemplate template={template} />
    </section>
  );
}

function Progress(props: { run: RunView; total: number; done: number }) {
  return (
    <section
      aria-labelledby="progress"
      data-progress-url={`/api/runs/${encodeURIComponent(props.run.id)}`}
      data-events-url={`/api/runs/${
        encodeURIComponent(props.run.id)
      }/events?interval_ms=2000`}
    >
      <h2 id="progress">Progress</h2>
      <progress max={Math.max(1, props.total)} value={props.done}>
        {formatPercent(props.total ? props.done / props.total : null)}
      </progress>
      <p aria-live="polite" data-progress-text="">
        {props.done} of {props.total} cases done ({statusLabel(props.run)})
      </p>
      <p>
        <a href={`/runs/${encodeURIComponent(props.run.id)}`}>Reload</a>{" "}
        for the latest scores.
      </p>
    </section>
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

function Headline(props: { scores: RunScoresView; live: boolean }) {
  const s = props.scores;
  return (
    <section aria-labelledby="scores">
      <h2 id="scores">Scores</h2>
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
  const active = isActive(run.status) && !run.finishedAt;
  const pending = Math.max(0, progress.total - progress.done);
  return (
    <>
      <h1>
        Run of {target ? target.name : "an unknown target"} on{" "}
        {suite ? `${suite.name} v${suite.version}` : "an unknown suite"}
      </h1>
      {run.status === "failed" && <FailedBanner run={run} />}
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
      {active && (
        <Progress run={run} total={progress.total} done={progress.done} />
      )}
      <Header {...props} />
      <Headline scores={scores} live={props.live} />
      {props.quality && run.options.pair_run_id && (
        <QualityPairSection
          runId={run.id}
          role={run.options.pair_role ?? "constrained"}
          otherRunId={run.options.pair_run_id}
          quality={props.quality}
        />
      )}
      <OutcomeSection
        byOutcome={progress.by_outcome}
        pending={pending}
        answerInReasoning={scores.answer_in_reasoning}
      />
      <SubsetTable bySubset={scores.by_subset ?? {}} />
      <KeywordTable
        byKeyword={scores.by_keyword ?? {}}
        caseHref={(keyword) => caseListHref(run.id, { keyword })}
        failingHref={(failing) => caseListHref(run.id, { failing })}
      />
      <CaseList {...props.cases} />
    </>
  );
}
