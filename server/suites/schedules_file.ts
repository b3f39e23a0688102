/**
 * Schedules from a file read at start-up (`SCHEDULES_FILE`): a JSON array of
 * `{ name, cron, suite, targets, options?, enabled? }`, where `suite` is a
 * suite's id or name (its latest version) and `targets` are target ids or
 * names. Each is created, or updated when a schedule of that name exists.
 * Each target's `base_url` must pass the SSRF rules (`base_url_guard.ts`)
 * with the operator's `TARGET_ALLOWED_HOSTS`.
 *
 * @example
 * ```ts
 * import { loadSchedulesFile } from "./schedules_file.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * await loadSchedulesFile(database, "./schedules.json");
 * ```
 * @module
 */
import { cronError } from "../cron.ts";
import type { Database } from "../db/client.ts";
import {
  createSchedule,
  scheduleByName,
  type ScheduleRow,
  updateSchedule,
} from "../db/queries/schedules.ts";
import { suitesNamed } from "../db/queries/refs.ts";
import { getTarget } from "../db/queries/targets.ts";
import {
  type BaseUrlGuardOptions,
  checkBaseUrl,
} from "../../evaluators/targets/transport/base_url_guard.ts";

interface FileSchedule {
  name: string;
  cron: string;
  suite: string;
  targets: string[];
  options?: Record<string, unknown>;
  enabled?: boolean;
}

/**
 * Creates or updates every schedule of the file; throws with the entry's
 * index and what is wrong. `guard` carries `TARGET_ALLOWED_HOSTS`.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import type { Env } from "../env.ts";
 * declare const database: Database;
 * declare const env: Env;
 * declare const path: string;
 * const rows = await loadSchedulesFile(database, path, {
 *   allowedHosts: env.targetAllowedHosts,
 * });
 * ```
 */
export async function loadSchedulesFile(
  database: Database,
  path: string,
  guard: BaseUrlGuardOptions = {},
): Promise<ScheduleRow[]> {
  const entries = JSON.parse(await Deno.readTextFile(path)) as FileSchedule[];
  if (!Array.isArray(entries)) {
    throw new Error(`${path}: expected a JSON array of schedules`);
  }
  const rows: ScheduleRow[] = [];
  for (const [i, entry] of entries.entries()) {
    const where = `${path} [${i}]`;
    if (
      typeof entry?.name !== "string" || typeof entry.cron !== "string" ||
      typeof entry.suite !== "string"
    ) {
      throw new Error(`${where}: name, cron and suite are required strings`);
    }
    const problem = cronError(entry.cron);
    if (problem) {
      throw new Error(`${where}: bad cron "${entry.cron}": ${problem}`);
    }
    // By id, else a name's latest version: the API's rule (`http/refs.ts`).
    const [suite] = await suitesNamed(database, entry.suite);
    if (!suite) throw new Error(`${where}: no suite "${entry.suite}"`);
    const targetIds: string[] = [];
    for (const name of entry.targets ?? []) {
      const target = await getTarget(database, name);
      if (!target) {
        throw new Error(
          `${where}: no target "${name}" (a target renamed through the API must be renamed in this file too)`,
        );
      }
      if (target.baseUrl) {
        const verdict = await checkBaseUrl(target.baseUrl, guard);
        if (!verdict.ok) {
          throw new Error(`${where}: target "${name}": ${verdict.message}`);
        }
      }
      targetIds.push(target.id);
    }
    if (targetIds.length === 0) {
      throw new Error(`${where}: at least one target is needed`);
    }
    const values = {
      name: entry.name,
      cron: entry.cron,
      suiteId: suite.id,
      targetIds,
      options: entry.options ?? {},
      enabled: entry.enabled ?? true,
    };
    const existing = await scheduleByName(database, entry.name);
    rows.push(
      existing
        ? (await updateSchedule(database, existing.id, values))!
        : await createSchedule(database, values),
    );
  }
  return rows;
}
