/**
 * The server's entry point: environment, then `boot.ts` (database →
 * migrations → built-in suites → worker unless `RUN_WORKER=false` →
 * schedules → app), then the local admin token
 * (`auth/local_admin_token.ts`: on PGlite without `ADMIN_TOKEN` and with no
 * token stored, `DATA_DIR/admin.token`), then HTTP. Stops cleanly on
 * SIGINT/SIGTERM: the worker hands back what it has not finished.
 *
 * @example
 * ```sh
 * deno task start            # embedded PGlite in ./data
 * DATABASE_URL=postgres://… deno task start
 * ```
 * @module
 */
import { openServicesOrExit, serveUntilSignal } from "./boot.ts";
import { readEnvOrExit } from "./env.ts";
import { survivePostgresDrops } from "./db/stray_errors.ts";
import { ensureLocalAdminToken } from "./auth/local_admin_token.ts";
import { exitOnHelp } from "./cli_help.ts";

if (import.meta.main) {
  exitOnHelp(`usage: deno task start

Applies the migrations, loads the built-in suites and serves the HTTP API and
the pages. Configured by environment variables (PORT, HOST, DATA_DIR,
DATABASE_URL, ADMIN_TOKEN, ...: see the README's Configuration). Exit status:
0 stopped (SIGINT/SIGTERM), 1 it could not start (a port in use, a held data
directory, a failed migration).`);
  const env = readEnvOrExit();
  survivePostgresDrops(`server ${env.workerId}`);
  const services = await openServicesOrExit(env);
  const said = await ensureLocalAdminToken(services.database, env);
  if (said) console.log(said);
  await serveUntilSignal(services);
}
