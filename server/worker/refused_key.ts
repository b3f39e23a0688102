/**
 * An engine that refuses the key fails the run at once (`auth_failed`):
 * every case not done yet ends `skipped` (those in flight too, whose late
 * answers are then rejected) and nothing more is sent. The worker checks
 * the engine's description when it opens a run's context, and every
 * answer after.
 *
 * @example
 * ```ts
 * import { failForRefusedKey, refusalIn } from "./refused_key.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * const refusal = refusalIn({ engine: "llama.cpp", error: "GET /props: HTTP 401" });
 * if (refusal) await failForRefusedKey(database, runId, refusal);
 * ```
 * @module
 */
import type { EngineDescription } from "../../evaluators/targets/target.ts";
import { boardChanged } from "../board/cache.ts";
import type { Database } from "../db/client.ts";
import { skipPending } from "../db/queries/queue.ts";
import { failRun } from "../db/queries/run_lifecycle.ts";
import { FAILURE_TEXT, isAuthRefusal } from "../runs/failure.ts";
import { finishStoredRun } from "./finish.ts";

/**
 * The engine's own words when its description says it refused the key (a
 * 401 or 403 on the describe calls), else null.
 *
 * @example
 * ```ts
 * refusalIn({ engine: "openai-compatible", models_error: "HTTP 401: Invalid API key" });
 * // "HTTP 401: Invalid API key"
 * refusalIn({ engine: "llama.cpp", version: "b6000" }); // null
 * ```
 */
export function refusalIn(engine: EngineDescription): string | null {
  for (const field of ["error", "models_error"]) {
    const value = engine[field];
    if (typeof value === "string" && isAuthRefusal(value)) return value;
  }
  return null;
}

/**
 * Fails an active run as `auth_failed` with the engine's words, skips every
 * case not done yet and finishes the run. True for the one caller that
 * failed it.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * await failForRefusedKey(database, "2b1c…", "HTTP 401: Invalid API key");
 * ```
 */
export async function failForRefusedKey(
  database: Database,
  runId: string,
  words: string,
): Promise<boolean> {
  const message = `${FAILURE_TEXT.auth_failed}: ${words}`.slice(0, 500);
  const failed = await failRun(database, runId, {
    reason: "auth_failed",
    message,
  });
  if (!failed) return false;
  await skipPending(database, runId, message, { includeLeased: true });
  await finishStoredRun(database, runId);
  boardChanged();
  return true;
}
