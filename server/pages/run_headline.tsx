/**
 * The top of a run report, the answer first: the status, the three
 * scores (and quality where there is one) as big numbers with their
 * intervals and n, the outcome bar with its legend, and for a live run
 * its progress (a run that measured nothing opens with its verdict,
 * `failed_banner.tsx`, just above). A live
 * run's headline is kept current by `progress.js` from the run's event
 * stream: every number it changes carries a `data-*` hook.
 *
 * @example
 * ```tsx
 * import { RunHeadline } from "./run_headline.tsx";
 * import type { RunHeadlineProps } from "./run_headline.tsx";
 * declare const props: RunHeadlineProps;
 * <RunHeadline {...props} />;
 * ```
 * @module
 */
import type { Proportion } from "../../evaluators/metrics/stats.ts";
import { formatInterval, formatPercent, NONE } from "./format.ts";
import { OutcomeBar } from "./outcome_bar.tsx";
import { RUN_STATUS_LOOK, statusLook } from "./statuses.ts";
import { statusLabel } from "./run_status.ts";

/** The headline's scores, as a run's summary stores them. */
export interface HeadlineScores {
  empirical_coverage?: Proportion;
  compliance?: Proportion;
  declared_coverage?: Proportion;
  accuracy?: Proportion;
}

/** What the headline needs. */
export interface RunHeadlineProps {
  run: {
    id: string;
    status: string;
    failureReason?: string | null;
    /** A `waiting_for_engine` run: since when its engine has been down. */
    waitingSince?: Date | null;
    /** Milliseconds it waited for its engine before the current wait. */
    engineWaitedMs?: number;
  };
  scores: HeadlineScores;
  progress: { total: number; done: number; by_outcome: Record<string, number> };
  /** The run still has work: show progress, and let the script follow it. */
  active: boolean;
}

/** The three scores, in the order a reader wants them, then quality. */
const TILES: { key: keyof HeadlineScores; label: string; hint: string }[] = [
  {
    key: "empirical_coverage",
    label: "Empirical coverage",
    hint: "valid answers among the cases that count",
  },
  {
    key: "compliance",
    label: "Compliance",
    hint: "valid answers among the schemas the engine accepted",
  },
  {
    key: "declared_coverage",
    label: "Declared coverage",
    hint: "schemas the engine accepted",
  },
  {
    key: "accuracy",
    label: "Quality (accuracy)",
    hint: "correct answers among the cases with a known answer",
  },
];

function Tile(
  props: { name: string; label: string; hint: string; p?: Proportion },
) {
  const p = props.p;
  const known = p && p.value !== null;
  return (
    <div class="tile" data-score={props.name}>
      <dt>{props.label}</dt>
      <dd>
        <span class="big" data-score-value="">
          {known ? formatPercent(p.value) : NONE}
        </span>
        <span class="interval" data-score-interval="">
          {known ? `[${formatInterval(p)}] n=${p.n}` : "nothing counted yet"}
        </span>
        <span class="hint">{props.hint}</span>
      </dd>
    </div>
  );
}

/**
 * The headline block.
 *
 * @example
 * ```tsx
 * <RunHeadline
 *   run={{ id: "r1", status: "done" }}
 *   scores={{ empirical_coverage: { value: 0.5, low: 0.2, high: 0.8, n: 10 } }}
 *   progress={{ total: 10, done: 10, by_outcome: { valid: 5, truncated: 5 } }}
 *   active={false}
 * />
 * ```
 */
export function RunHeadline(props: RunHeadlineProps) {
  const { run, scores, progress } = props;
  const status = statusLook(run.status);
  // A wait for the engine says since when (and a past one, how long).
  const note = run.status === "waiting_for_engine" || run.engineWaitedMs
    ? statusLabel(run)
    : status.note;
  const pending = Math.max(0, progress.total - progress.done);
  const eventsUrl = `/api/runs/${
    encodeURIComponent(run.id)
  }/events?interval_ms=2000`;
  return (
    <section
      class="headline"
      aria-labelledby="headline"
      data-progress-url={props.active
        ? `/api/runs/${encodeURIComponent(run.id)}`
        : undefined}
      data-events-url={props.active ? eventsUrl : undefined}
    >
      <h2 id="headline" class="visually-hidden">Headline</h2>
      <p class="status-line">
        <span
          class={`status status-${status.tone}`}
          data-status=""
          data-looks={JSON.stringify(
            Object.entries(RUN_STATUS_LOOK).map((
              [s, l],
            ) => [s, l.label, l.tone]),
          )}
        >
          {status.label}
        </span>{" "}
        <span data-progress-text="" aria-live="polite">
          {progress.done} of {progress.total} cases done
        </span>
        {note && <span class="muted">{` · ${note}`}</span>}
      </p>
      {props.active && (
        <progress max={Math.max(1, progress.total)} value={progress.done}>
          {formatPercent(
            progress.total ? progress.done / progress.total : null,
          )}
        </progress>
      )}
      <dl class="tiles">
        {TILES.filter((t) => t.key !== "accuracy" || scores.accuracy).map((
          t,
        ) => (
          <Tile name={t.key} label={t.label} hint={t.hint} p={scores[t.key]} />
        ))}
      </dl>
      <OutcomeBar byOutcome={progress.by_outcome} pending={pending} />
    </section>
  );
}
