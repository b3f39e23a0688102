/**
 * What `deno task run --config` prints and writes once its matrix has
 * run: one table (a row per run, with its report URL), the JSON of
 * `--output FILE`, and the exit status (0 every threshold holds, 1 one
 * fails or a run ended otherwise than done, 2 a run measured nothing: its
 * engine could not be reached, its key was refused; 130 interrupted).
 *
 * @example
 * ```ts
 * import { exitCode, formatMatrix, matrixJson } from "./matrix_table.ts";
 * import type { MatrixRun } from "./matrix.ts";
 * declare const ran: MatrixRun;
 * console.log(formatMatrix(ran));
 * await Deno.writeTextFile("out.json", JSON.stringify(matrixJson(ran), null, 2));
 * Deno.exitCode = exitCode(ran);
 * ```
 * @module
 */
import {
  scoreColumns,
  scoreValue,
  type ScoreValues,
} from "../../evaluators/metrics/score_columns.ts";
import type { CellRun, MatrixRun } from "./matrix.ts";
import { formatProportion } from "./report.ts";
import type { Verdict } from "./thresholds.ts";

/** The proportions the table shows, as the board does. */
const SHOWN = scoreColumns("board").filter((c) => c.format === "proportion");

const figure = (value: number | null) =>
  value === null ? "none" : String(Math.round(value * 10_000) / 10_000);

/**
 * A verdict in words: `min_compliance 0.95 >= 0.9 ok`, or with `FAILED`.
 *
 * @example
 * ```ts
 * formatVerdict({ name: "min_compliance", limit: 0.9, value: 0.5, ok: false });
 * // "min_compliance 0.5 < 0.9 FAILED"
 * ```
 */
export function formatVerdict(verdict: Verdict): string {
  const min = verdict.name.startsWith("min_");
  const holds = verdict.ok ? (min ? ">=" : "<=") : (min ? "<" : ">");
  return `${verdict.name} ${figure(verdict.value)} ${
    verdict.value === null ? "(no value)" : holds
  } ${verdict.limit}${verdict.ok ? "" : " FAILED"}`;
}

function thresholdsText(cell: CellRun): string {
  if (cell.cell.thresholds.length === 0) return "-";
  if (cell.run.status !== "done") return "not checked";
  const failed = cell.verdicts.filter((v) => !v.ok);
  return failed.length
    ? failed.map(formatVerdict).join("; ")
    : `${cell.verdicts.length} ok`;
}

/**
 * The table: one row per run of the matrix, its figures, its thresholds
 * and its report URL; the matrix id on the line after it.
 *
 * @example
 * ```ts
 * import type { MatrixRun } from "./matrix.ts";
 * declare const ran: MatrixRun;
 * formatMatrix(ran).split("\n")[0];
 * // "#  suite      target  status  empirical coverage  compliance  …  thresholds  report"
 * ```
 */
export function formatMatrix(ran: MatrixRun): string {
  const header = [
    "#",
    "suite",
    "target",
    "status",
    ...SHOWN.map((c) => c.label.toLowerCase()),
    "thresholds",
    "report",
  ];
  const rows = ran.cells.map((c, i) => {
    const scores: ScoreValues = c.run.scores ?? {};
    return [
      String(i + 1),
      `${c.suite.name} v${c.suite.version}`,
      c.target.name,
      `${c.run.status}${c.made ? "" : " (earlier)"}`,
      ...SHOWN.map((column) => {
        const value = scoreValue(scores, column);
        return value === null || typeof value === "number"
          ? "-"
          : formatProportion(value);
      }),
      thresholdsText(c),
      c.url,
    ];
  });
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const render = (row: string[]) =>
    row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  return [
    render(header),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map(render),
    "",
    `matrix ${ran.matrixId}: ${ran.cells.length} run(s)${
      ran.interrupted ? ", interrupted" : ""
    }`,
  ].join("\n");
}

/**
 * The exit status of a matrix run (see the module's doc).
 *
 * @example
 * ```ts
 * import type { MatrixRun } from "./matrix.ts";
 * declare const ran: MatrixRun;
 * exitCode(ran); // 0 when every run is done and every threshold holds
 * ```
 */
export function exitCode(ran: MatrixRun): number {
  if (ran.interrupted) return 130;
  if (ran.cells.some((c) => c.run.status === "failed")) return 2;
  const fails = ran.cells.some((c) =>
    c.run.status !== "done" || c.verdicts.some((v) => !v.ok)
  );
  return fails ? 1 : 0;
}

/**
 * What `--output FILE` holds: the matrix, its exit status, and per run
 * its cell, ids, status, report URL, scores and verdicts.
 *
 * @example
 * ```ts
 * import type { MatrixRun } from "./matrix.ts";
 * declare const ran: MatrixRun;
 * const json = matrixJson(ran);
 * json.runs[0].thresholds; // [{ name: "min_empirical_coverage", limit: 0.5, value: 0.8, ok: true }]
 * ```
 */
export function matrixJson(ran: MatrixRun) {
  return {
    matrix_id: ran.matrixId,
    exit_code: exitCode(ran),
    interrupted: ran.interrupted,
    runs: ran.cells.map((c) => ({
      cell: c.cell.key,
      suite: c.suite,
      target: { id: c.target.id, name: c.target.name },
      run_id: c.run.id,
      status: c.run.status,
      failure_reason: c.run.failure_reason ?? null,
      made_now: c.made,
      report_url: c.url,
      options: c.cell.options,
      public: c.cell.public,
      progress: c.run.progress,
      scores: c.run.scores ?? null,
      thresholds: c.verdicts,
    })),
  };
}
