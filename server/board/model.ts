/**
 * The leaderboard's logic, apart from any database or markup: tie-aware
 * ranks within each suite, cost per 1,000 cases, filters (suite, engine
 * kind, mode), sorting by any column (lower-is-better columns ascending by
 * default, missing values always last), pages, and the URLs that carry all
 * of this state. The page and the downloads share it, so they show the
 * same rows.
 *
 * @example
 * ```ts
 * import { buildBoard, parseBoardQuery } from "./model.ts";
 * import type { BoardRow } from "../db/queries/leaderboard.ts";
 * declare const rows: BoardRow[];
 * const board = buildBoard(rows, parseBoardQuery({ sort: "ttft" }));
 * board.items[0].rank; // 1
 * ```
 * @module
 */
import { tieAwareRanks } from "../../evaluators/metrics/ranks.ts";
import type { BoardRow } from "../db/queries/leaderboard.ts";
import { ALL_SUITES } from "./view.ts";
import {
  SORT_COLUMNS,
  type SortColumn,
  type SortKey,
  type SortValue,
} from "./columns.ts";

/**
 * A board row: the run, its rank within its suite and validation mode, and
 * derived columns.
 */
export interface BoardEntry extends BoardRow {
  rank: number;
  /** Dollars per 1,000 cases: cost / cases × 1000. */
  costPer1k: number | null;
  /** Empirical coverage of the recent runs, oldest first. */
  trend: number[];
}

/** The board's state, as the URL carries it. */
export interface BoardQuery {
  /** A suite's id, or `all` (`ALL_SUITES`) for every suite. */
  suite?: string;
  /** A validation mode (`declared`, `jsb`); unset: every mode. */
  validation?: string;
  kind?: string;
  mode?: string;
  sort: SortKey;
  dir: "asc" | "desc";
  page: number;
  perPage: number;
}

/**
 * Rows per page unless `per_page` says otherwise (1..200).
 *
 * @example
 * ```ts
 * parseBoardQuery({}).perPage === DEFAULT_PER_PAGE; // true
 * ```
 */
export const DEFAULT_PER_PAGE = 50;
const MAX_PER_PAGE = 200;

function isSortKey(value: string | undefined): value is SortKey {
  return value !== undefined && Object.hasOwn(SORT_COLUMNS, value);
}

function positiveInt(raw: string | undefined, fallback: number, max: number) {
  const n = Number(raw);
  return raw && Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
}

/**
 * Reads the board's state from query parameters; anything unknown or
 * malformed falls back to the default.
 *
 * @example
 * ```ts
 * parseBoardQuery({ sort: "cost" }).dir; // "asc" (lower is better)
 * ```
 */
export function parseBoardQuery(
  params: Record<string, string | undefined>,
): BoardQuery {
  const sort = isSortKey(params.sort) ? params.sort : "rank";
  const dir = params.dir === "asc" || params.dir === "desc"
    ? params.dir
    : SORT_COLUMNS[sort].dir;
  return {
    suite: params.suite || undefined,
    validation: params.validation || undefined,
    kind: params.kind || undefined,
    mode: params.mode || undefined,
    sort,
    dir,
    page: positiveInt(params.page, 1, 1_000_000),
    perPage: positiveInt(params.per_page, DEFAULT_PER_PAGE, MAX_PER_PAGE),
  };
}

/**
 * The URL of the board (or a download of it) with `changes` applied;
 * defaults are left out.
 *
 * @example
 * ```ts
 * boardHref(parseBoardQuery({}), { sort: "ttft", dir: "asc" }); // "/?sort=ttft&dir=asc"
 * ```
 */
export function boardHref(
  query: BoardQuery,
  changes: Partial<BoardQuery> = {},
  path = "/",
): string {
  const q = { ...query, ...changes };
  const params = new URLSearchParams();
  if (q.suite) params.set("suite", q.suite);
  if (q.validation) params.set("validation", q.validation);
  if (q.kind) params.set("kind", q.kind);
  if (q.mode) params.set("mode", q.mode);
  if (q.sort !== "rank" || q.dir !== SORT_COLUMNS.rank.dir) {
    params.set("sort", q.sort);
    params.set("dir", q.dir);
  }
  if (q.page > 1) params.set("page", String(q.page));
  if (q.perPage !== DEFAULT_PER_PAGE) params.set("per_page", String(q.perPage));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * Ranks every run among the rows of its suite and validation mode (rank =
 * 1 + the number of those runs whose empirical-coverage lower bound is
 * above this one's upper bound) and derives cost per 1,000 cases.
 *
 * @example
 * ```ts
 * import type { BoardRow } from "../db/queries/leaderboard.ts";
 * declare const rows: BoardRow[];
 * rankRuns(rows).map((e) => e.rank); // [1, 1, 3]
 * ```
 */
export function rankRuns(runs: readonly BoardRow[]): BoardEntry[] {
  const bySuite = new Map<string, BoardRow[]>();
  for (const run of runs) {
    const key = `${run.suiteId}/${run.validation}`;
    if (!bySuite.has(key)) bySuite.set(key, []);
    bySuite.get(key)!.push(run);
  }
  const ranks = new Map<string, number>();
  for (const group of bySuite.values()) {
    const suiteRanks = tieAwareRanks(group.map((r) => ({
      id: r.runId,
      low: r.empirical.low,
      high: r.empirical.high,
    })));
    for (const [id, rank] of suiteRanks) ranks.set(id, rank);
  }
  return runs.map((run) => ({
    ...run,
    rank: ranks.get(run.runId)!,
    costPer1k: run.costUsd !== null && run.cases
      ? run.costUsd / run.cases * 1000
      : null,
    trend: [],
  }));
}

/**
 * The entries that pass the query's filters.
 *
 * @example
 * ```ts
 * import type { BoardEntry, BoardQuery } from "./model.ts";
 * declare const entries: BoardEntry[];
 * declare const query: BoardQuery;
 * filterEntries(entries, { ...query, kind: "llamacpp" });
 * ```
 */
export function filterEntries(
  entries: readonly BoardEntry[],
  query: Pick<BoardQuery, "suite" | "kind" | "mode" | "validation">,
): BoardEntry[] {
  return entries.filter((e) =>
    (!query.suite || query.suite === ALL_SUITES || e.suiteId === query.suite) &&
    (!query.validation || e.validation === query.validation) &&
    (!query.kind || e.targetKind === query.kind) &&
    (!query.mode || e.targetMode === query.mode)
  );
}

function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === "string" && typeof b === "string") {
    return a.localeCompare(b);
  }
  return (a as number) - (b as number);
}

