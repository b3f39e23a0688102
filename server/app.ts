/**
 * `createApp(deps)`: the whole HTTP API as a Hono app, built without a
 * socket so tests call `app.request()` directly. Middleware (body limit,
 * tokens, scopes and write rates, JSON errors) plus one sub-app per
 * resource, mounted with `app.route()`.
 *
 * @example
 * ```ts
 * import { createApp } from "./app.ts";
 * import type { Database } from "./db/client.ts";
 * import { readEnv } from "./env.ts";
 * declare const database: Database;
 * const app = createApp({ database, env: readEnv({}) });
 * const res = await app.request("/api/health");
 * ```
 * @module
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { PriceTable } from "../evaluators/metrics/cost.ts";
import type { ValidationPool } from "../evaluators/validation/pool.ts";
import type { Database } from "./db/client.ts";
import type { Env } from "./env.ts";
import type { RunReports } from "./runs/report_cache.ts";
import { StorageHealth } from "./http/storage_health.ts";
import { authGuard } from "./auth/guard.ts";
import { ApiError } from "./errors.ts";
import { allowedMethodsOf } from "./http/allowed_methods.ts";
import { openApiDocument } from "./openapi.ts";
import { compareRoutes } from "./routes/compare.ts";
import { downloadRoutes } from "./routes/downloads.ts";
import { healthRoutes } from "./routes/health.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { pageRoutes } from "./routes/pages.ts";
import { runRoutes } from "./routes/runs.ts";
import { scheduleRoutes } from "./routes/schedules.ts";
import { suiteRoutes } from "./routes/suites.ts";
import { targetRoutes } from "./routes/targets.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { validateRoutes } from "./routes/validate.ts";

/** What the app needs from the outside world. */
export interface AppDeps {
  database: Database;
  env: Env;
  /** Called after a run is created or cancelled (the in-process worker wakes up to claim or to drop its cases). */
  onRunChanged?: (runId: string) => void;
  /** The price table for estimates (default: `schemas/prices.json`). */
  prices?: PriceTable;
  /** The shared cache of run reports (default: a new one); a test passes its own to count the computations. */
  reports?: RunReports;
  /** Failed writes and free disk, for `/api/health` (default: a new one from the environment's thresholds). */
  storage?: StorageHealth;
  /**
   * The pool `POST /api/validate` checks in (default: one of its own,
   * started on first use); whoever passes it closes it.
   */
  validationPool?: ValidationPool;
}

/**
 * Builds the app.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "./app.ts";
 * import type { Env } from "./env.ts";
 * declare const deps: AppDeps;
 * declare const env: Env;
 * Deno.serve({ port: env.port }, createApp(deps).fetch);
 * ```
 */
export function createApp(input: AppDeps): Hono {
  const deps: AppDeps = {
    ...input,
    storage: input.storage ?? new StorageHealth({
      minFreePercent: input.env.minFreeDiskPercent,
      minFreeMb: input.env.minFreeDiskMb,
    }),
  };
  const app = new Hono();

  app.use(
    "/api/*",
    bodyLimit({
      maxSize: deps.env.maxBodyBytes,
      onError: () => {
        throw new ApiError(
          413,
          "body_too_large",
          `the body is over ${deps.env.maxBodyBytes} bytes (MAX_BODY_BYTES)`,
        );
      },
    }),
  );

  // A NUL character can reach no table (PostgreSQL text refuses it): any in
  // the path or the query is the caller's mistake, said before a query runs.
  app.use("*", async (c, next) => {
    if (/%00/i.test(c.req.url)) {
      throw new ApiError(
        400,
        "invalid_url",
        "the path or the query holds a NUL character",
      );
    }
    await next();
  });

  // An answer that may depend on who asks (a token, a share link) is never
  // for a shared cache: a proxy keyed by URL alone would hand it to others.
  app.use("*", async (c, next) => {
    await next();
    const credentialed = c.req.header("authorization") !== undefined ||
      /(^|;\s*)share_/.test(c.req.header("cookie") ?? "") ||
      c.req.url.includes("share=");
    const cache = c.res.headers.get("cache-control") ?? "";
    if (credentialed && !cache.includes("immutable")) {
      try {
        c.res.headers.set("Cache-Control", "private, no-store");
        c.res.headers.append("Vary", "Authorization, Cookie");
      } catch { /* a response with fixed headers: nothing to add */ }
    }
  });

  const guard = authGuard(deps);
  app.use("*", guard);

  app.route("/api/health", healthRoutes(deps));
  app.route("/api/tokens", tokenRoutes(deps, guard));
  app.route("/api/suites", suiteRoutes(deps));
  app.route("/api/targets", targetRoutes(deps));
  app.route("/api/runs", runRoutes(deps));
  app.route("/api/schedules", scheduleRoutes(deps));
  app.route("/api/validate", validateRoutes(deps));
  app.route("/metrics", metricsRoutes(deps));
  app.route("/api", compareRoutes(deps));
  app.route("/api", downloadRoutes(deps));
  const openapi = openApiDocument();
  app.get("/api/openapi.json", (c) => c.json(openapi));
  app.route("/", pageRoutes(deps));

  const allowed = allowedMethodsOf(app.routes);
  app.notFound((c) => {
    const methods = allowed(c.req.path);
    if (methods.length && !methods.includes(c.req.method)) {
      const allow = methods.join(", ");
      return c.json(
        new ApiError(
          405,
          "method_not_allowed",
          `${c.req.method} is not allowed on ${c.req.path} (allowed: ${allow})`,
        ).toBody(),
        405,
        { Allow: allow },
      );
    }
    return c.json(
      new ApiError(
        404,
        "not_found",
        `no route for ${c.req.method} ${c.req.path}`,
      ).toBody(),
      404,
    );
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      return c.json(error.toBody(), error.status, error.headers);
    }
    if (error instanceof HTTPException) {
      return c.json(
        { error: { code: "http_error", message: error.message } },
        error.status,
      );
    }
    if (c.req.raw.signal.aborted) {
      // The client went away mid-request (its body cut short): nobody
      // reads the answer, and nothing failed on our side.
      console.info(
        `${c.req.method} ${c.req.path}: the client went away mid-request`,
      );
      return c.body(null, 499 as ContentfulStatusCode);
    }
    const write = !["GET", "HEAD", "OPTIONS"].includes(c.req.method);
    const problem = write ? deps.storage!.recordWriteFailure(error) : null;
    if (problem?.code === "disk_full") {
      // One line, in the log and to the caller: the cause, not a stack.
      console.error(
        `${c.req.method} ${c.req.path} failed: disk_full: ${
          String((error as Error)?.message ?? error).slice(0, 300)
        }`,
      );
      return c.json({
        error: {
          code: "disk_full",
          message:
            "the server's disk is full: nothing was stored; try again once space is freed",
        },
      }, 507);
    }
    console.error(`${c.req.method} ${c.req.path} failed:`, error);
    return c.json({
      error: {
        code: "internal",
        message: "internal error; see the server log",
      },
    }, 500);
  });

  return app;
}
