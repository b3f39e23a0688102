/**
 * The suite pages (`server/pages/suites_page.tsx`), open to every reader
 * like `GET /api/suites`:
 * - `/suites`: every suite (up to 500, by name, newest version first)
 * - `/suites/:id` (`?page=`): one suite, its keywords and its cases
 * - `/suites/:id/cases/:key`: one case's schema
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../../app.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.route("/", suitePageRoutes(deps));
 * ```
 * @module
 */
import { Hono } from "hono";
import type { AppDeps } from "../../app.ts";
import {
  distinctKeywords,
  suiteCase,
  suiteCasePage,
  suiteKeywordCounts,
  suiteSubsets,
} from "../../db/queries/suite_pages.ts";
import {
  getSuite,
  listSuites,
  type SuiteRow,
} from "../../db/queries/suites.ts";
import {
  SuiteCasePage,
  SuiteDetailPage,
  type SuiteLine,
  SuitesPage,
} from "../../pages/suites_page.tsx";
import { message, render } from "./render.ts";

/** Suites `/suites` lists at most. */
const MAX_SUITES = 500;
/** Cases per page of a suite's list. */
const CASES_PER_PAGE = 50;

async function suiteLines(
  deps: AppDeps,
  suites: readonly SuiteRow[],
): Promise<SuiteLine[]> {
  const ids = suites.map((s) => s.id);
  const [subsets, keywords] = await Promise.all([
    suiteSubsets(deps.database, ids),
    distinctKeywords(deps.database, ids),
  ]);
  return suites.map((s) => ({
    ...s,
    subsets: subsets.filter((x) => x.suiteId === s.id),
    keywordCount: keywords.get(s.id) ?? 0,
  }));
}

/**
 * The suite pages sub-app.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../../app.ts";
 * declare const deps: AppDeps;
 * const res = await suitePageRoutes(deps).request("/suites");
 * ```
 */
export function suitePageRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const db = deps.database;

  app.get("/suites", async (c) => {
    const suites = await listSuites(db, { limit: MAX_SUITES });
    return render(
      c,
      { title: "Suites" },
      SuitesPage({ suites: await suiteLines(deps, suites) }),
    );
  });

  app.get("/suites/:id", async (c) => {
    const suite = await getSuite(db, c.req.param("id"));
    if (!suite) return message(c, 404, "Not found", "There is no such suite.");
    const raw = Number(c.req.query("page"));
    const page = Number.isInteger(raw) && raw >= 1 ? Math.min(raw, 1e6) : 1;
    const [[line], keywords, cases] = await Promise.all([
      suiteLines(deps, [suite]),
      suiteKeywordCounts(db, suite.id),
      suiteCasePage(db, suite.id, {
        limit: CASES_PER_PAGE + 1,
        offset: (page - 1) * CASES_PER_PAGE,
      }),
    ]);
    return render(
      c,
      { title: `Suite ${suite.name} v${suite.version}` },
      SuiteDetailPage({
        suite: line,
        keywords,
        cases: cases.slice(0, CASES_PER_PAGE),
        page,
        hasNext: cases.length > CASES_PER_PAGE,
      }),
    );
  });

  app.get("/suites/:id/cases/:key{.+}", async (c) => {
    const suite = await getSuite(db, c.req.param("id"));
    if (!suite) return message(c, 404, "Not found", "There is no such suite.");
    const detail = await suiteCase(db, suite.id, c.req.param("key"));
    if (!detail) {
      return message(c, 404, "Not found", "This suite has no such case.");
    }
    return render(
      c,
      { title: `Case ${detail.key}` },
      SuiteCasePage({ suite, detail }),
    );
  });

  return app;
}
