/**
 * The keyword × engine matrix of one suite: its columns are the board's
 * targets on that suite (one validation mode), its rows the JSON Schema
 * keywords the suite's schemas use, grouped as the spec groups them, with
 * a row per `format` value; each cell is the verdict of
 * `evaluators/metrics/keyword_matrix.ts` on the run's stored tally. Built
 * from stored rows only (the board's rows and `run_keyword_stats`).
 *
 * @example
 * ```ts
 * import { buildKeywordMatrix } from "./keyword_matrix.ts";
 * import { DEFAULT_KEYWORD_THRESHOLDS } from "../../evaluators/metrics/keyword_matrix.ts";
 * import type { BoardRow } from "../db/queries/leaderboard.ts";
 * declare const rows: BoardRow[];
 * const matrix = buildKeywordMatrix(rows, new Map(), DEFAULT_KEYWORD_THRESHOLDS);
 * matrix.columns.length; // one per target
 * ```
 * @module
 */
import {
  type CellVerdict,
  cellVerdict,
  KEYWORD_GROUPS,
  type KeywordGroup,
  keywordGroup,
  type KeywordTally,
  type KeywordThresholds,
} from "../../evaluators/metrics/keyword_matrix.ts";
import type { BoardRow } from "../db/queries/leaderboard.ts";

/** A column: one target's latest run on the suite. */
export interface MatrixColumn {
  runId: string;
  targetId: string;
  targetName: string;
  targetKind: string;
  mode: string;
  engineVersion: string | null;
  /** The run has a stored tally (false: finished before tallies, not backfilled yet). */
  tallied: boolean;
}

/** A row: one keyword (or format value) and its cell per column. */
export interface MatrixRow {
  keyword: string;
  /** Cases of the suite that use it (the most any column counted). */
  cases: number;
  cells: (CellVerdict | null)[];
}

/** A group of rows under its heading. */
export interface MatrixGroup {
  group: KeywordGroup;
  rows: MatrixRow[];
}

/** The whole matrix. */
export interface KeywordMatrix {
  columns: MatrixColumn[];
  groups: MatrixGroup[];
  thresholds: KeywordThresholds;
}

/**
 * The matrix from the board's rows of one suite and validation mode (in
 * their board order) and the runs' stored tallies. A bare `format` row is
 * left out where rows per format value exist.
 *
 * @example
 * ```ts
 * import { DEFAULT_KEYWORD_THRESHOLDS } from "../../evaluators/metrics/keyword_matrix.ts";
 * buildKeywordMatrix([], new Map(), DEFAULT_KEYWORD_THRESHOLDS).groups; // []
 * ```
 */
export function buildKeywordMatrix(
  rows: readonly BoardRow[],
  stats: ReadonlyMap<string, Record<string, KeywordTally>>,
  thresholds: KeywordThresholds,
): KeywordMatrix {
  const columns: MatrixColumn[] = rows.map((r) => ({
    runId: r.runId,
    targetId: r.targetId,
    targetName: r.targetName,
    targetKind: r.targetKind,
    mode: r.targetMode,
    engineVersion: r.engineVersion,
    tallied: stats.has(r.runId),
  }));
  const keywords = new Map<string, number>();
  for (const c of columns) {
    for (const [k, t] of Object.entries(stats.get(c.runId) ?? {})) {
      keywords.set(k, Math.max(keywords.get(k) ?? 0, t.cases));
    }
  }
  const perFormat = [...keywords.keys()].some((k) => k.startsWith("format:"));
  if (perFormat) keywords.delete("format");
  const byGroup = new Map<KeywordGroup, MatrixRow[]>();
  for (
    const [keyword, cases] of [...keywords].sort((a, b) =>
      a[0].localeCompare(b[0])
    )
  ) {
    const group = keywordGroup(keyword);
    const list = byGroup.get(group) ?? [];
    list.push({
      keyword,
      cases,
      cells: columns.map((c) => {
        const tally = stats.get(c.runId)?.[keyword];
        return tally ? cellVerdict(tally, c.mode, thresholds) : null;
      }),
    });
    byGroup.set(group, list);
  }
  return {
    columns,
    groups: KEYWORD_GROUPS.filter((g) => byGroup.has(g)).map((group) => ({
      group,
      rows: byGroup.get(group)!,
    })),
    thresholds,
  };
}

/**
 * The matrix as flat records, one per (keyword, target), for the JSON and
 * CSV downloads.
 *
 * @example
 * ```ts
 * import type { KeywordMatrix } from "./keyword_matrix.ts";
 * declare const matrix: KeywordMatrix;
 * matrixRecords(matrix)[0]; // { group: "applicators", keyword: "anyOf", target: "…", state: "unsound", … }
 * ```
 */
export function matrixRecords(matrix: KeywordMatrix) {
  return matrix.groups.flatMap((g) =>
    g.rows.flatMap((row) =>
      matrix.columns.map((c, i) => {
        const cell = row.cells[i];
        return {
          group: g.group,
          keyword: row.keyword,
          target: c.targetName,
          target_id: c.targetId,
          run_id: c.runId,
          mode: c.mode,
          engine_version: c.engineVersion,
          state: cell?.state ?? null,
          cases: cell?.tally.cases ?? 0,
          counted: cell?.tally.e ?? 0,
          valid: cell?.tally.valid ?? 0,
          unsupported: cell?.tally.unsupported ?? 0,
          violations: cell?.tally.violations ?? 0,
          adapted: cell?.tally.adapted ?? 0,
          empirical_coverage: cell?.coverage.value ?? null,
          empirical_coverage_low: cell?.coverage.low ?? null,
          empirical_coverage_high: cell?.coverage.high ?? null,
        };
      })
    )
  );
}