/**
 * Sorts by one column; missing values go last in either direction, ties
 * by suite, rank and target name.
 *
 * @example
 * ```ts
 * import type { BoardEntry } from "./model.ts";
 * declare const entries: BoardEntry[];
 * sortEntries(entries, "tpot", "asc")[0].tpotP50; // the fastest
 * ```
 */
export function sortEntries(
  entries: readonly BoardEntry[],
  sort: SortKey,
  dir: "asc" | "desc",
): BoardEntry[] {
  const column: SortColumn = SORT_COLUMNS[sort];
  const sign = dir === "asc" ? 1 : -1;
  const bySuite = (a: BoardEntry, b: BoardEntry) =>
    a.suiteName.localeCompare(b.suiteName) ||
    b.suiteVersion - a.suiteVersion || a.suiteId.localeCompare(b.suiteId) ||
    a.validation.localeCompare(b.validation);
  const tieBreak = (a: BoardEntry, b: BoardEntry) =>
    bySuite(a, b) || a.rank - b.rank ||
    (b.empirical.value ?? -1) - (a.empirical.value ?? -1) ||
    a.targetName.localeCompare(b.targetName);
  return [...entries].sort((a, b) => {
    // Ranks only mean something within a suite and validation mode: keep
    // those together.
    if (sort === "rank") {
      const suites = bySuite(a, b);
      if (suites) return suites;
    }
    const x = column.value(a);
    const y = column.value(b);
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
      return tieBreak(a, b);
    }
    return sign * compareValues(x, y) || tieBreak(a, b);
  });
}

/** The choices of the board's filters, from every row on it. */
export interface BoardOptions {
  suites: { id: string; label: string }[];
  kinds: string[];
  modes: string[];
  validations: string[];
}

/**
 * The filter choices: every suite, engine kind and mode on the board.
 *
 * @example
 * ```ts
 * import type { BoardEntry } from "./model.ts";
 * declare const entries: BoardEntry[];
 * boardOptions(entries).kinds; // ["llamacpp", "openai"]
 * ```
 */
export function boardOptions(entries: readonly BoardRow[]): BoardOptions {
  const suites = new Map<string, { label: string; name: string; v: number }>();
  for (const e of entries) {
    suites.set(e.suiteId, {
      label: `${e.suiteName} v${e.suiteVersion}`,
      name: e.suiteName,
      v: e.suiteVersion,
    });
  }
  const distinct = (values: string[]) =>
    [...new Set(values)].sort((a, b) => a.localeCompare(b));
  return {
    suites: [...suites].sort((a, b) =>
      a[1].name.localeCompare(b[1].name) || b[1].v - a[1].v
    ).map(([id, s]) => ({ id, label: s.label })),
    kinds: distinct(entries.map((e) => e.targetKind)),
    modes: distinct(entries.map((e) => e.targetMode)),
    validations: distinct(entries.map((e) => e.validation)),
  };
}

/** A board ready to show: the filtered, sorted rows and one page of them. */
export interface Board {
  /** Every row on the board, before the filters. */
  all: BoardEntry[];
  /** Every row that passes the filters, sorted. */
  rows: BoardEntry[];
  /** The rows of the requested page. */
  items: BoardEntry[];
  page: number;
  pages: number;
  options: BoardOptions;
}

/**
 * Ranks, filters, sorts and pages the board's runs.
 *
 * @example
 * ```ts
 * import type { BoardRow } from "../db/queries/leaderboard.ts";
 * declare const runs: BoardRow[];
 * const board = buildBoard(runs, parseBoardQuery({ kind: "openai", page: "2" }));
 * board.items.length; // up to 50
 * ```
 */
export function buildBoard(
  runs: readonly BoardRow[],
  query: BoardQuery,
): Board {
  const ranked = rankRuns(runs);
  const rows = sortEntries(filterEntries(ranked, query), query.sort, query.dir);
  const pages = Math.max(1, Math.ceil(rows.length / query.perPage));
  const page = Math.min(query.page, pages);
  return {
    all: ranked,
    rows,
    items: rows.slice((page - 1) * query.perPage, page * query.perPage),
    page,
    pages,
    options: boardOptions(runs),
  };
}
