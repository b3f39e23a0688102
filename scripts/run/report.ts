/**
 * What `deno task run` shows: the progress line it keeps on stderr while a
 * run goes, and the score table it prints on stdout at the end. Pure
 * functions of the run's JSON (as `GET /api/runs/:id` gives it), so the
 * output can be tested without a database or an engine.
 *
 * @example
 * ```ts
 * import { formatProgress, formatReport, type RunJson } from "./report.ts";
 * declare const runJson: RunJson;
 * console.error(formatProgress({ done: 3, total: 10, elapsedMs: 1500, byOutcome: { valid: 3 } }));
 * // "   3/10 [######--------------]  30% 2.0 cases/s ETA 4s  valid 3"
 * console.log(formatReport(runJson, { suite: "smoke v1", target: "local" }));
 * ```
 * @module
 */
import { formatMs, formatUsd } from "../../server/pages/format.ts";
import {
  scoreColumns,
  scoreValue,
  type ScoreValues,
} from "../../evaluators/metrics/score_columns.ts";
import type { Scores } from "../../evaluators/metrics/scores.ts";
import type { Proportion } from "../../evaluators/metrics/stats.ts";
import { OUTCOMES } from "../../evaluators/outcome.ts";
import type {
  Estimate,
  RunDistortion,
} from "../../evaluators/metrics/distortion.ts";

/**
 * The scores of a run as `GET /api/runs/:id` shows them (the outcome
 * counts live under `progress`).
 *
 * @example
 * ```ts
 * declare const run: RunJson;
 * const scores: RunScoresJson = run.scores;
 * scores.by_subset["Github_easy"].compliance.value; // 0.9
 * ```
 */
export type RunScoresJson = Omit<Scores, "by_outcome" | "done" | "total"> & {
  by_subset: Record<string, Scores>;
};

/**
 * The run as `GET /api/runs/:id` answers (the fields the report reads).
 *
 * @example
 * ```ts
 * declare const server: string;
 * declare const id: string;
 * const run = await (await fetch(`${server}/api/runs/${id}`)).json() as RunJson;
 * run.progress.by_outcome.valid; // 25
 * ```
 */
export interface RunJson {
  id: string;
  status: string;
  engine: Record<string, unknown> | null;
  error?: unknown;
  /** A `failed` run: why it measured nothing. */
  failure_reason?: string | null;
  started_at: string | null;
  finished_at: string | null;
  progress: {
    total: number;
    done: number;
    by_outcome: Record<string, number>;
  };
  scores: RunScoresJson;
  /** A distortion run's figures. */
  distortion?: { samples: number; run: RunDistortion };
}

/**
 * A proportion as `0.83 [0.71, 0.91]` (its value and 95% interval), or `-`
 * when nothing counted towards it.
 *
 * @example
 * ```ts
 * formatProportion({ value: 0.8, low: 0.49, high: 0.943, n: 10 }); // "0.80 [0.49, 0.94]"
 * formatProportion({ value: null, low: null, high: null, n: 0 }); // "-"
 * ```
 */
export function formatProportion(p: Proportion): string {
  if (p.value === null || p.low === null || p.high === null) return "-";
  return `${p.value.toFixed(2)} [${p.low.toFixed(2)}, ${p.high.toFixed(2)}]`;
}

/**
 * A duration in seconds as `45s`, `2m 05s` or `1h 02m`.
 *
 * @example
 * ```ts
 * formatDuration(4.2); // "4s"
 * formatDuration(125); // "2m 05s"
 * formatDuration(3720); // "1h 02m"
 * ```
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${pad(Math.floor(s % 3600 / 60))}m`;
}

/**
 * The estimated time left: `ETA 2m 05s`, `ETA ?` before the first case
 * ends, `done` when nothing is left.
 *
 * @example
 * ```ts
 * formatEta(7, 10, 3500); // "ETA 2s" (2 cases/s, 3 left)
 * formatEta(0, 10, 3500); // "ETA ?"
 * formatEta(10, 10, 3500); // "done"
 * ```
 */
export function formatEta(
  done: number,
  total: number,
  elapsedMs: number,
): string {
  if (done >= total) return "done";
  if (done <= 0 || elapsedMs <= 0) return "ETA ?";
  const rate = done / (elapsedMs / 1000);
  return `ETA ${formatDuration((total - done) / rate)}`;
}

