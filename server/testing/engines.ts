/**
 * Database tests that need the local llama-server: one test per backend,
 * ignored where the engine is missing, failing under `CI=true` (see
 * `evaluators/targets/testing/engines.ts` for tests without a database).
 *
 * @example
 * ```ts
 * import { llamaDbTest } from "./engines.ts";
 * llamaDbTest("a run on the engine is stored", async (database) => {
 *   console.log(database.kind);
 * });
 * ```
 * @module
 */
import { LLAMA_MISSING } from "../../evaluators/targets/testing/engines.ts";
import type { Database } from "../db/client.ts";
import { dbTest } from "./database.ts";

/**
 * A {@link dbTest} that needs the llama-server: one test per backend, each
 * with a fresh database, ignored (or failing under `CI=true`) when the
 * server is missing.
 *
 * @example
 * ```ts
 * import { llamaDbTest } from "./engines.ts";
 * llamaDbTest("a run on the engine is stored", async (database) => {
 *   console.log(database.kind);
 * });
 * ```
 */
export function llamaDbTest(
  name: string,
  fn: (database: Database) => Promise<void>,
): void {
  dbTest(name, fn, { missing: LLAMA_MISSING });
}
