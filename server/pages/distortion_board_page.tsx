/**
 * The distortion board of a suite (`/distortion?suite=`): one row per
 * (target, N), from its latest finished public distortion run of the whole
 * suite, with Ẑ, the likelihood gap and the value divergence and their
 * 95% intervals. Rows of different N are kept apart: the estimators' bias
 * depends on N.
 *
 * @example
 * ```tsx
 * import { DistortionBoardPage } from "./distortion_board_page.tsx";
 * import type { DistortionBoardProps } from "./distortion_board_page.tsx";
 * declare const props: DistortionBoardProps;
 * <DistortionBoardPage {...props} />;
 * ```
 * @module
 */
import type { RunDistortion } from "../../evaluators/metrics/distortion.ts";
import { formatEstimate } from "./distortion_section.tsx";

/** One row of the board. */
export interface DistortionBoardRow {
  runId: string;
  targetId: string;
  targetName: string;
  kind: string;
  mode: string;
  samples: number;
  logprobsPreConstraint: boolean;
  figures: RunDistortion;
}

/** What the board shows. */
export interface DistortionBoardProps {
  suite: { id: string; name: string; version: number };
  rows: DistortionBoardRow[];
}

/**
 * The board page, as the module doc says.
 *
 * @example
 * ```tsx
 * <DistortionBoardPage suite={{ id: "s", name: "distortion/basic", version: 1 }} rows={[]} />;
 * ```
 */
export function DistortionBoardPage(props: DistortionBoardProps) {
  const { suite, rows } = props;
  return (
    <>
      <h1>
        Distortion: {suite.name} v{suite.version}
      </h1>
      <p>
        How far each engine's constrained samples are from the model's own
        distribution restricted to valid outputs (see{" "}
        <a href="/methodology">the methodology</a>). Distortion runs never stand
        on the validity board.
      </p>
      {rows.length === 0
        ? (
          <p class="muted">
            No finished public distortion run of this whole suite yet.
          </p>
        )
        : (
          <table>
            <thead>
              <tr>
                <th>target</th>
                <th>kind</th>
                <th>mode</th>
                <th>N</th>
                <th>Ẑ</th>
                <th>likelihood gap</th>
                <th>value divergence</th>
                <th>cases (Ẑ = 0)</th>
                <th>run</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <td>
                    <a href={`/targets/${encodeURIComponent(row.targetId)}`}>
                      {row.targetName}
                    </a>
                  </td>
                  <td>{row.kind}</td>
                  <td>{row.mode}</td>
                  <td>{row.samples}</td>
                  <td>{formatEstimate(row.figures.z)}</td>
                  <td>
                    {row.logprobsPreConstraint
                      ? formatEstimate(row.figures.gap)
                      : "unknown (log probabilities not known pre-constraint)"}
                  </td>
                  <td>{formatEstimate(row.figures.divergence)}</td>
                  <td>
                    {row.figures.cases} ({row.figures.z_zero_cases})
                  </td>
                  <td>
                    <a
                      href={`/runs/${encodeURIComponent(row.runId)}#distortion`}
                    >
                      report
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </>
  );
}