/**
 * A text progress bar of `width` cells.
 *
 * @example
 * ```ts
 * progressBar(1, 4, 8); // "[##------]"
 * ```
 */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = total > 0
    ? Math.min(width, Math.floor(done / total * width))
    : 0;
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

/**
 * The outcomes that occurred, in the outcome table's order, as
 * `valid 7 · schema_violation 2`; cases without an outcome yet are
 * `pending N` when `total` is given.
 *
 * @example
 * ```ts
 * formatOutcomes({ valid: 7, schema_violation: 2, truncated: 0 }); // "valid 7 · schema_violation 2"
 * formatOutcomes({ valid: 1 }, 3); // "valid 1 · pending 2"
 * ```
 */
export function formatOutcomes(
  byOutcome: Record<string, number>,
  total?: number,
): string {
  const known = new Set<string>(OUTCOMES);
  const names = [
    ...OUTCOMES,
    ...Object.keys(byOutcome).filter((k) => !known.has(k)).sort(),
  ];
  const parts = names.filter((o) => (byOutcome[o] ?? 0) > 0).map((o) =>
    `${o} ${byOutcome[o]}`
  );
  const done = Object.values(byOutcome).reduce((a, b) => a + b, 0);
  if (total !== undefined && total > done) {
    parts.push(`pending ${total - done}`);
  }
  return parts.length ? parts.join(" · ") : "none yet";
}

/**
 * What the progress line shows.
 *
 * @example
 * ```ts
 * const state: ProgressState = { done: 3, total: 10, elapsedMs: 1500, byOutcome: { valid: 3 } };
 * ```
 */
export interface ProgressState {
  /** Cases with an outcome. */
  done: number;
  total: number;
  /** Since this process started driving the run. */
  elapsedMs: number;
  byOutcome: Record<string, number>;
}

/**
 * One progress line: done/total, a bar, the percentage, the rate, the ETA
 * and the outcome counts so far.
 *
 * @example
 * ```ts
 * formatProgress({ done: 3, total: 10, elapsedMs: 1500, byOutcome: { valid: 2, truncated: 1 } });
 * // "   3/10 [######--------------]  30% 2.0 cases/s ETA 4s  valid 2 · truncated 1"
 * ```
 */
export function formatProgress(state: ProgressState): string {
  const { done, total, elapsedMs } = state;
  const width = String(total).length;
  const percent = total > 0 ? Math.floor(done / total * 100) : 100;
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const head = [
    `${String(done).padStart(Math.max(width, 4))}/${total}`,
    progressBar(done, total),
    `${String(percent).padStart(3)}%`,
    `${rate.toFixed(rate < 10 ? 1 : 0)} cases/s`,
    formatEta(done, total, elapsedMs),
  ].join(" ");
  return `${head}  ${formatOutcomes(state.byOutcome)}`;
}

/** The score columns of the table, after the subset, cases and valid. */
const SCORES = scoreColumns("groups");

/** The table's columns, in order. */
const COLUMNS = [
  "subset",
  "cases",
  "valid",
  ...SCORES.map((column) => column.label.toLowerCase()),
];

interface TableRow {
  name: string;
  cases: number;
  valid: number;
  scores: ScoreValues;
}

function rowCells(row: TableRow): string[] {
  return [
    row.name,
    String(row.cases),
    String(row.valid),
    ...SCORES.map((column) => {
      const value = scoreValue(row.scores, column);
      if (typeof value === "number" || value === null) {
        return column.format === "usd"
          ? (value === null ? "-" : formatUsd(value))
          : formatMs(value, "-");
      }
      return formatProportion(value);
    }),
  ];
}

/**
 * The score table: one row for the whole run (`all`), then one per subset
 * (left out when every case is in the unnamed subset, which would repeat
 * `all`). Text left-aligned, numbers right-aligned.
 *
 * @example
 * ```ts
 * declare const run: RunJson;
 * formatScoreTable(run).split("\n")[0];
 * // "subset  cases  valid  declared coverage  empirical coverage  compliance         key order  latency p50  ttft p50  tpot p50"
 * ```
 */
