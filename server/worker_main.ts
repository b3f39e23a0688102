/**
 * `deno task worker`: the queue worker alone, for more throughput or more
 * machines. Needs `DATABASE_URL` (PGlite is one process's database). Stops
 * on SIGINT/SIGTERM: it stops claiming, finishes or hands back what it
 * holds, and exits.
 *
 * @example
 * ```sh
 * DATABASE_URL=postgres://… deno task worker
 * ```
 * @module
 */
import { openDatabase } from "./db/client.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { readEnvOrExit } from "./env.ts";
import { secretReader } from "./auth/secrets.ts";
import { Worker } from "./worker/worker.ts";
import { workerEnvOptions } from "./worker/options.ts";
import { survivePostgresDrops } from "./db/stray_errors.ts";

async function main(): Promise<void> {
  const env = readEnvOrExit();
  if (!env.databaseUrl) {
    console.error(
      "deno task worker needs DATABASE_URL: the embedded database belongs to one process (deno task start runs its own worker)",
    );
    Deno.exit(2);
  }
  survivePostgresDrops(`worker ${env.workerId}`);
  const database = await openDatabase({ url: env.databaseUrl });
  await migrateDatabase(database);
  const worker = new Worker(database, {
    workerId: env.workerId,
    ...workerEnvOptions(env),
    secret: secretReader(env.secretAllowlist, (name) => Deno.env.get(name)),
  });
  worker.start();
  console.log(`worker ${env.workerId} started`);
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
  await stopped;
  console.log(`worker ${env.workerId} stopping`);
  await worker.stop();
  await database.close();
}

if (import.meta.main) await main();
