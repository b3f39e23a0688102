/**
 * `POST/GET/PATCH/DELETE /api/schedules`: cron expressions (UTC; 5 fields,
 * or 6 with seconds) that enqueue one public run per target of a suite.
 * The suite and targets are named by id or name (`suite_id` / `suite`
 * with `suite_version`, `target_ids` / `targets`) and kept as ids. Names
 * are unique (409); every answer carries `next_fire_at`.
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../app.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.route("/api/schedules", scheduleRoutes(deps));
 * ```
 * @module
 */
import { Hono } from "hono";
import { cronError, nextFiring } from "../cron.ts";
import {
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  type NewSchedule,
  scheduleByName,
  type ScheduleRow,
  updateSchedule,
} from "../db/queries/schedules.ts";
import { resolveSuite, type SuiteRefInput, targetByRef } from "../http/refs.ts";
import { ApiError } from "../errors.ts";
import {
  CURSOR_FIELDS,
  decodeCursorOf,
  encodeCursor,
  parseLimit,
} from "../http/pagination.ts";
import { checkBody, readJson } from "../http/request_body.ts";
import type { AppDeps } from "../app.ts";

interface ScheduleInput extends SuiteRefInput {
  name?: string;
  cron?: string;
  target_ids?: string[];
  targets?: string[];
  options?: Record<string, unknown>;
  enabled?: boolean;
}

/**
 * A schedule as the API shows it.
 *
 * @example
 * ```ts
 * import type { ScheduleRow } from "../db/queries/schedules.ts";
 * declare const row: ScheduleRow;
 * scheduleJson(row).cron; // "0 3 * * *"
 * ```
 */
export function scheduleJson(row: ScheduleRow, now: Date = new Date()) {
  const next = row.enabled ? nextFiring(row.cron, now) : null;
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    suite_id: row.suiteId,
    target_ids: row.targetIds,
    options: row.options,
    enabled: row.enabled,
    last_fired_at: row.lastFiredAt?.toISOString() ?? null,
    /** When it fires next (UTC); null while disabled. */
    next_fire_at: next?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

/** What a body's references resolve to: the ids the schedule keeps. */
interface Resolved {
  suiteId?: string;
  targetIds?: string[];
}

async function checkReferences(
  deps: AppDeps,
  input: ScheduleInput,
  id?: string,
): Promise<Resolved> {
  if (input.cron !== undefined) {
    const problem = cronError(input.cron);
    if (problem) {
      throw new ApiError(
        400,
        "invalid_cron",
        `not a cron expression: ${problem}`,
        "/cron",
      );
    }
  }
  if (input.name !== undefined) {
    const taken = await scheduleByName(deps.database, input.name);
    if (taken && taken.id !== id) {
      throw new ApiError(
        409,
        "name_taken",
        `a schedule named "${input.name}" already exists (${taken.id})`,
        "/name",
      );
    }
  }
  const suite = await resolveSuite(deps.database, input);
  if (input.target_ids !== undefined && input.targets !== undefined) {
    throw new ApiError(
      400,
      "invalid_reference",
      "give target_ids or targets, not both",
      "/targets",
    );
  }
  const field = input.target_ids !== undefined ? "target_ids" : "targets";
  const refs = input.target_ids ?? input.targets;
  const targetIds = refs === undefined ? undefined : await Promise.all(
    refs.map(async (ref, i) =>
      (await targetByRef(deps.database, ref, `/${field}/${i}`)).id
    ),
  );
  return { suiteId: suite?.id, targetIds };
}

function changes(
  input: ScheduleInput,
  resolved: Resolved,
): Partial<NewSchedule> {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.cron !== undefined ? { cron: input.cron } : {}),
    ...(resolved.suiteId !== undefined ? { suiteId: resolved.suiteId } : {}),
    ...(resolved.targetIds !== undefined
      ? { targetIds: [...new Set(resolved.targetIds)] }
      : {}),
    ...(input.options !== undefined ? { options: input.options } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
  };
}

/**
 * The schedules sub-app.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app.ts";
 * declare const body: string;
 * declare const deps: AppDeps;
 * await scheduleRoutes(deps).request("/", { method: "POST", body });
 * ```
 */
export function scheduleRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.post("/", async (c) => {
    const input = checkBody<ScheduleInput>(
      "schedule_create",
      await readJson(c),
    );
    const resolved = await checkReferences(deps, input);
    if (!resolved.suiteId) {
      throw new ApiError(
        400,
        "invalid_body",
        "/suite is required (a suite name or id; or suite_id)",
        "/suite",
      );
    }
    if (!resolved.targetIds) {
      throw new ApiError(
        400,
        "invalid_body",
        "/targets is required (target names or ids; or target_ids)",
        "/targets",
      );
    }
    const row = await createSchedule(deps.database, {
      cron: input.cron!,
      suiteId: resolved.suiteId,
      targetIds: resolved.targetIds,
      ...changes(input, resolved),
    });
    return c.json(scheduleJson(row), 201);
  });

  app.get("/", async (c) => {
    const limit = parseLimit(c.req.query("limit"), 50, 500);
    const cursor = c.req.query("cursor");
    const after = cursor
      ? decodeCursorOf<{ createdAt: string; id: string }>(cursor, {
        createdAt: CURSOR_FIELDS.time,
        id: CURSOR_FIELDS.uuid,
      })
      : undefined;
    const rows = await listSchedules(deps.database, {
      limit: limit + 1,
      after,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json({
      items: page.map((row) => scheduleJson(row)),
      next_cursor: rows.length > limit
        ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id })
        : null,
    });
  });

  app.get("/:id", async (c) => {
    const row = await getSchedule(deps.database, c.req.param("id"));
    if (!row) throw new ApiError(404, "not_found", "no schedule with that id");
    return c.json(scheduleJson(row));
  });

  app.patch("/:id", async (c) => {
    const input = checkBody<ScheduleInput>(
      "schedule_update",
      await readJson(c),
    );
    const resolved = await checkReferences(deps, input, c.req.param("id"));
    const row = await updateSchedule(
      deps.database,
      c.req.param("id"),
      changes(input, resolved),
    );
    if (!row) throw new ApiError(404, "not_found", "no schedule with that id");
    return c.json(scheduleJson(row));
  });

  app.delete("/:id", async (c) => {
    if (!await deleteSchedule(deps.database, c.req.param("id"))) {
      throw new ApiError(404, "not_found", "no schedule with that id");
    }
    return c.json({ deleted: true });
  });

  return app;
}
