/**
 * `GET /api/health`: the database kind and its migration state, and the
 * problems that make it `degraded`: the database does not answer, a write
 * failed in the last minute (`disk_full` when the disk was full), or the
 * data directory's disk is low (`MIN_FREE_DISK_PERCENT`,
 * `MIN_FREE_DISK_MB`). 200 when all is well, 503 otherwise (also while a
 * migration is pending).
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../app.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.route("/api/health", healthRoutes(deps));
 * ```
 * @module
 */
import { Hono } from "hono";
import { migrationState } from "../db/migrate.ts";
import type { AppDeps } from "../app.ts";

/**
 * The health sub-app.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app.ts";
 * declare const deps: AppDeps;
 * const res = await healthRoutes(deps).request("/");
 * ```
 */
export function healthRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get("/", async (c) => {
    const dir = deps.database.kind === "pglite" && deps.database.dataDirLock
      ? deps.env.dataDir
      : undefined;
    const problems = await deps.storage?.problems(dir) ?? [];
    let migrations: Awaited<ReturnType<typeof migrationState>> | undefined;
    try {
      migrations = await migrationState(deps.database);
    } catch (error) {
      console.error("health check failed:", error);
      problems.push({
        code: "database_unavailable",
        message: "the database does not answer",
      });
    }
    const status = problems.length
      ? "degraded"
      : migrations && migrations.pending > 0
      ? "migrations_pending"
      : "ok";
    return c.json({
      status,
      ...(problems.length ? { problems } : {}),
      database: {
        kind: deps.database.kind,
        ...(migrations ? { migrations } : {}),
      },
    }, status === "ok" ? 200 : 503);
  });
  return app;
}
