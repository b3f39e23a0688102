/**
 * The distortion board:
 * - `GET /distortion?suite=ID`: the page (`pages/distortion_board_page.tsx`)
 * - `GET /api/distortion.json?suite=ID`: the same rows as JSON.
 *
 * One row per (target, N), from its latest finished public distortion run
 * of the whole suite; the figures are the run's (`runs/distortion_report.ts`).
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../../app.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.route("/", distortionPageRoutes(deps));
 * ```
 * @module
 */
import { type Context, Hono } from "hono";
import type { AppDeps } from "../../app.ts";
import { distortionBoardRuns } from "../../db/queries/distortion.ts";
import { getRun } from "../../db/queries/runs.ts";
import { getSuite } from "../../db/queries/suites.ts";
import { isUuid } from "../../../evaluators/validation/uuid.ts";
import { distortionView } from "../../runs/distortion_report.ts";
import {
  DistortionBoardPage,
  type DistortionBoardProps,
  type DistortionBoardRow,
} from "../../pages/distortion_board_page.tsx";
import { message, render } from "./render.ts";

/**
 * The distortion board's routes.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../../app.ts";
 * declare const deps: AppDeps;
 * const res = await distortionPageRoutes(deps).request("/distortion?suite=…");
 * ```
 */
export function distortionPageRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const db = deps.database;

  const boardOf = async (c: Context): Promise<DistortionBoardProps | null> => {
    const id = c.req.query("suite") ?? "";
    if (!isUuid(id)) return null;
    const suite = await getSuite(db, id);
    if (!suite) return null;
    const rows: DistortionBoardRow[] = [];
    for (const entry of await distortionBoardRuns(db, suite.id)) {
      const run = await getRun(db, entry.runId);
      const view = run && await distortionView(db, run);
      if (!view) continue;
      rows.push({
        runId: entry.runId,
        targetId: entry.targetId,
        targetName: entry.targetName,
        kind: entry.kind,
        mode: entry.mode,
        samples: entry.samples,
        logprobsPreConstraint: view.report.logprobs_pre_constraint,
        figures: view.report.run,
      });
    }
    rows.sort((a, b) =>
      a.samples - b.samples || a.targetName.localeCompare(b.targetName)
    );
    return {
      suite: { id: suite.id, name: suite.name, version: suite.version },
      rows,
    };
  };

  app.get("/distortion", async (c) => {
    const board = await boardOf(c);
    if (!board) {
      return message(
        c,
        404,
        "No such suite",
        "Name a suite: /distortion?suite=ID (every suite is listed on /suites).",
      );
    }
    return render(
      c,
      { title: `Distortion: ${board.suite.name}` },
      DistortionBoardPage(board),
    );
  });

  app.get("/api/distortion.json", async (c) => {
    const board = await boardOf(c);
    if (!board) {
      return c.json({
        error: { code: "not_found", message: "no such suite", path: "suite" },
      }, 404);
    }
    return c.json({
      suite: board.suite,
      items: board.rows.map((row) => ({
        run_id: row.runId,
        target_id: row.targetId,
        target: row.targetName,
        kind: row.kind,
        mode: row.mode,
        samples: row.samples,
        logprobs_pre_constraint: row.logprobsPreConstraint,
        ...row.figures,
      })),
    });
  });
  return app;
}
