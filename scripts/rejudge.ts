/**
 * `deno task rejudge`: re-judges, under today's validator, the latest run
 * of every board row that an older validator judged (`POST
 * /api/runs/:id/rejudge` for each), on the database the environment names,
 * without calling any engine. Prints one line per run; idempotent (a row
 * whose latest run is current is left alone).
 *
 * @example
 * ```ts
 * // deno task rejudge
 * // run 2b1c… (validator v1) -> 7f3a… (v2, done)
 * // 1 run(s) re-judged under validator v2
 * ```
 * @module
 */
import { ValidationPool } from "../evaluators/validation/pool.ts";
import { DATA_ONLY, openServicesOrExit } from "../server/boot.ts";
import { readEnvOrExit } from "../server/env.ts";
import { rejudgeBoard } from "../server/runs/rejudge.ts";
import { exitOnHelp } from "../server/cli_help.ts";

if (import.meta.main) {
  exitOnHelp(`usage: deno task rejudge

Re-judges, under today's validator, the latest run of every board row an older
validator judged, without calling the engine. Exit status: 0 ok, 1 failed.`);
  // A held data directory is the lock's one line and exit 1 (this command
  // does not go through a holding server yet; stop the server first).
  const services = await openServicesOrExit(readEnvOrExit(), DATA_ONLY);
  try {
    await rejudgeBoard(
      services.database,
      console.log,
      new ValidationPool({
        validationTimeoutMs: services.env.validationTimeoutMs,
        compileTimeoutMs: services.env.compileTimeoutMs,
      }),
    );
  } finally {
    await services.close();
  }
}
