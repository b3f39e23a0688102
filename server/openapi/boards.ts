/**
 * The document's entries for the views across runs: the leaderboard
 * downloads, the keyword matrix, a suite's ranking and the comparison of
 * two runs.
 *
 * @example
 * ```ts
 * import { BOARD_ROUTES } from "./boards.ts";
 * BOARD_ROUTES.map((r) => r.path); // ["/api/leaderboard.json", …]
 * ```
 * @module
 */
import { SORT_COLUMNS } from "../board/columns.ts";
import {
  closed,
  page,
  type QueryParam,
  ref,
  type RouteSpec,
  T,
} from "./spec.ts";

const VALIDATION = {
  name: "validation",
  description:
    "The validation mode: `declared` (each schema's own draft, the default) or `jsb` (JSONSchemaBench's).",
  schema: { type: "string", enum: ["declared", "jsb"] },
};

const BOARD_QUERY: QueryParam[] = [
  { name: "suite", description: "A suite's id (default: every suite)." },
  VALIDATION,
  { name: "kind", description: "Only targets of this kind." },
  { name: "mode", description: "Only targets in this mode." },
  {
    name: "sort",
    description: "The column to order by (unknown: rank).",
    schema: { type: "string", enum: Object.keys(SORT_COLUMNS) },
  },
  {
    name: "dir",
    description: "The order (default: the column's better end first).",
    schema: { type: "string", enum: ["asc", "desc"] },
  },
];

const KEYWORD_QUERY: QueryParam[] = [
  { name: "suite", description: "The suite's id.", required: true },
  VALIDATION,
];

const CSV = { contentType: "text/csv", schema: { type: "string" } };

/** The leaderboard, keyword matrix, ranking and compare entries. */
export const BOARD_ROUTES: RouteSpec[] = [
  {
    method: "get",
    path: "/api/leaderboard.json",
    summary: "The leaderboard's rows",
    description:
      "The latest finished public run of each target and suite, with the page's filters and order, all rows at once.",
    query: BOARD_QUERY,
    ok: 200,
    response: page(ref("board_row"), {
      hidden_runs: {
        type: "integer",
        description: "Runs taken off the board under these filters.",
      },
    }),
  },
  {
    method: "get",
    path: "/api/leaderboard.csv",
    summary: "The leaderboard's rows as CSV",
    query: BOARD_QUERY,
    ok: 200,
    response: CSV,
  },
  {
    method: "get",
    path: "/api/keywords.json",
    summary: "A suite's keyword × engine matrix",
    description:
      "One record per keyword and target: refused, adapted, unsound or coverage, with the counts.",
    query: KEYWORD_QUERY,
    ok: 200,
    errors: [404],
    response: page(ref("keyword_record"), {
      suite: closed({ id: T.uuid, name: T.string, version: T.int }),
      validation: T.string,
      thresholds: closed({
        refused_share: T.number,
        unsound_min_cases: T.int,
        unsound_share: T.number,
      }),
    }),
  },
  {
    method: "get",
    path: "/api/keywords.csv",
    summary: "The keyword × engine matrix as CSV",
    query: KEYWORD_QUERY,
    ok: 200,
    response: CSV,
    also: {
      "404": {
        description: "no such suite",
        schema: { contentType: "text/plain", schema: { type: "string" } },
      },
    },
  },
  {
    method: "get",
    path: "/api/suites/{id}/ranking",
    summary: "A suite's ranking",
    description:
      "The latest finished public full run of each target on the suite in one validation mode, with tie-aware ranks on empirical coverage (overlapping intervals share a rank).",
    pathParams: { id: "The suite's id." },
    query: [VALIDATION],
    ok: 200,
    response: page(ref("ranking_entry"), {
      suite_id: T.uuid,
      validation: T.string,
    }),
  },
  {
    method: "get",
    path: "/api/compare",
    summary: "Compare two runs of one suite",
    description:
      "The paired comparison of valid / not valid per case (McNemar's exact p-value, the cases that flipped either way) and the difference of every score with its 95% interval (b − a).",
    query: [
      { name: "a", description: "A run's id.", required: true },
      { name: "b", description: "Another run's id.", required: true },
    ],
    ok: 200,
    response: ref("comparison"),
    errors: [404],
  },
];
