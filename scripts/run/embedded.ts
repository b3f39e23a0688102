/**
 * The embedded backend of `deno task run`: opens the database the
 * environment names (through `server/boot.ts`, so migrations and built-in
 * suites are as the server has them), creates the run through
 * `server/runs/enqueue.ts` (`trigger: "cli"`) and drives an in-process
 * worker until the run is done.
 *
 * @example
 * ```ts
 * import { embeddedBackend } from "./embedded.ts";
 * import { readEnv } from "../../server/env.ts";
 * const backend = await embeddedBackend(readEnv());
 * console.error(`using ${backend.label}`);
 * await backend.close();
 * ```
 * @module
 */
import { openServices } from "../../server/boot.ts";
import { enqueueRun } from "../../server/runs/enqueue.ts";
import { activeRuns, getRun } from "../../server/db/queries/runs.ts";
import { getTarget } from "../../server/db/queries/targets.ts";
import type { Env } from "../../server/env.ts";
import { ApiError } from "../../server/errors.ts";
import { checkBody } from "../../server/http/request_body.ts";
import { generateToken } from "../../server/auth/tokens.ts";
import { badArgument, CliError } from "./args.ts";
import type { Backend } from "./backend.ts";

/**
 * The embedded backend on the database `env` names. `probed` is the
 * server URL that did not answer, for the label.
 *
 * @example
 * ```ts
 * import type { Env } from "../../server/env.ts";
 * declare const env: Env;
 * const backend = await embeddedBackend(env, `http://127.0.0.1:${env.port}`);
 * backend.label; // "the embedded runner on PGlite in data (no server answers on http://127.0.0.1:8000)"
 * await backend.close();
 * ```
 */
export async function embeddedBackend(
  env: Env,
  probed?: string,
): Promise<Backend> {
  const tallies = new Map<string, Record<string, number>>();
  // The embedded runner is the operator of its own database: its in-process
  // API calls carry a one-off admin token that never leaves this process.
  const localToken = generateToken("local_");
  const services = await openServices({
    ...env,
    runWorker: true,
    adminToken: localToken,
    writeRatePerMinute: 1_000_000,
  }, {
    worker: {
      start: false,
      options: {
        workerId: `cli-${env.workerId}`,
        pollMs: 200,
        onResult: (runId, outcome) => {
          const tally = tallies.get(runId);
          if (tally) tally[outcome] = (tally[outcome] ?? 0) + 1;
        },
      },
    },
    scheduler: false,
    schedulesFile: false,
    log: () => {},
  });
  const { database, app } = services;
  const worker = services.worker!;
  const totals = new Map<string, number>();
  let started = false;
  const wake = () => {
    if (!started) worker.start();
    started = true;
    worker.wake();
  };
  const stop = async () => {
    if (started) await worker.stop();
    started = false;
  };
  return {
    label: `the embedded runner on ${
      env.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${env.dataDir}`
    }${probed ? ` (no server answers on ${probed})` : ""}`,
    embedded: true,
    reportBase: probed ?? `http://127.0.0.1:${env.port}`,
    async call(method, path, body) {
      const res = await app.request(path, {
        method,
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${localToken}`,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    async createRun(suiteId, targetId, input, isPublic, matrix) {
      const target = await getTarget(database, targetId);
      if (!target) throw new CliError(`target ${targetId} vanished`);
      checkBody("run_create", {
        suite_id: suiteId,
        target_id: targetId,
        options: input,
      });
      const earlier = (await activeRuns(database)).length;
      if (earlier > 0) {
        console.error(
          `note: ${earlier} unfinished earlier run(s) in this database will be worked on as well`,
        );
      }
      let made;
      try {
        made = await enqueueRun(database, {
          suiteId,
          targetId: target.id,
          trigger: "cli",
          public: isPublic,
          options: input,
          matrix,
        }, env);
      } catch (error) {
        if (error instanceof ApiError && error.status < 500) {
          throw badArgument(error.message);
        }
        throw error;
      }
      if (!made) throw new CliError("the run was not created");
      const { run, cases } = made;
      if (made.pairRunId) {
        tallies.set(made.pairRunId, {});
        console.error(
          `quality pair: the unconstrained twin is run ${made.pairRunId}`,
        );
      }
      tallies.set(run.id, {});
      totals.set(run.id, cases);
      wake();
      return made.shareToken
        ? { id: run.id, cases, shareToken: made.shareToken }
        : { id: run.id, cases };
    },
    async follow(runId) {
      // What is done so far, as the API counts it; the worker adds the rest.
      const res = await app.request(`/api/runs/${runId}`, {
        headers: { authorization: `Bearer ${localToken}` },
      });
      if (res.status !== 200) throw new CliError(`run ${runId} vanished`);
      const { progress } = await res.json() as {
        progress: { total: number; by_outcome: Record<string, number> };
      };
      const { pending: _pending, ...done } = progress.by_outcome;
      tallies.set(runId, done);
      totals.set(runId, progress.total);
      wake();
    },
    async progress(runId) {
      const run = await getRun(database, runId);
      const byOutcome = { ...tallies.get(runId) };
      return {
        status: run?.status ?? "missing",
        done: Object.values(byOutcome).reduce((a, b) => a + b, 0),
        total: totals.get(runId) ?? 0,
        byOutcome,
      };
    },
    stop,
    async close() {
      await stop();
      await services.close();
    },
  };
}
