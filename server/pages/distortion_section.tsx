/**
 * The Distortion section of a distortion run's report: the per-run figures
 * with their 95% intervals (Ẑ, the likelihood gap, the value divergence),
 * the cases where Ẑ is 0 counted apart, a histogram of the per-case gaps,
 * and the cases of largest divergence, each opening its samples side by
 * side (constrained | unconstrained). Every model output is text (escaped
 * by JSX), never markup.
 *
 * @example
 * ```tsx
 * import { DistortionSection } from "./distortion_section.tsx";
 * import type { DistortionView } from "../runs/distortion_report.ts";
 * declare const view: DistortionView;
 * <DistortionSection view={view} />;
 * ```
 * @module
 */
import {
  type DistortionSample,
  type Estimate,
  perTokenLogprob,
} from "../../evaluators/metrics/distortion.ts";
import type {
  DistortionCaseView,
  DistortionView,
} from "../runs/distortion_report.ts";
import { NONE } from "./format.ts";

/** Bins of the gap histogram. */
const BINS = 10;

/** The most characters of one sample the page shows (the rest: the downloads). */
const SAMPLE_CHARS = 2000;

/**
 * A figure and its interval, as the section and the board write it.
 *
 * @example
 * ```ts
 * formatEstimate({ value: -0.25, lower: -0.5, upper: 0 }); // "-0.250 [-0.500, 0.000]"
 * formatEstimate(null); // "—"
 * ```
 */
export function formatEstimate(estimate: Estimate | null | undefined): string {
  if (!estimate || !Number.isFinite(estimate.value)) return NONE;
  const f = (x: number) => x.toFixed(3);
  return `${f(estimate.value)} [${f(estimate.lower)}, ${f(estimate.upper)}]`;
}

/** The per-case gaps, binned between their least and largest. */
function GapHistogram(props: { gaps: number[] }) {
  const { gaps } = props;
  if (gaps.length === 0) {
    return <p class="muted">No case has a likelihood gap.</p>;
  }
  const low = Math.min(...gaps);
  const high = Math.max(...gaps);
  const width = (high - low) / BINS || 1;
  const counts = Array(BINS).fill(0);
  for (const gap of gaps) {
    counts[Math.min(BINS - 1, Math.floor((gap - low) / width))]++;
  }
  const most = Math.max(...counts);
  return (
    <table class="histogram" aria-label="Per-case likelihood gaps">
      <thead>
        <tr>
          <th>gap from</th>
          <th>to</th>
          <th>cases</th>
        </tr>
      </thead>
      <tbody>
        {counts.map((count, i) => (
          <tr>
            <td>{(low + i * width).toFixed(3)}</td>
            <td>{(low + (i + 1) * width).toFixed(3)}</td>
            <td>
              <span
                class="bar"
                style={`display:inline-block;height:0.8em;background:currentColor;width:${
                  Math.round(100 * count / most)
                }px`}
              />{" "}
              {count}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One sample's cell: its text, whether it is valid, its mean log p. */
function SampleCell(props: { sample: DistortionSample | undefined }) {
  const { sample } = props;
  if (!sample) return <td>{NONE}</td>;
  const mean = perTokenLogprob(sample.token_logprobs);
  return (
    <td>
      <code>
        {sample.text === null
          ? "(no answer)"
          : sample.text.length > SAMPLE_CHARS
          ? `${
            sample.text.slice(0, SAMPLE_CHARS)
          }… (${sample.text.length} characters)`
          : sample.text}
      </code>
      <br />
      <span class="muted">
        {sample.valid ? "valid" : "not valid"}
        {mean === null ? "" : ` · log p/token ${mean.toFixed(3)}`}
      </span>
    </td>
  );
}

/** A case of large divergence, opening its samples side by side. */
function CaseSamples(props: { line: DistortionCaseView }) {
  const { line } = props;
  const arm = (name: DistortionSample["arm"]) =>
    line.samples.filter((s) => s.arm === name);
  const constrained = arm("constrained");
  const unconstrained = arm("unconstrained");
  const rows = Math.max(constrained.length, unconstrained.length);
  return (
    <details>
      <summary>
        <code>{line.key}</code>: divergence {formatEstimate(line.divergence)}
        {" "}
        · gap {formatEstimate(line.gap)} · Ẑ {formatEstimate(line.z)}
      </summary>
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>constrained</th>
            <th>unconstrained (prompt_only)</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, i) => (
            <tr>
              <td>{i}</td>
              <SampleCell sample={constrained[i]} />
              <SampleCell sample={unconstrained[i]} />
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/**
 * The section, as the module doc says.
 *
 * @example
 * ```tsx
 * import type { DistortionView } from "../runs/distortion_report.ts";
 * declare const view: DistortionView;
 * <DistortionSection view={view} />;
 * ```
 */
export function DistortionSection(props: { view: DistortionView }) {
  const { report, top } = props.view;
  const figures = report.run;
  const gaps = report.cases.flatMap((c) => c.gap ? [c.gap.value] : []);
  return (
    <section id="distortion">
      <h2>Distortion</h2>
      <p>
        {report.samples}{" "}
        samples per case in each arm (the target's constrained mode, and
        prompt_only), at temperature 1 with top_k 0, top_p 1, min_p 0 and no
        penalties. Log probabilities {report.logprobs_pre_constraint
          ? "are the engine's raw ones, before the constraint"
          : "are not known to be taken before the constraint: the gap is not computed"}.
        See <a href="/methodology">the methodology</a>.
      </p>
      <table>
        <thead>
          <tr>
            <th>figure</th>
            <th>mean [95% interval]</th>
            <th>cases</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>Ẑ (valid share of unconstrained samples)</td>
            <td>{formatEstimate(figures.z)}</td>
            <td>{figures.cases}</td>
          </tr>
          <tr>
            <td>likelihood gap (constrained − rejection samples)</td>
            <td>{formatEstimate(figures.gap)}</td>
            <td>{figures.gap?.cases ?? 0}</td>
          </tr>
          <tr>
            <td>value divergence (bias-corrected total variation)</td>
            <td>{formatEstimate(figures.divergence)}</td>
            <td>{figures.divergence?.cases ?? 0}</td>
          </tr>
        </tbody>
      </table>
      <p>
        {figures.z_zero_cases} of {figures.cases}{" "}
        cases had no valid unconstrained sample (Ẑ = 0): g cannot be estimated
        there, and they are left out of the gap and the divergence.
      </p>
      <h3>Per-case likelihood gaps</h3>
      <GapHistogram gaps={gaps} />
      <h3>Largest divergence</h3>
      {top.length === 0
        ? <p class="muted">No case has a value divergence.</p>
        : top.map((line) => <CaseSamples key={line.key} line={line} />)}
    </section>
  );
}
