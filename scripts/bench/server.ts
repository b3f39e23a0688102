/**
 * The server as `deno task bench` runs it: what `server/main.ts` does
 * (environment, database, migrations, the in-process worker, the app),
 * plus one Hono hello-world route, `GET /bench/hello`, in front of the
 * product's app. That route is the baseline of `leaderboard_rps_ratio`:
 * the same process, the same router, no work. The product app never has
 * it.
 *
 * @example
 * ```sh
 * PORT=8123 DATA_DIR=/tmp/bench-db deno run -A scripts/bench/server.ts
 * curl http://127.0.0.1:8123/bench/hello   # Hello, World!
 * ```
 * @module
 */
import { Hono } from "hono";
import { createApp } from "../../server/app.ts";
import { loadBuiltinSuites } from "../../server/suites/builtin.ts";
import { openDatabase } from "../../server/db/client.ts";
import { migrateDatabase } from "../../server/db/migrate.ts";
import { readEnvOrExit } from "../../server/env.ts";
import { secretReader } from "../../server/auth/secrets.ts";
import { Worker } from "../../server/worker/worker.ts";

/**
 * The hello-world route's path.
 *
 * @example
 * ```ts
 * await fetch(`${base}${HELLO_PATH}`); // "Hello, World!"
 * ```
 */
export const HELLO_PATH = "/bench/hello";

/**
 * Wraps an app with the hello-world route in front of it.
 *
 * @example
 * ```ts
 * const app = withHello(createApp(deps));
 * (await app.request("/bench/hello")).status; // 200
 * ```
 */
export function withHello(app: Hono): Hono {
  const outer = new Hono();
  outer.get(HELLO_PATH, (c) => c.text("Hello, World!"));
  outer.route("/", app);
  return outer;
}

async function main(): Promise<void> {
  const env = readEnvOrExit();
  const database = await openDatabase({
    url: env.databaseUrl,
    dataDir: env.dataDir,
  });
  await migrateDatabase(database);
  if (env.loadBuiltinSuites) await loadBuiltinSuites(database, env);
  const worker = env.runWorker
    ? new Worker(database, {
      workerId: env.workerId,
      leaseMs: env.workerLeaseMs,
      secret: secretReader(env.secretAllowlist, (name) => Deno.env.get(name)),
    })
    : undefined;
  worker?.start();
  const app = withHello(
    createApp({ database, env, onRunCreated: () => worker?.wake() }),
  );
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
  await worker?.stop();
  await database.close();
  console.log("stopped");
}

if (import.meta.main) await main();
