/**
 * The keyword × engine matrix of a suite:
 * - `GET /keywords?suite=&validation=`: the page (no suite: the board's
 *   default suite; validation default `declared`)
 * - `GET /api/keywords.json?suite=&validation=` and `/api/keywords.csv`:
 *   one record per (keyword, target), with the cell's state and counts.
 *
 * Built from stored rows only: the board's rows of the suite and each
 * run's keyword tally (`run_keyword_stats`), never the results.
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../../app.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.route("/", keywordRoutes(deps));
 * ```
 * @module
 */
import { type Context, Hono } from "hono";
import type { AppDeps } from "../../app.ts";
import {
  buildKeywordMatrix,
  matrixRecords,
} from "../../board/keyword_matrix.ts";
import { buildBoard, parseBoardQuery } from "../../board/model.ts";
import { ALL_SUITES, resolveBoardView } from "../../board/view.ts";
import { keywordStatsOf } from "../../db/queries/keyword_stats.ts";
import { leaderboardRows } from "../../db/queries/leaderboard.ts";
import { getSuite, listSuites } from "../../db/queries/suites.ts";
import { KeywordMatrixPage } from "../../pages/keyword_matrix_page.tsx";
import { csvLine, csvText } from "../../http/csv.ts";
import { message, render } from "./render.ts";

/** Targets (columns) a matrix shows at most. */
const MAX_COLUMNS = 200;

/** The CSV's columns, in order (the JSON records' fields). */
const CSV_COLUMNS = [
  "group",
  "keyword",
  "target",
  "target_id",
  "run_id",
  "mode",
  "engine_version",
  "state",
  "cases",
  "counted",
  "valid",
  "unsupported",
  "violations",
  "adapted",
  "empirical_coverage",
  "empirical_coverage_low",
  "empirical_coverage_high",
] as const;

/**
 * The keyword routes.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../../app.ts";
 * declare const deps: AppDeps;
 * const res = await keywordRoutes(deps).request("/keywords");
 * ```
 */
export function keywordRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const db = deps.database;

  /** The matrix the query asks for, or null when there is no such suite. */
  const matrixOf = async (c: Context) => {
    const rows = await leaderboardRows(db);
    const asked = parseBoardQuery({
      suite: c.req.query("suite"),
      validation: c.req.query("validation"),
    });
    const query = resolveBoardView(rows, asked);
    if (!query.suite || query.suite === ALL_SUITES) return null;
    const suite = await getSuite(db, query.suite);
    if (!suite) return null;
    const board = buildBoard(rows, { ...query, perPage: MAX_COLUMNS });
    const columns = board.rows.slice(0, MAX_COLUMNS);
    const stats = await keywordStatsOf(db, columns.map((r) => r.runId));
    const matrix = buildKeywordMatrix(
      columns,
      stats,
      deps.env.keywordThresholds,
    );
    return { suite, validation: query.validation ?? "declared", matrix };
  };

  app.get("/keywords", async (c) => {
    const found = await matrixOf(c);
    if (!found) {
      return message(
        c,
        404,
        "No such suite",
        "Name a suite: /keywords?suite=ID (every suite is listed on /suites).",
      );
    }
    const suites = await listSuites(db, { limit: 500 });
    return render(
      c,
      { title: `Keywords: ${found.suite.name}` },
      KeywordMatrixPage({ ...found, suites }),
    );
  });

  app.get("/api/keywords.json", async (c) => {
    const found = await matrixOf(c);
    if (!found) {
      return c.json({
        error: { code: "not_found", message: "no such suite", path: "suite" },
      }, 404);
    }
    return c.json({
      suite: {
        id: found.suite.id,
        name: found.suite.name,
        version: found.suite.version,
      },
      validation: found.validation,
      thresholds: {
        refused_share: found.matrix.thresholds.refusedShare,
        unsound_min_cases: found.matrix.thresholds.unsoundMinCases,
        unsound_share: found.matrix.thresholds.unsoundShare,
      },
      items: matrixRecords(found.matrix),
      next_cursor: null,
    });
  });

  app.get("/api/keywords.csv", async (c) => {
    const found = await matrixOf(c);
    if (!found) return c.text("no such suite\n", 404);
    const body = csvLine(CSV_COLUMNS) +
      matrixRecords(found.matrix).map((r) =>
        csvLine(CSV_COLUMNS.map((k) => {
          const v = r[k];
          return typeof v === "string" ? csvText(v) : v;
        }))
      ).join("");
    return c.body(body, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="keywords.csv"',
    });
  });

  return app;
}
