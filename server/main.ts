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

if (import.meta.main) {
  const env = readEnvOrExit();
  survivePostgresDrops(`server ${env.workerId}`);
  const services = await openServicesOrExit(env);
  const said = await ensureLocalAdminToken(services.database, env);
  if (said) console.log(said);
  await serveUntilSignal(services);
}
