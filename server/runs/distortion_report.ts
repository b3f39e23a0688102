/**
 * A distortion run's figures, from its stored samples: per case by
 * `caseDistortion` (the case's schema decides whether its support is small
 * enough for the value divergence; the gap only where the engine's log
 * probabilities are known to be pre-constraint), per run by
 * `runDistortion` (means over the cases where each is defined, bootstrap
 * over cases). Bootstrap seeds follow from the run's seed, so a report is
 * reproducible. A finished run's figures never change: they are kept
 * (`FreshCache`, dropped on any board change) rather than recomputed on
 * every read; a running run's are computed from the samples stored so far.
 *
 * @example
 * ```ts
 * import { distortionView } from "./distortion_report.ts";
 * import type { Database } from "../db/client.ts";
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const database: Database;
 * declare const run: RunRow;
 * const view = await distortionView(database, run);
 * view?.report.run.z.value; // mean Ẑ over the cases
 * ```
 * @module
 */
import {
  type CaseDistortion,
  caseDistortion,
  type DistortionSample,
  type RunDistortion,
  runDistortion,
  smallSupport,
} from "../../evaluators/metrics/distortion.ts";
import { FreshCache } from "../board/cache.ts";
import type { Database } from "../db/client.ts";
import { distortionCases } from "../db/queries/distortion.ts";
import type { RunRow } from "../db/queries/runs.ts";
import type { DistortionOptions } from "./options.ts";

/** One case's figures, by key. */
export type CaseDistortionLine = CaseDistortion & { key: string };

/** What `GET /api/runs/:id` answers as `distortion`. */
export interface DistortionReport extends DistortionOptions {
  /** The per-run figures. */
  run: RunDistortion;
  /** Every case with samples, in case order. */
  cases: CaseDistortionLine[];
}

/** A case the report page opens, with its samples. */
export interface DistortionCaseView extends CaseDistortionLine {
  samples: DistortionSample[];
}

/** The report, and the cases of largest divergence with their samples. */
export interface DistortionView {
  report: DistortionReport;
  /** At most {@link TOP_CASES}, largest bias-corrected divergence first. */
  top: DistortionCaseView[];
}

/**
 * How many cases the report page opens (largest divergence first).
 *
 * @example
 * ```ts
 * TOP_CASES; // 10
 * ```
 */
export const TOP_CASES = 10;

const finished = new FreshCache<DistortionView | null>(200, 10 * 60_000);

/**
 * The figures of a distortion run (null for any other run).
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const database: Database;
 * declare const run: RunRow;
 * (await distortionView(database, run))?.top.length; // at most 10
 * ```
 */
export function distortionView(
  database: Database,
  run: RunRow,
): Promise<DistortionView | null> {
  const options = run.options.distortion;
  if (!options) return Promise.resolve(null);
  const compute = () => computeView(database, run, options);
  return run.finishedAt ? finished.get(run.id, compute) : compute();
}

async function computeView(
  database: Database,
  run: RunRow,
  options: DistortionOptions,
): Promise<DistortionView> {
  const rows = await distortionCases(database, run.id);
  const seed = run.options.seed;
  const lines = rows.map((row, i) => ({
    key: row.key,
    samples: row.samples,
    ...caseDistortion(row.samples, {
      seed: seed + i,
      smallSupport: smallSupport(row.schema),
      logprobsPreConstraint: options.logprobs_pre_constraint,
    }),
  }));
  const figures = lines.map(({ samples: _samples, ...line }) => line);
  const top = lines.filter((line) => line.divergence)
    .sort((a, b) => b.divergence!.value - a.divergence!.value)
    .slice(0, TOP_CASES);
  return {
    report: {
      ...options,
      run: runDistortion(figures, { seed }),
      cases: figures,
    },
    top,
  };
}
