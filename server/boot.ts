/**
 * The one start-up, used by every entry point (`server/main.ts`,
 * `server/worker_main.ts`, `deno task run`, the bench's server, the browser
 * tests' site): environment → database → migrations (and the quality
 * accuracy of runs stored before the worker kept it) → built-in suites →
 * worker → schedules file → scheduler → app. What an entry point does not
 * want it turns off in the options; everything else follows the
 * environment, so every process honours the same variables
 * (`VALIDATION_TIMEOUT_MS`, `MAX_OUTPUT_CHARS`, `TARGET_ALLOWED_HOSTS`, …).
 *
 * @example
 * ```ts
 * import { openServices, serveUntilSignal } from "./boot.ts";
 * import { readEnvOrExit } from "./env.ts";
 * const services = await openServices(readEnvOrExit());
 * await serveUntilSignal(services);
 * ```
 * @module
 */
import type { Hono } from "hono";
import { createApp } from "./app.ts";
import { ValidationPool } from "../evaluators/validation/pool.ts";
import { secretReader } from "./auth/secrets.ts";
import { Scheduler } from "./cron.ts";
import { type Database, openDatabase } from "./db/client.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { backfillAccuracy } from "./db/queries/accuracy_backfill.ts";
import { releaseAllLeases } from "./db/queries/queue.ts";
import { DataDirLockedError } from "./db/data_dir_lock.ts";
import { backfillKeywordStats } from "./db/queries/keyword_stats.ts";
import { backfillCases } from "./db/queries/case_backfill.ts";
import { VALIDATOR_VERSION } from "../evaluators/validation/version.ts";
import type { Env } from "./env.ts";
import { loadBuiltinSuites } from "./suites/builtin.ts";
import { loadSchedulesFile } from "./suites/schedules_file.ts";
import { Worker } from "./worker/worker.ts";
import { ListenError, serveNode } from "./http/node_serve.ts";
import { workerEnvOptions, type WorkerOptions } from "./worker/options.ts";

/** What an entry point wants of {@link openServices}. */
export interface BootOptions {
  /**
   * Where the data lives: `{ memory: true }` for a throwaway PGlite.
   * Default: `DATABASE_URL`, else PGlite in `DATA_DIR`.
   */
  database?: { memory: true };
  /**
   * The in-process queue worker: false for none; default one when
   * `RUN_WORKER` is on. `start: false` builds it without starting it.
   */
  worker?: false | { start?: boolean; options?: Partial<WorkerOptions> };
  /** The cron scheduler; default on when `RUN_SCHEDULER` is on. */
  scheduler?: boolean;
  /** Upsert the schedules of `SCHEDULES_FILE`; default true. */
  schedulesFile?: boolean;
  /** Load the built-in suites; default `LOAD_BUILTIN_SUITES`. */
  builtinSuites?: boolean;
  /** Wraps the app (the bench puts a hello-world route in front). */
  wrapApp?: (app: Hono) => Hono;
  /** Start-up lines; default `console.log`. */
  log?: (line: string) => void;
}

/**
 * The options of a command that only reads and writes data (import,
 * tokens, seeding): the database migrated, and nothing else started.
 *
 * @example
 * ```ts
 * import { DATA_ONLY, openServices } from "./boot.ts";
 * import { readEnvOrExit } from "./env.ts";
 * const { database, close } = await openServices(readEnvOrExit(), DATA_ONLY);
 * await close();
 * ```
 */
export const DATA_ONLY: Readonly<BootOptions> = Object.freeze({
  worker: false,
  scheduler: false,
  schedulesFile: false,
  builtinSuites: false,
  log: () => {},
});

