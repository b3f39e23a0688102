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
import { openServices, untilSignal } from "./boot.ts";
import { readEnvOrExit } from "./env.ts";
import { survivePostgresDrops } from "./db/stray_errors.ts";
import { exitOnHelp } from "./cli_help.ts";

if (import.meta.main) {
  exitOnHelp(`usage: deno task worker

The queue worker alone, on the PostgreSQL that DATABASE_URL names; any number
of them share the work. Exit status: 0 stopped, 2 no DATABASE_URL.`);
  const env = readEnvOrExit();
  if (!env.databaseUrl) {
    console.error(
      "deno task worker needs DATABASE_URL: the embedded database belongs to one process (deno task start runs its own worker)",
    );
    Deno.exit(2);
  }
  survivePostgresDrops(`worker ${env.workerId}`);
  const services = await openServices({ ...env, runWorker: true }, {
    builtinSuites: false,
    scheduler: false,
    schedulesFile: false,
    log: () => {},
  });
  console.log(`worker ${env.workerId} started`);
  await untilSignal();
  console.log(`worker ${env.workerId} stopping`);
  await services.close();
}
