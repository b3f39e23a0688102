/**
 * `GET /api/health`: the database kind and its migration state. 200 when
 * the database answers and no migration is pending, 503 otherwise.
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
    try {
      const migrations = await migrationState(deps.database);
      const ok = migrations.pending === 0;
      return c.json({
        status: ok ? "ok" : "migrations_pending",
        database: { kind: deps.database.kind, migrations },
      }, ok ? 200 : 503);
    } catch (error) {
      console.error("health check failed:", error);
      return c.json({
        status: "database_unavailable",
        database: { kind: deps.database.kind },
      }, 503);
    }
  });
  return app;
}
