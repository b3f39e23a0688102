/**
 * The public pages, server-rendered with hono/jsx and usable without
 * JavaScript:
 * - `/`: the leaderboard (`?suite=&kind=&mode=&sort=&dir=&page=&per_page=`)
 * - `/runs/:id`: a run's report, with its case list
 *   (`?outcome=&subset=&keyword=&failing=&page=`)
 * - `/runs/:id/cases/:key`: one case of a run
 * - `/compare?a=RUN&b=RUN` (or two `run=` values, from the board's form)
 * - `/targets/:id`: a target's history
 * - `/methodology`: `docs/methodology.md`
 * - `/api/docs`: the API's interactive reference (`pages/api_docs.ts`)
 * - `/keywords`, `/api/keywords.json`, `/api/keywords.csv`: the keyword
 *   matrix (`pages/keywords.ts`)
 * - `/suites`, `/suites/:id`, `/suites/:id/cases/:key` (`pages/suites.ts`)
 * - `/distortion?suite=`, `/api/distortion.json`: the distortion board
 * - `/static/:name`: the stylesheet and scripts, uPlot included, cached
 *   for a year under content-hashed URLs.
 *
 * Handlers load data through `db/queries/` and hand it to the components
 * in `pages/` as props.
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../app.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.route("/", pageRoutes(deps));
 * ```
 * @module
 */
import { Hono } from "hono";
import type { AppDeps } from "../app.ts";
import {
  boardTrends,
  hiddenRunCount,
  leaderboardRows,
  targetHistory,
  trendKey,
} from "../db/queries/leaderboard.ts";
import { boardVersion } from "../db/queries/board_version.ts";
import { caseDetail, caseListPage } from "../db/queries/run_cases.ts";
import type { RunRow } from "../db/queries/runs.ts";
import { isActive } from "../runs/status.ts";
import { getSuite, listSuites } from "../db/queries/suites.ts";
import { getTarget } from "../db/queries/targets.ts";
import { CasePage } from "../pages/case_page.tsx";
import { CASE_OUTCOME_CHOICES, FAILURES } from "../pages/case_list.tsx";
import { LeaderboardPage } from "../pages/leaderboard_page.tsx";
import { buildBoard, parseBoardQuery } from "../board/model.ts";
import { ALL_SUITES, resolveBoardView } from "../board/view.ts";
import { MethodologyPage } from "../pages/methodology_page.tsx";
import { FreshCache, PageCache } from "../board/cache.ts";
import { RunPage, type RunScoresView } from "../pages/run_page.tsx";
import { TargetPage } from "../pages/target_page.tsx";
import { runQualityPair, runReport } from "../runs/report.ts";
import { findAsset } from "../static/assets.ts";
import { message, pageHtml, render, SECURITY_HEADERS } from "./pages/render.ts";
import { apiDocsRoutes } from "./pages/api_docs.ts";
import { keywordRoutes } from "./pages/keywords.ts";
import { keepBody, type KeptBody, sendKept } from "../http/kept_body.ts";
import { suitePageRoutes } from "./pages/suites.ts";
import { distortionView } from "../runs/distortion_report.ts";
import { distortionPageRoutes } from "./pages/distortion.ts";
import { comparePageRoutes } from "./pages/compare.ts";
import { visibleRun } from "./pages/visible_run.ts";

/** The most suites the board's filter lists. */
const MAX_SUITES_LISTED = 500;

/** Cases per page of a run's case list. */
const CASES_PER_PAGE = 50;

const METHODOLOGY = new URL("../../docs/methodology.md", import.meta.url);

function positivePage(raw: string | undefined): number {
  const n = Number(raw);
  return raw && Number.isInteger(n) && n >= 1 ? Math.min(n, 1_000_000) : 1;
}

/** The scores and progress of a run: stored when it has finished, else live. */
async function runScores(deps: AppDeps, run: RunRow) {
  const summary = run.summary;
  if (summary) {
    const scores: RunScoresView = summary;
    return {
      live: false,
      scores,
      progress: {
        // Summaries stored by older versions may lack the counts.
        total: summary.total ?? 0,
        done: summary.done ?? 0,
        by_outcome: (summary.by_outcome ?? {}) as Record<string, number>,
      },
    };
  }
  const report = await runReport(deps.database, run);
  const scores: RunScoresView = report.scores;
  return {
    live: true,
    scores,
    progress: {
      ...report.progress,
      by_outcome: report.progress.by_outcome as Record<string, number>,
    },
  };
}

/**
 * The public pages sub-app.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app.ts";
 * declare const deps: AppDeps;
 * const res = await pageRoutes(deps).request("/");
 * ```
 */
