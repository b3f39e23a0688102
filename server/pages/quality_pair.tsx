/**
 * A quality pair on a run's page: the constrained run's accuracy and its
 * `prompt_only` twin's, the paired difference (constrained − prompt_only)
 * with its interval, McNemar's exact p, the cases only one side got right
 * (each a link to its case page in both runs), and a link to the other run
 * of the pair. Shown on both runs' pages.
 *
 * @example
 * ```tsx
 * import { QualityPairSection } from "./quality_pair.tsx";
 * import type { QualityPairView } from "./quality_pair.tsx";
 * declare const quality: QualityPairView;
 * <QualityPairSection runId="run-a" role="constrained" otherRunId="run-b" quality={quality} />;
 * ```
 * @module
 */
import type { Difference } from "../../evaluators/metrics/paired.ts";
import type { Proportion } from "../../evaluators/metrics/stats.ts";
import { caseHref } from "./case_list.tsx";
import {
  formatCount,
  formatInterval,
  formatP,
  formatPercent,
  formatPoints,
  NONE,
} from "./format.ts";

/**
 * A quality pair as the run report gives it (`quality` in
 * `GET /api/runs/:id`).
 *
 * @example
 * ```ts
 * import type { QualityPairView } from "./quality_pair.tsx";
 * const none = { value: null, low: null, high: null, n: 0 };
 * const view: QualityPairView = {
 *   pairs: 0,
 *   constrained: none,
 *   prompt_only: none,
 *   difference: { value: null, low: null, high: null },
 *   mcnemar_p: 1,
 *   only_constrained_right: [],
 *   only_prompt_only_right: [],
 * };
 * ```
 */
export interface QualityPairView {
  /** Cases scored in both runs. */
  pairs: number;
  constrained: Proportion;
  prompt_only: Proportion;
  /** Constrained − prompt_only, with its paired interval. */
  difference: Difference;
  mcnemar_p: number;
  only_constrained_right: string[];
  only_prompt_only_right: string[];
  /** The full counts, when the lists are cut. */
  discordant?: {
    only_constrained_right: number;
    only_prompt_only_right: number;
  };
}

/**
 * What {@link QualityPairSection} shows.
 *
 * @example
 * ```ts
 * import type { QualityPairProps, QualityPairView } from "./quality_pair.tsx";
 * declare const quality: QualityPairView;
 * const props: QualityPairProps = { runId: "a", role: "prompt_only", otherRunId: "b", quality };
 * ```
 */
export interface QualityPairProps {
  /** The run whose page this is. */
  runId: string;
  /** Its side of the pair. */
  role: "constrained" | "prompt_only";
  /** The other run of the pair. */
  otherRunId: string;
  quality: QualityPairView;
}

function accuracyText(p: Proportion): string {
  return p.value === null
    ? NONE
    : `${formatPercent(p.value)} [${formatInterval(p)}], n=${p.n}`;
}

function differenceText(d: Difference): string {
  if (d.value === null) return NONE;
  const interval = d.low === null || d.high === null
    ? NONE
    : `${formatPoints(d.low)} to ${formatPoints(d.high)}`;
  return `${formatPoints(d.value)} [${interval}]`;
}

function OneSideRight(
  props: {
    id: string;
    title: string;
    keys: string[];
    total: number;
    constrainedRun: string;
    twinRun: string;
  },
) {
  return (
    <section id={props.id}>
      <h3>{props.title} ({formatCount(props.total)})</h3>
      {props.keys.length === 0 ? <p>None.</p> : (
        <ul>
          {props.keys.map((key) => (
            <li>
              <a href={caseHref(props.constrainedRun, key)}>{key}</a>{" "}
              <span class="muted">
                (<a href={caseHref(props.twinRun, key)}>in the twin</a>)
              </span>
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
 * The quality pair's section of a run page.
 *
 * @example
 * ```tsx
 * import type { QualityPairView } from "./quality_pair.tsx";
 * declare const quality: QualityPairView;
 * <QualityPairSection runId="a" role="constrained" otherRunId="b" quality={quality} />;
 * ```
 */
export function QualityPairSection(props: QualityPairProps) {
  const q = props.quality;
  const constrainedRun = props.role === "constrained"
    ? props.runId
    : props.otherRunId;
  const twinRun = props.role === "constrained" ? props.otherRunId : props.runId;
  const otherHref = `/runs/${encodeURIComponent(props.otherRunId)}`;
  return (
    <section aria-labelledby="quality-pair" id="quality">
      <h2 id="quality-pair">Quality pair</h2>
      <p>
        {props.role === "constrained"
          ? (
            <>
              This run is constrained; its twin answered the same cases without
              the schema enforced (<code>prompt_only</code>):{" "}
              <a href={otherHref} id="twin-link">the twin run</a>.
            </>
          )
          : (
            <>
              This run is the <code>prompt_only</code>{" "}
              twin of a constrained run:{" "}
              <a href={otherHref} id="twin-link">the constrained run</a>.
            </>
          )}
      </p>
      <dl class="facts">
        <dt>Accuracy, constrained</dt>
        <dd id="accuracy-constrained">{accuracyText(q.constrained)}</dd>
        <dt>Accuracy, prompt_only</dt>
        <dd id="accuracy-prompt-only">{accuracyText(q.prompt_only)}</dd>
        <dt>Difference (constrained − prompt_only)</dt>
        <dd id="accuracy-difference">{differenceText(q.difference)}</dd>
        <dt>McNemar p</dt>
        <dd id="mcnemar-p">
          {formatP(q.mcnemar_p)}{" "}
          <span class="muted">
            (exact, two-sided, over {formatCount(q.pairs)}{" "}
            cases scored in both runs)
          </span>
        </dd>
      </dl>
      <OneSideRight
        id="only-constrained-right"
        title="Only the constrained run got right"
        keys={q.only_constrained_right}
        total={q.discordant?.only_constrained_right ??
          q.only_constrained_right.length}
        constrainedRun={constrainedRun}
        twinRun={twinRun}
      />
      <OneSideRight
        id="only-prompt-only-right"
        title="Only the prompt_only twin got right"
        keys={q.only_prompt_only_right}
        total={q.discordant?.only_prompt_only_right ??
          q.only_prompt_only_right.length}
        constrainedRun={constrainedRun}
        twinRun={twinRun}
      />
    </section>
  );
}
