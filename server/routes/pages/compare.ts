/**
 * `GET /compare?a=RUN&b=RUN` (or `?run=A&run=B` from the board's check
 * boxes, redirected): two runs of one suite, judged by one validator,
 * compared case by case (`evaluators/metrics/compare.ts`).
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../../app.ts";
 * import { comparePageRoutes } from "./compare.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.route("/", comparePageRoutes(deps));
 * ```
 * @module
 */
import { Hono } from "hono";
import { compareResults } from "../../../evaluators/metrics/compare.ts";
import type { AppDeps } from "../../app.ts";
import { resultSummaries } from "../../db/queries/results.ts";
import type { RunRow } from "../../db/queries/runs.ts";
import { getSuite } from "../../db/queries/suites.ts";
import { getTarget } from "../../db/queries/targets.ts";
import { ComparePage } from "../../pages/compare_page.tsx";
import { formatTime } from "../../pages/format.ts";
import { message, render } from "./render.ts";
import { visibleRun } from "./visible_run.ts";

/**
 * The compare page's route.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../../app.ts";
 * declare const deps: AppDeps;
 * const res = await comparePageRoutes(deps).request("/compare?a=…&b=…");
 * ```
 */
export function comparePageRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const db = deps.database;
  app.get("/compare", async (c) => {
    let [idA, idB] = [c.req.query("a"), c.req.query("b")];
    const chosen = c.req.queries("run") ?? [];
    if (!idA && !idB && chosen.length > 0) {
      if (chosen.length !== 2) {
        return message(
          c,
          400,
          "Choose two runs",
          `Check exactly two rows of the leaderboard to compare them (${chosen.length} were checked).`,
        );
      }
      [idA, idB] = chosen;
      const params = new URLSearchParams({ a: idA, b: idB });
      return c.redirect(`/compare?${params}`, 303);
    }
    if (!idA || !idB) {
      return message(
        c,
        400,
        "Choose two runs",
        "A comparison needs two runs: /compare?a=RUN&b=RUN, or check two rows of the leaderboard.",
      );
    }
    const [runA, runB] = await Promise.all([
      visibleRun(deps, c, idA),
      visibleRun(deps, c, idB),
    ]);
    if (!runA || !runB) {
      return message(
        c,
        404,
        "Not found",
        `There is no run ${runA ? idB : idA}.`,
      );
    }
    if (runA.suiteId !== runB.suiteId) {
      return message(
        c,
        400,
        "Different suites",
        "The two runs are on different suites: a paired comparison needs the same cases.",
      );
    }
    if (runA.validatorVersion !== runB.validatorVersion) {
      return message(
        c,
        400,
        "Different validators",
        `The runs were judged by validator v${runA.validatorVersion} and v${runB.validatorVersion}: re-judge the older one to compare them.`,
      );
    }
    const [rowsA, rowsB, suite, targetA, targetB] = await Promise.all([
      resultSummaries(db, runA.id),
      resultSummaries(db, runB.id),
      getSuite(db, runA.suiteId),
      getTarget(db, runA.targetId),
      getTarget(db, runB.targetId),
    ]);
    const label = (run: RunRow, name: string | undefined) =>
      `${name ?? "?"} on ${suite?.name ?? "?"} v${suite?.version ?? "?"}, ${
        run.finishedAt ? `finished ${formatTime(run.finishedAt)}` : run.status
      }`;
    return render(
      c,
      { title: "Compare" },
      ComparePage({
        a: { runId: runA.id, label: label(runA, targetA?.name) },
        b: { runId: runB.id, label: label(runB, targetB?.name) },
        comparison: compareResults(rowsA, rowsB),
      }),
    );
  });
  return app;
}
