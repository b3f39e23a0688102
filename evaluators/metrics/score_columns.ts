/**
 * The score columns: one list of every score a table shows (its key in a
 * run's summary, its header, which way is better, how it is written, and
 * the tables that show it), read by the leaderboard (page and CSV), the
 * run page and the CLI's report, so that a new score is one entry here.
 *
 * @example
 * ```ts
 * import { scoreColumns, scoreValue } from "./score_columns.ts";
 * for (const column of scoreColumns("groups")) {
 *   console.log(column.label, scoreValue({ ttft_ms: { p50: 40 } }, column));
 * }
 * ```
 * @module
 */
import type { RunSummary, Spread } from "./scores.ts";
import type { Proportion } from "./stats.ts";

/**
 * The fields of a run's summary that the score columns show.
 *
 * @example
 * ```ts
 * import type { ScoreKey } from "./score_columns.ts";
 * const key: ScoreKey = "ttft_ms";
 * ```
 */
export type ScoreKey =
  | "empirical_coverage"
  | "compliance"
  | "declared_coverage"
  | "accuracy"
  | "key_order"
  | "latency_ms"
  | "ttft_ms"
  | "tpot_ms"
  | "cost_usd";

/**
 * Where a score column is shown: `board`, the leaderboard's rows (the page
 * and its CSV download); `groups`, the tables with one row per group of
 * results (a run page's subsets, the CLI's score table).
 *
 * @example
 * ```ts
 * import type { ScoreView } from "./score_columns.ts";
 * const view: ScoreView = "board";
 * ```
 */
export type ScoreView = "board" | "groups";

/**
 * One score as every table shows it.
 *
 * @example
 * ```ts
 * import type { ScoreColumn } from "./score_columns.ts";
 * const column: ScoreColumn = {
 *   key: "compliance",
 *   label: "Compliance",
 *   better: "higher",
 *   format: "proportion",
 *   views: ["board", "groups"],
 * };
 * ```
 */
export interface ScoreColumn {
  /** The summary's field ({@link RunSummary}); downloads name it so. */
  key: ScoreKey;
  /** The column's header. */
  label: string;
  /** The name in full, where there is room (a run's headline); default: the label. */
  title?: string;
  better: "higher" | "lower";
  /** A proportion with its interval, a timing (its p50) or dollars. */
  format: "proportion" | "ms" | "usd";
  /** The tables that show it. */
  views: readonly ScoreView[];
  /**
   * Where a view shows it ahead of the list's order (lower first; default
   * 0, keeping the list's order).
   */
  first?: Partial<Record<ScoreView, number>>;
}

/**
 * Every score column, in the order every table shows them: the board, the
 * run page, the CSV download and the CLI report read this list, so a new
 * score is one entry here (and the field that holds it).
 *
 * @example
 * ```ts
 * import { SCORE_COLUMNS } from "./score_columns.ts";
 * SCORE_COLUMNS.filter((c) => c.views.includes("groups")).map((c) => c.label);
 * // ["Empirical coverage", "Compliance", "Declared coverage", "Key order", "Latency p50", "TTFT p50", "TPOT p50"]
 * // (a view shows them in that order but for `first`: see scoreColumns)
 * ```
 */
export const SCORE_COLUMNS: readonly ScoreColumn[] = [
  {
    key: "empirical_coverage",
    label: "Empirical coverage",
    better: "higher",
    format: "proportion",
    views: ["board", "groups"],
  },
  {
    key: "compliance",
    label: "Compliance",
    better: "higher",
    format: "proportion",
    views: ["board", "groups"],
  },
  {
    key: "declared_coverage",
    label: "Declared coverage",
    better: "higher",
    format: "proportion",
    views: ["board", "groups"],
    // The per-subset tables read left to right as the pipeline does:
    // accepted, then valid, then valid when accepted.
    first: { groups: -1 },
  },
  {
    key: "accuracy",
    label: "Quality",
    title: "Quality (accuracy)",
    better: "higher",
    format: "proportion",
    views: ["board"],
  },
  {
    key: "key_order",
    label: "Key order",
    title: "Key order (keys in the schema's order)",
    better: "higher",
    format: "proportion",
    views: ["groups"],
  },
  {
    key: "latency_ms",
    label: "Latency p50",
    better: "lower",
    format: "ms",
    views: ["groups"],
  },
  {
    key: "ttft_ms",
    label: "TTFT p50",
    better: "lower",
    format: "ms",
    views: ["board", "groups"],
  },
  {
    key: "tpot_ms",
    label: "TPOT p50",
    better: "lower",
    format: "ms",
    views: ["board", "groups"],
  },
  {
    key: "cost_usd",
    label: "Cost",
    better: "lower",
    format: "usd",
    views: ["board"],
  },
];

/**
 * The score columns one view shows, in order.
 *
 * @example
 * ```ts
 * import { scoreColumns } from "./score_columns.ts";
 * scoreColumns("board").map((c) => c.key);
 * // ["empirical_coverage", "compliance", "declared_coverage", "accuracy", "ttft_ms", "tpot_ms", "cost_usd"]
 * ```
 */
export function scoreColumns(view: ScoreView): ScoreColumn[] {
  return SCORE_COLUMNS.filter((c) => c.views.includes(view))
    .map((column, index) => ({ column, index }))
    .sort((a, b) =>
      (a.column.first?.[view] ?? 0) - (b.column.first?.[view] ?? 0) ||
      a.index - b.index
    )
    .map(({ column }) => column);
}

/**
 * What the score columns read of a run's or a group's scores.
 *
 * @example
 * ```ts
 * import type { ScoreValues } from "./score_columns.ts";
 * const values: ScoreValues = { ttft_ms: { p50: 40 } };
 * ```
 */
export type ScoreValues =
  & Partial<
    Pick<
      RunSummary,
      | "declared_coverage"
      | "empirical_coverage"
      | "compliance"
      | "accuracy"
      | "key_order"
      | "cost_usd"
    >
  >
  & {
    latency_ms?: Partial<Spread>;
    ttft_ms?: Partial<Spread>;
    tpot_ms?: Partial<Spread>;
  };

/**
 * The value of a score column in a run's or a group's scores: the
 * proportion, a timing's p50, or the dollars (null when there is none).
 *
 * @example
 * ```ts
 * import { SCORE_COLUMNS, scoreValue } from "./score_columns.ts";
 * scoreValue({ ttft_ms: { p50: 40 } }, SCORE_COLUMNS[6]); // 40
 * ```
 */
export function scoreValue(
  scores: ScoreValues,
  column: ScoreColumn,
): Proportion | number | null {
  switch (column.key) {
    case "empirical_coverage":
    case "compliance":
    case "declared_coverage":
    case "accuracy":
    case "key_order":
    case "cost_usd":
      return scores[column.key] ?? null;
    case "latency_ms":
    case "ttft_ms":
    case "tpot_ms":
      return scores[column.key]?.p50 ?? null;
  }
}