/** A started process's parts. */
export interface Services {
  env: Env;
  database: Database;
  worker?: Worker;
  scheduler?: Scheduler;
  app: Hono;
  /** Stops the scheduler, hands back the worker's cases, closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the database, applies the migrations and starts what the
 * environment and `options` ask for. When a step fails, what was opened
 * is closed again.
 *
 * @example
 * ```ts
 * import { testEnv } from "./testing/api.ts";
 * const services = await openServices(testEnv(), { database: { memory: true }, scheduler: false });
 * const res = await services.app.request("/api/health");
 * await services.close();
 * ```
 */
export async function openServices(
  env: Env,
  options: BootOptions = {},
): Promise<Services> {
  const log = options.log ?? console.log;
  const database = options.database
    ? await openDatabase({ memory: true })
    : await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir });
  let worker: Worker | undefined;
  let scheduler: Scheduler | undefined;
  // POST /api/validate's pool: its workers start on the first request.
  const validationPool = new ValidationPool({
    validationTimeoutMs: env.validationTimeoutMs,
    compileTimeoutMs: env.compileTimeoutMs,
  });
  const close = async () => {
    scheduler?.stop();
    await worker?.stop();
    validationPool.close();
    await database.close();
  };
  try {
    await migrateDatabase(database);
    log(`database: ${describeDatabase(env, options)}, migrations applied`);
    if (database.dataDirLock) {
      // This process holds the data directory alone: the leases left by
      // the previous owner (which died, or its lock would still hold) can
      // only be stale, so its cases resume now, not when they expire.
      const released = await releaseAllLeases(database);
      if (released > 0) {
        log(
          `released ${released} leases of the previous owner of ${env.dataDir}`,
        );
      }
    }
    const derived = await backfillCases(database);
    if (derived > 0) {
      log(
        `${derived} stored cases re-derived for validator v${VALIDATOR_VERSION}`,
      );
    }
    const filled = await backfillAccuracy(database);
    if (filled > 0) log(`quality accuracy stored for ${filled} earlier runs`);
    const tallied = await backfillKeywordStats(database);
    if (tallied > 0) log(`keyword tallies stored for ${tallied} earlier runs`);
    if (options.builtinSuites ?? env.loadBuiltinSuites) {
      const suites = await loadBuiltinSuites(database, env);
      log(
        `built-in suites: ${
          suites.map((s) => `${s.name} v${s.version} (${s.caseCount} cases)`)
            .join(", ")
        }`,
      );
    }
    const wantWorker = options.worker !== false && env.runWorker;
    if (wantWorker) {
      const extra = options.worker ? options.worker : {};
      worker = new Worker(database, {
        workerId: env.workerId,
        ...workerEnvOptions(env),
        secret: secretReader(
          env.secretAllowlist,
          (name) => Deno.env.get(name),
        ),
        ...extra.options,
      });
      if (extra.start !== false) worker.start();
    }
    if (env.schedulesFile && options.schedulesFile !== false) {
      const loaded = await loadSchedulesFile(database, env.schedulesFile, {
        allowedHosts: env.targetAllowedHosts,
      });
      log(
        `schedules from ${env.schedulesFile}: ${
          loaded.map((s) => s.name).join(", ")
        }`,
      );
    }
    if (options.scheduler ?? env.runScheduler) {
      scheduler = new Scheduler(database, {
        tickMs: env.schedulerTickMs,
        onRun: () => worker?.wake(),
        limits: env,
      });
      scheduler.start();
    }
    const app = createApp({
      database,
      env,
      onRunChanged: () => worker?.wake(),
      validationPool,
    });
    return {
      env,
      database,
      worker,
      scheduler,
      app: options.wrapApp ? options.wrapApp(app) : app,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * {@link openServices} for entry points: a data directory held by another
 * process is one line on stderr and exit 1, not a stack.
 *
 * @example
 * ```ts
 * import { readEnvOrExit } from "./env.ts";
 * const services = await openServicesOrExit(readEnvOrExit());
 * ```
 */
export async function openServicesOrExit(
  env: Env,
  options: BootOptions = {},
): Promise<Services> {
  try {
    return await openServices(env, options);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(`error: ${error.message}`);
      Deno.exit(1);
    }
    throw error;
  }
}

function describeDatabase(env: Env, options: BootOptions): string {
  if (options.database) return "PGlite in memory";
  return env.databaseUrl
    ? "PostgreSQL (DATABASE_URL)"
    : `PGlite in ${env.dataDir}`;
}

/** A listening HTTP server over {@link Services}. */
export interface Listening {
  /** `http://HOST:PORT`, no trailing slash. */
  url: string;
  /** Stops listening, then closes the services. */
  stop(): Promise<void>;
  /** Settles once the server has stopped listening. */
  finished: Promise<void>;
}

/**
 * Serves the app on `env.host`/`env.port` (or the given ones), on the
 * listener that bounds slow clients (`http/node_serve.ts`:
 * `HEADERS_TIMEOUT_MS`, `REQUEST_TIMEOUT_MS`, `MAX_CONNECTIONS_PER_CLIENT`).
 *
 * @example
 * ```ts
 * declare const services: Services;
 * const site = await serve(services, { hostname: "127.0.0.1", port: 0 });
 * await fetch(`${site.url}/api/health`);
 * await site.stop();
 * ```
 */
export async function serve(
  services: Services,
  where: { hostname?: string; port?: number; quiet?: boolean } = {},
): Promise<Listening> {
  const { env } = services;
  const server = await serveNode(services.app.fetch, {
    port: where.port ?? env.port,
    hostname: where.hostname ?? env.host,
    limits: {
      headersTimeoutMs: env.headersTimeoutMs,
      requestTimeoutMs: env.requestTimeoutMs,
      maxConnectionsPerClient: env.maxConnectionsPerClient,
    },
  });
  const host = server.addr.hostname.includes(":")
    ? `[${server.addr.hostname}]`
    : server.addr.hostname;
  const url = `http://${host}:${server.addr.port}`;
  await services.database.dataDirLock?.describe({ url });
  if (!where.quiet) console.log(`listening on ${url}`);
  return {
    url,
    finished: server.finished,
    async stop() {
      await server.close();
      await services.close();
    },
  };
}

/**
 * Serves until SIGINT or SIGTERM, then stops cleanly: the worker hands
 * back what it has not finished.
 *
 * @example
 * ```ts
 * declare const services: Services;
 * await serveUntilSignal(services); // returns after Ctrl-C
 * ```
 */
export async function serveUntilSignal(services: Services): Promise<void> {
  let listening;
  try {
    listening = await serve(services);
  } catch (error) {
    if (!(error instanceof ListenError)) throw error;
    // One line, not a stack: the cause and what to do.
    console.error(`error: ${error.message}`);
    await services.close();
    Deno.exit(1);
  }
  await untilSignal();
  await listening.stop();
  console.log("stopped");
}

/**
 * Settles at the first SIGINT or SIGTERM.
 *
 * @example
 * ```ts
 * await untilSignal();
 * ```
 */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      Deno.removeSignalListener("SIGINT", stop);
      Deno.removeSignalListener("SIGTERM", stop);
      resolve();
    };
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
}