export function pageRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const db = deps.database;
  app.route("/", apiDocsRoutes());
  app.route("/", keywordRoutes(deps));
  app.route("/", suitePageRoutes(deps));
  app.route("/", distortionPageRoutes(deps));
  app.route("/", comparePageRoutes(deps));

  // The board is the same for every reader: rendered once per version of
  // the stored runs and served from memory until a run finishes, is hidden
  // or published, or a target changes.
  // Kept encoded and compressed (http/kept_body.ts): a cached board is sent
  // as bytes, not re-encoded or re-compressed each time.
  const boardPages = new PageCache<KeptBody>(100);
  // The data version itself is re-read only after a change this process
  // made, or once a second (changes by other processes): see board/cache.ts.
  const versions = new FreshCache<string>(1);
  const version = () => versions.get("board", () => boardVersion(db));
  app.get("/", async (c) => {
    const asked = parseBoardQuery(c.req.query());
    const html = await boardPages.get(
      JSON.stringify(asked),
      await version(),
      async () => {
        const [rows, suites] = await Promise.all([
          leaderboardRows(db),
          listSuites(db, { limit: MAX_SUITES_LISTED }),
        ]);
        const query = resolveBoardView(rows, asked);
        const board = buildBoard(rows, query);
        const trends = await boardTrends(db, board.items);
        for (const entry of board.items) {
          entry.trend = trends.get(trendKey(entry)) ?? [];
        }
        const hiddenRuns = await hiddenRunCount(db, {
          suiteId: query.suite === ALL_SUITES ? undefined : query.suite,
          kind: query.kind,
          mode: query.mode,
        });
        return keepBody(
          await pageHtml(
            { title: "Leaderboard" },
            LeaderboardPage({ board, query, hiddenRuns, suites }),
          ),
        );
      },
    );
    return sendKept(c, html, {
      ...SECURITY_HEADERS,
      "content-type": "text/html; charset=UTF-8",
    });
  });

  app.get("/runs/:id", async (c) => {
    const run = await visibleRun(deps, c, c.req.param("id"));
    if (!run) return message(c, 404, "Not found", "There is no such run.");
    const [suite, target, { live, scores, progress }, quality, distortion] =
      await Promise.all([
        getSuite(db, run.suiteId),
        getTarget(db, run.targetId),
        runScores(deps, run),
        runQualityPair(db, run),
        distortionView(db, run),
      ]);
    const q = c.req.query();
    const outcome = q.outcome && CASE_OUTCOME_CHOICES.includes(q.outcome)
      ? q.outcome
      : FAILURES;
    const filter = {
      outcome,
      subset: q.subset || undefined,
      keyword: q.keyword || undefined,
      failing: q.failing || undefined,
    };
    const page = positivePage(q.page);
    const rows = await caseListPage(db, run.id, {
      ...filter,
      limit: CASES_PER_PAGE + 1,
      offset: (page - 1) * CASES_PER_PAGE,
    });
    const active = isActive(run.status) && !run.finishedAt;
    return render(
      c,
      {
        title: `Run of ${target?.name ?? "?"} on ${suite?.name ?? "?"}`,
        progressRun: active ? run.id : undefined,
      },
      RunPage({
        run: { ...run, flags: run.flags ?? [] },
        active,
        suite,
        target,
        progress,
        scores,
        live,
        quality,
        distortion,
        cases: {
          runId: run.id,
          rows: rows.slice(0, CASES_PER_PAGE),
          filter,
          page,
          hasNext: rows.length > CASES_PER_PAGE,
          subsets: Object.keys(scores.by_subset ?? {}).filter((s) =>
            s !== "(none)"
          ),
          keywords: Object.keys(scores.by_keyword ?? {}),
        },
      }),
    );
  });

  app.get("/runs/:id/cases/:key{.+}", async (c) => {
    const run = await visibleRun(deps, c, c.req.param("id"));
    if (!run) return message(c, 404, "Not found", "There is no such run.");
    const key = c.req.param("key");
    const [detail, suite, target] = await Promise.all([
      caseDetail(db, run, key),
      getSuite(db, run.suiteId),
      getTarget(db, run.targetId),
    ]);
    if (!detail) {
      return message(
        c,
        404,
        "Not found",
        "This run has no case with that key.",
      );
    }
    const runLabel = `${target?.name ?? "run"} on ${suite?.name ?? "?"} v${
      suite?.version ?? "?"
    }`;
    return render(
      c,
      { title: `Case ${key}` },
      CasePage({ runId: run.id, runLabel, detail }),
    );
  });

  app.get("/targets/:id", async (c) => {
    const target = await getTarget(db, c.req.param("id"));
    if (!target) {
      return message(c, 404, "Not found", "There is no such target.");
    }
    const history = await targetHistory(db, target.id);
    return render(
      c,
      { title: target.name, charts: true },
      TargetPage({ target, history }),
    );
  });

  let methodology: Promise<string | null> | undefined;
  app.get("/methodology", async (c) => {
    methodology ??= Deno.readTextFile(METHODOLOGY).catch(() => null);
    const markdown = await methodology;
    if (markdown === null) {
      return message(c, 404, "Not found", "The methodology is not installed.");
    }
    return render(c, { title: "Methodology" }, MethodologyPage({ markdown }));
  });

  app.get("/static/:name", (c) => {
    const asset = findAsset(c.req.param("name"));
    if (!asset) return c.text("not found", 404);
    return c.body(asset.body.slice().buffer, 200, {
      "content-type": asset.type,
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    });
  });

  return app;
}