export function formatScoreTable(
  run: Pick<RunJson, "progress" | "scores">,
): string {
  const rows: TableRow[] = [{
    name: "all",
    cases: run.progress.total,
    valid: run.progress.by_outcome.valid ?? 0,
    scores: run.scores,
  }];
  const subsets = Object.entries(run.scores.by_subset ?? {});
  if (!(subsets.length === 1 && subsets[0][0] === "(none)")) {
    for (const [name, scores] of subsets) {
      rows.push({
        name,
        cases: scores.total,
        valid: scores.by_outcome.valid ?? 0,
        scores,
      });
    }
  }
  const cells = [[...COLUMNS], ...rows.map(rowCells)];
  const widths = COLUMNS.map((_, i) =>
    Math.max(...cells.map((line) => line[i].length))
  );
  const render = (line: string[], header = false) =>
    line.map((cell, i) =>
      // Text and proportions (a value and its interval) left, numbers right.
      i === 0 || header || SCORES[i - 3]?.format === "proportion"
        ? cell.padEnd(widths[i])
        : cell.padStart(widths[i])
    ).join("  ").trimEnd();
  return [
    render(cells[0], true),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...cells.slice(1).map((line) => render(line)),
  ].join("\n");
}

/**
 * Labels for the report's header lines.
 *
 * @example
 * ```ts
 * const labels: ReportLabels = { suite: "smoke v1", target: "llamacpp http://127.0.0.1:8091 json_schema" };
 * ```
 */
export interface ReportLabels {
  suite: string;
  target: string;
}

function engineText(engine: Record<string, unknown> | null): string {
  if (!engine) return "not described yet";
  if (typeof engine.error === "string") return engine.error;
  const parts = [engine.engine, engine.version].filter((v) =>
    typeof v === "string" && v
  );
  const details = [
    typeof engine.model === "string" ? engine.model : null,
    typeof engine.slots === "number" ? `${engine.slots} slots` : null,
  ].filter(Boolean);
  return `${parts.join(" ")}${
    details.length ? ` (${details.join(", ")})` : ""
  }`;
}

/**
 * The whole end-of-run report: what ran, the score table, the outcome
 * counts and the run id.
 *
 * @example
 * ```ts
 * declare const run: RunJson;
 * console.log(formatReport(run, { suite: "smoke v1", target: "local" }));
 * // suite   smoke v1
 * // target  local
 * // engine  llama.cpp b6000 (tiny-0.gguf, 4 slots)
 * // status  done, 30 cases in 12.3 s
 * //
 * // subset  cases  valid  declared coverage ...
 * // ...
 * //
 * // outcomes: valid 25 · schema_violation 5
 * // run id: 0b5e…
 * ```
 */
export function formatReport(run: RunJson, labels: ReportLabels): string {
  const { total, done } = run.progress;
  const seconds = run.started_at && run.finished_at
    ? (Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000
    : null;
  const failed = run.status === "failed" && run.failure_reason
    ? ` (${run.failure_reason}: nothing was measured)`
    : "";
  const status = `${run.status}${failed}, ${done}/${total} cases${
    seconds === null ? "" : ` in ${seconds.toFixed(1)} s`
  }`;
  return [
    `suite   ${labels.suite}`,
    `target  ${labels.target}`,
    `engine  ${engineText(run.engine)}`,
    `status  ${status}`,
    "",
    formatScoreTable(run),
    "",
    `outcomes: ${formatOutcomes(run.progress.by_outcome, total)}`,
    ...(run.distortion ? distortionLines(run.distortion) : []),
    `run id: ${run.id}`,
  ].join("\n");
}

/** A distortion run's per-run figures, one line each. */
function distortionLines(
  d: { samples: number; run: RunDistortion },
): string[] {
  const f = (e: Estimate | null) =>
    e
      ? `${e.value.toFixed(3)} [${e.lower.toFixed(3)}, ${e.upper.toFixed(3)}]`
      : "-";
  return [
    `distortion (N=${d.samples}, ${d.run.cases} cases, ${d.run.z_zero_cases} with Ẑ = 0):`,
    `  Ẑ ${f(d.run.z)} · gap ${f(d.run.gap)} · divergence ${
      f(d.run.divergence)
    }`,
  ];
}
