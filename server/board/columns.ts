/**
 * The board's columns: the sortable ones (rank, suite, target, every score
 * the shared list `SCORE_COLUMNS` puts on the board, the last run), each
 * with its header, its default direction (better first) and its value in
 * a row; and where the board reads each score.
 *
 * @example
 * ```ts
 * import { BOARD_SCORES, SORT_COLUMNS } from "./columns.ts";
 * SORT_COLUMNS.cost.dir; // "asc": lower is better
 * BOARD_SCORES.map((s) => s.label); // ["Empirical coverage", …, "Cost / 1k cases"]
 * ```
 * @module
 */
import {
  type ScoreColumn,
  scoreColumns,
  type ScoreKey,
} from "../../evaluators/metrics/score_columns.ts";
import type { Proportion } from "../../evaluators/metrics/stats.ts";
import type { BoardEntry } from "./model.ts";

/**
 * What a column sorts by: text, a number, or nothing (always last).
 *
 * @example
 * ```ts
 * const missing: SortValue = null;
 * ```
 */
export type SortValue = number | string | null;

/**
 * A sortable column: its header, default direction and sort value.
 *
 * @example
 * ```ts
 * const rank: SortColumn = { label: "Rank", dir: "asc", value: (e) => e.rank };
 * ```
 */
export interface SortColumn {
  label: string;
  dir: "asc" | "desc";
  /** Text columns sort alphabetically; others are better low or high. */
  text?: boolean;
  value: (entry: BoardEntry) => SortValue;
}

/**
 * How the board reads one score column off its rows.
 *
 * @example
 * ```ts
 * const ttft: BoardScoreReading = { sort: "ttft", download: "ttft_ms_p50", value: (e) => e.ttftP50 };
 * ```
 */
export interface BoardScoreReading {
  /** The column's `sort` parameter. */
  sort: string;
  /** The name of the field in the downloads (a proportion's also has `_low`, `_high`, `_n`). */
  download: string;
  /** The board's own header, where it differs from the score's label. */
  label?: string;
  value: (entry: BoardEntry) => Proportion | number | null;
}

/**
 * Where the board finds each score that `SCORE_COLUMNS` puts on it.
 *
 * @example
 * ```ts
 * BOARD_READINGS.ttft_ms.sort; // "ttft"
 * ```
 */
export const BOARD_READINGS = {
  empirical_coverage: {
    sort: "empirical",
    download: "empirical_coverage",
    value: (e) => e.empirical,
  },
  compliance: {
    sort: "compliance",
    download: "compliance",
    value: (e) => e.compliance,
  },
  declared_coverage: {
    sort: "declared",
    download: "declared_coverage",
    value: (e) => e.declared,
  },
  accuracy: { sort: "quality", download: "accuracy", value: (e) => e.accuracy },
  ttft_ms: { sort: "ttft", download: "ttft_ms_p50", value: (e) => e.ttftP50 },
  tpot_ms: { sort: "tpot", download: "tpot_ms_p50", value: (e) => e.tpotP50 },
  cost_usd: {
    sort: "cost",
    download: "cost_per_1k_cases_usd",
    label: "Cost / 1k cases",
    value: (e) => e.costPer1k,
  },
} as const satisfies { [K in ScoreKey]?: BoardScoreReading };

/**
 * A score column of the board, with how the board reads it.
 *
 * @example
 * ```ts
 * const first: BoardScore = BOARD_SCORES[0]; // empirical coverage
 * ```
 */
export type BoardScore = ScoreColumn & BoardScoreReading & { sort: SortKey };

/**
 * The board's score columns, in order: `SCORE_COLUMNS`' board view, each
 * with its reading.
 *
 * @example
 * ```ts
 * BOARD_SCORES.map((s) => s.sort); // ["empirical", "compliance", "declared", "quality", "ttft", "tpot", "cost"]
 * ```
 */
export const BOARD_SCORES: readonly BoardScore[] = scoreColumns("board").map(
  (column) => {
    const readings: {
      [K in ScoreKey]?: BoardScoreReading & { sort: SortKey };
    } = BOARD_READINGS;
    const reading = readings[column.key];
    if (!reading) {
      throw new Error(`the board does not know where to read ${column.key}`);
    }
    return { ...column, ...reading, label: reading.label ?? column.label };
  },
);

/**
 * A `sort` parameter.
 *
 * @example
 * ```ts
 * const sort: SortKey = "ttft";
 * ```
 */
export type SortKey =
  | "rank"
  | "suite"
  | "target"
  | (typeof BOARD_READINGS)[keyof typeof BOARD_READINGS]["sort"]
  | "finished";

function sortValue(value: Proportion | number | null): number | null {
  return typeof value === "number" || value === null ? value : value.value;
}

/**
 * Every sortable column, by its `sort` parameter.
 *
 * @example
 * ```ts
 * SORT_COLUMNS.ttft.dir; // "asc": lower is better
 * ```
 */
export const SORT_COLUMNS: Readonly<Record<string, SortColumn>> = {
  rank: { label: "Rank", dir: "asc", value: (e) => e.rank },
  suite: { label: "Suite", dir: "asc", text: true, value: (e) => e.suiteName },
  target: {
    label: "Target",
    dir: "asc",
    text: true,
    value: (e) => e.targetName,
  },
  ...Object.fromEntries(BOARD_SCORES.map((s) => [
    s.sort,
    {
      label: s.label,
      dir: s.better === "higher" ? "desc" : "asc",
      value: (e: BoardEntry) => sortValue(s.value(e)),
    } satisfies SortColumn,
  ])) as Record<
    (typeof BOARD_READINGS)[keyof typeof BOARD_READINGS]["sort"],
    SortColumn
  >,
  finished: {
    label: "Last run",
    dir: "desc",
    value: (e) => e.finishedAt.getTime(),
  },
};
