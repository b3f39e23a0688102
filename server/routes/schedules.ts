/**
 * `POST/GET/PATCH/DELETE /api/schedules`: cron expressions (UTC; 5 fields,
 * or 6 with seconds) that enqueue one public run per target of a suite.
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
import { cronError } from "../cron.ts";
import {
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  type NewSchedule,
  type ScheduleRow,
  updateSchedule,
} from "../db/queries/schedules.ts";
import { getSuite } from "../db/queries/suites.ts";
import { getTarget } from "../db/queries/targets.ts";
import { ApiError } from "../errors.ts";
import {
  CURSOR_FIELDS,
  decodeCursorOf,
  encodeCursor,
  parseLimit,
} from "../http/pagination.ts";
import { checkBody, readJson } from "../http/request_body.ts";
import type { AppDeps } from "../app.ts";

interface ScheduleInput {
  name?: string;
  cron?: string;
  suite_id?: string;
  target_ids?: string[];
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
export function scheduleJson(row: ScheduleRow) {
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    suite_id: row.suiteId,
    target_ids: row.targetIds,
    options: row.options,
    enabled: row.enabled,
    last_fired_at: row.lastFiredAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

async function checkReferences(
  deps: AppDeps,
  input: ScheduleInput,
): Promise<void> {
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
  if (
    input.suite_id !== undefined &&
    !await getSuite(deps.database, input.suite_id)
  ) {
    throw new ApiError(404, "not_found", "no suite with that id", "/suite_id");
  }
  for (const [i, id] of (input.target_ids ?? []).entries()) {
    if (!await getTarget(deps.database, id)) {
      throw new ApiError(
        404,
        "not_found",
        "no target with that id",
        `/target_ids/${i}`,
      );
    }
  }
}

function changes(input: ScheduleInput): Partial<NewSchedule> {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.cron !== undefined ? { cron: input.cron } : {}),
    ...(input.suite_id !== undefined ? { suiteId: input.suite_id } : {}),
    ...(input.target_ids !== undefined ? { targetIds: input.target_ids } : {}),
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
    await checkReferences(deps, input);
    const row = await createSchedule(deps.database, {
      cron: input.cron!,
      suiteId: input.suite_id!,
      targetIds: input.target_ids!,
      ...changes(input),
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
      items: page.map(scheduleJson),
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
    await checkReferences(deps, input);
    const row = await updateSchedule(
      deps.database,
      c.req.param("id"),
      changes(input),
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
