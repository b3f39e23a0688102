/**
 * The leaderboard page's view: one suite and one validation mode at a
 * time, so that ranks compare like with like. Without a suite in the URL
 * the page shows the suite with the most rows (ties: by name), and
 * without a validation mode `declared` (or, where no row has it, the mode
 * with the most rows); `suite=all` shows every suite, grouped under a
 * heading per suite. The downloads (`/api/leaderboard.*`) keep their own
 * defaults (every row): the page links to them with its resolved view.
 *
 * @example
 * ```ts
 * import { resolveBoardView } from "./view.ts";
 * import { parseBoardQuery } from "./model.ts";
 * import type { BoardRow } from "../db/queries/leaderboard.ts";
 * declare const rows: BoardRow[];
 * const query = resolveBoardView(rows, parseBoardQuery({}));
 * query.suite; // the id of the suite with the most rows
 * ```
 * @module
 */
import type { BoardRow } from "../db/queries/leaderboard.ts";
import type { BoardEntry, BoardQuery } from "./model.ts";

/**
 * The `suite` value that asks for every suite at once.
 *
 * @example
 * ```ts
 * `/?suite=${ALL_SUITES}`;
 * ```
 */
export const ALL_SUITES = "all";

/** The validation mode a board shows unless asked for another. */
export const DEFAULT_VALIDATION = "declared";

function mostCommon(
  values: readonly string[],
  order: (a: string, b: string) => number,
) {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || order(a[0], b[0]))[0]?.[0];
}

/**
 * The query with a suite named by name (`/?suite=jsb-glaive`) turned into
 * the id of that name's latest version among the rows; an id, `all`, or a
 * name no row has is kept as asked.
 *
 * @example
 * ```ts
 * import type { BoardRow } from "../db/queries/leaderboard.ts";
 * import { parseBoardQuery } from "./model.ts";
 * declare const rows: BoardRow[];
 * withSuiteId(rows, parseBoardQuery({ suite: "jsb-glaive" })).suite; // its latest version's id
 * ```
 */
export function withSuiteId(
  rows: readonly BoardRow[],
  query: BoardQuery,
): BoardQuery {
  const asked = query.suite;
  if (!asked || asked === ALL_SUITES) return query;
  if (rows.some((r) => r.suiteId === asked)) return query;
  let latest: BoardRow | undefined;
  for (const row of rows) {
    if (row.suiteName !== asked) continue;
    if (!latest || row.suiteVersion > latest.suiteVersion) latest = row;
  }
  return latest ? { ...query, suite: latest.suiteId } : query;
}

/**
 * The query with the page's defaults filled in: the validation mode, then
 * the suite with the most rows in it. A suite the URL names by name is its
 * latest version ({@link withSuiteId}); a suite or mode the URL names is
 * otherwise kept as asked (an unknown one simply shows no rows).
 *
 * @example
 * ```ts
 * import type { BoardRow } from "../db/queries/leaderboard.ts";
 * import { parseBoardQuery } from "./model.ts";
 * declare const rows: BoardRow[];
 * resolveBoardView(rows, parseBoardQuery({ suite: "all" })).suite; // "all"
 * ```
 */
export function resolveBoardView(
  rows: readonly BoardRow[],
  asked: BoardQuery,
): BoardQuery {
  const query = withSuiteId(rows, asked);
  const validation = query.validation ??
    (rows.some((r) => r.validation === DEFAULT_VALIDATION) || rows.length === 0
      ? DEFAULT_VALIDATION
      : mostCommon(
        rows.map((r) => r.validation),
        (a, b) => a.localeCompare(b),
      ));
  if (query.suite) return { ...query, validation };
  const names = new Map(
    rows.map((r) => [r.suiteId, `${r.suiteName}\u0000${1e9 - r.suiteVersion}`]),
  );
  const suite = mostCommon(
    rows.filter((r) => r.validation === validation).map((r) => r.suiteId),
    (a, b) => (names.get(a) ?? a).localeCompare(names.get(b) ?? b),
  );
  return { ...query, validation, suite: suite ?? undefined };
}

/** The rows of one suite (and validation mode), under its heading. */
export interface BoardGroup {
  suiteId: string;
  suiteName: string;
  suiteVersion: number;
  validation: string;
  entries: BoardEntry[];
}

/**
 * Rows grouped by suite and validation mode, in the order they come
 * (the board sorts suites together).
 *
 * @example
 * ```ts
 * import type { BoardEntry } from "./model.ts";
 * declare const entries: BoardEntry[];
 * for (const group of groupBySuite(entries)) console.log(group.suiteName, group.entries.length);
 * ```
 */
export function groupBySuite(entries: readonly BoardEntry[]): BoardGroup[] {
  const groups = new Map<string, BoardGroup>();
  for (const e of entries) {
    const key = `${e.suiteId}/${e.validation}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        suiteId: e.suiteId,
        suiteName: e.suiteName,
        suiteVersion: e.suiteVersion,
        validation: e.validation,
        entries: [],
      };
      groups.set(key, group);
    }
    group.entries.push(e);
  }
  return [...groups.values()];
}
