/**
 * `throughput`: the same suite run by 1, 2 and then 4 workers through a
 * counting proxy: cases a second and mean requests in flight for each,
 * each run sound, and whether the workers exit on SIGTERM in time.
 *
 * @example
 * ```ts
 * import { throughput } from "./throughput.ts";
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * console.log((await throughput(ctx, db)).extras); // ["re-run 0", "1 worker 9.8 cases/s …", …]
 * ```
 * @module
 */
import { createRun, setupSuite } from "../api.ts";
import {
  type Context,
  type ScenarioDb,
  seconds,
  STOP_GRACE_MS,
} from "../context.ts";
import { startServer, startWorker, waitRun } from "../harness.ts";
import { installAudit } from "../pg.ts";
import { runFigures } from "../pg_figures.ts";
import { startCountingProxy } from "../proxy.ts";
import { alive, judge, type ScenarioOutcome } from "../verdict.ts";

/**
 * Runs the `throughput` scenario in `db`.
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const outcome = await throughput(ctx, db);
 * ```
 */
export async function throughput(
  ctx: Context,
  db: ScenarioDb,
): Promise<ScenarioOutcome> {
  const proxy = startCountingProxy(ctx.llamaUrl);
  try {
    const { base } = await startServer(ctx, db, { runWorker: false });
    await installAudit(db.url);
    const ids = await setupSuite(ctx, base, proxy.url);
    const total: ScenarioOutcome = {
      name: "throughput",
      expected: 0,
      stored: 0,
      duplicates: 0,
      lost: 0,
      extras: [],
      problems: [],
    };
    let rerun = 0;
    let stopped = 0;
    let signalled = 0;
    const rates: string[] = [];
    for (const count of [1, 2, 4]) {
      const workers = await Promise.all(
        Array.from(
          { length: count },
          (_, i) => startWorker(ctx, db, `worker-${count}-${i + 1}`),
        ),
      );
      proxy.reset();
      const run = await createRun(base, ids);
      const end = await waitRun(db, run.id, (p) => p.finished);
      const figures = await runFigures(db.url, run.id);
      total.expected += figures.expected;
      total.stored += figures.stored;
      total.duplicates += figures.duplicates;
      total.lost += figures.lost;
      rerun += figures.rerun;
      const label = `${count} worker${count > 1 ? "s" : ""}`;
      total.problems.push(
        ...judge(figures, run.caseCount, "done").map((p) => `${label}: ${p}`),
      );
      if (end.timedOut) total.problems.push(`${label}: not finished in time`);
      if (proxy.maxInflight > ctx.slots) {
        total.problems.push(
          `${label}: ${proxy.maxInflight} requests in flight on ${ctx.slots} slots`,
        );
      }
      total.problems.push(...alive(workers));
      const rate = figures.seconds ? figures.stored / figures.seconds : 0;
      rates.push(
        `${label} ${rate.toFixed(1)} cases/s (mean in flight ${
          proxy.meanInflight.toFixed(1)
        })`,
      );
      const stops = await Promise.all(
        workers.map((w) => w.stop(STOP_GRACE_MS)),
      );
      stopped += stops.filter((s) => !s.killed).length;
      signalled += stops.length;
    }
    total.extras = [
      `re-run ${rerun}`,
      ...rates,
      `workers exited within ${
        seconds(STOP_GRACE_MS)
      } of SIGTERM ${stopped} of ${signalled}`,
    ];
    return total;
  } finally {
    await proxy.stop();
  }
}
