/**
 * `deno task rejudge`: re-judges, under today's validator, the latest run
 * of every board row that an older validator judged (`POST
 * /api/runs/:id/rejudge` for each), on the database the environment names,
 * without calling any engine. Prints one line per run; idempotent (a row
 * whose latest run is current is left alone).
 *
 * @example
 * ```ts
 * import { rejudgeBoard } from "./rejudge.ts";
 * import type { Database } from "../server/db/client.ts";
 * declare const database: Database;
 * const made = await rejudgeBoard(database, console.log);
 * ```
 * @module
 */
import { ValidationPool } from "../evaluators/validation/pool.ts";
import { VALIDATOR_VERSION } from "../evaluators/validation/version.ts";
import { DATA_ONLY, openServices } from "../server/boot.ts";
import type { Database } from "../server/db/client.ts";
import { staleBoardRuns } from "../server/db/queries/rejudge.ts";
import { readEnvOrExit } from "../server/env.ts";
import { rejudgeRun } from "../server/runs/rejudge.ts";

/**
 * Re-judges every stale board row; returns how many runs it made.
 *
 * @example
 * ```ts
 * declare const database: Database;
 * await rejudgeBoard(database, () => {}); // 0 when the board is current
 * ```
 */
export async function rejudgeBoard(
  database: Database,
  print: (line: string) => void,
  pool: ValidationPool = new ValidationPool(),
): Promise<number> {
  let made = 0;
  try {
    for (const source of await staleBoardRuns(database)) {
      const run = await rejudgeRun(database, pool, source);
      made++;
      print(
        `run ${source.id} (validator v${source.validatorVersion}) -> ${run.id} (v${VALIDATOR_VERSION}, ${run.status})`,
      );
    }
  } finally {
    pool.close();
  }
  print(`${made} run(s) re-judged under validator v${VALIDATOR_VERSION}`);
  return made;
}

if (import.meta.main) {
  const services = await openServices(readEnvOrExit(), DATA_ONLY);
  try {
    await rejudgeBoard(services.database, console.log);
  } finally {
    await services.close();
  }
}
