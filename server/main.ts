/**
 * The server's entry point: environment → database → migrations →
 * built-in suites → worker (unless `RUN_WORKER=false`) → HTTP. Stops
 * cleanly on SIGINT/SIGTERM: the worker hands back what it has not
 * finished.
 *
 * @example
 * ```sh
 * deno task start            # embedded PGlite in ./data
 * DATABASE_URL=postgres://… deno task start
 * ```
 * @module
 */
import { createApp } from "./app.ts";
import { loadBuiltinSuites } from "./suites/builtin.ts";
import { openDatabase } from "./db/client.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { readEnvOrExit } from "./env.ts";
import { secretReader } from "./auth/secrets.ts";
import { Worker } from "./worker/worker.ts";
import { workerEnvOptions } from "./worker/options.ts";
import { Scheduler } from "./cron.ts";
import { loadSchedulesFile } from "./suites/schedules_file.ts";
import { survivePostgresDrops } from "./db/stray_errors.ts";

async function main(): Promise<void> {
  const env = readEnvOrExit();
  survivePostgresDrops(`server ${env.workerId}`);
  const database = await openDatabase({
    url: env.databaseUrl,
    dataDir: env.dataDir,
  });
  const where = env.databaseUrl
    ? "PostgreSQL (DATABASE_URL)"
    : `PGlite in ${env.dataDir}`;
  await migrateDatabase(database);
  console.log(`database: ${where}, migrations applied`);
  if (env.loadBuiltinSuites) {
    const suites = await loadBuiltinSuites(database, env);
    console.log(
      `built-in suites: ${
        suites.map((s) => `${s.name} v${s.version} (${s.caseCount} cases)`)
          .join(", ")
      }`,
    );
  }
  const worker = env.runWorker
    ? new Worker(database, {
      workerId: env.workerId,
      ...workerEnvOptions(env),
      secret: secretReader(env.secretAllowlist, (name) => Deno.env.get(name)),
    })
    : undefined;
  worker?.start();
  if (env.schedulesFile) {
    const loaded = await loadSchedulesFile(database, env.schedulesFile, {
      allowedHosts: env.targetAllowedHosts,
    });
    console.log(
      `schedules from ${env.schedulesFile}: ${
        loaded.map((s) => s.name).join(", ")
      }`,
    );
  }
  const scheduler = env.runScheduler
    ? new Scheduler(database, {
      tickMs: env.schedulerTickMs,
      onRun: () => worker?.wake(),
    })
    : undefined;
  scheduler?.start();
  const app = createApp({ database, env, onRunCreated: () => worker?.wake() });
  const controller = new AbortController();
  const server = Deno.serve({
    port: env.port,
    hostname: env.host,
    signal: controller.signal,
    onListen: ({ hostname, port }) =>
      console.log(`listening on http://${hostname}:${port}`),
  }, app.fetch);
  const stop = () => controller.abort();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  await server.finished;
  scheduler?.stop();
  await worker?.stop();
  await database.close();
  console.log("stopped");
}

if (import.meta.main) await main();
