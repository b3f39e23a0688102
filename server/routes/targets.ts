/**
 * `POST /api/targets` and `GET /api/targets`. A target is operator
 * configuration: it fixes engine, model and mode. Its API key is never
 * stored: only the NAME of the environment variable holding it.
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../app.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.route("/api/targets", targetRoutes(deps));
 * ```
 * @module
 */
import { Hono } from "hono";
import {
  createTargetRow,
  getTarget,
  listTargets,
  TargetNameTakenError,
  type TargetRow,
} from "../db/queries/targets.ts";
import { boardChanged } from "../board/cache.ts";
import { ApiError } from "../errors.ts";
import {
  CURSOR_FIELDS,
  decodeCursorOf,
  encodeCursor,
  parseLimit,
} from "../http/pagination.ts";
import { checkBody, readJson } from "../http/request_body.ts";
import type { AppDeps } from "../app.ts";
import type { Price } from "../../evaluators/metrics/price_table.ts";
import { isAllowedSecretName } from "../auth/secrets.ts";
import { checkBaseUrl } from "../../evaluators/targets/transport/base_url_guard.ts";

interface TargetInput {
  name: string;
  kind: string;
  base_url?: string;
  model?: string;
  mode: string;
  params?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  hardware?: string;
  api_key_env?: string;
  max_concurrency?: number;
  /** The body schema requires both per-million prices. */
  pricing?: Price;
}

/**
 * A target as the API shows it (never a secret).
 *
 * @example
 * ```ts
 * import type { TargetRow } from "../db/queries/targets.ts";
 * declare const row: TargetRow;
 * targetJson(row).api_key_env; // "OPENAI_API_KEY", the variable's name only
 * ```
 */
export function targetJson(row: TargetRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    base_url: row.baseUrl,
    model: row.model,
    mode: row.mode,
    params: row.params,
    settings: row.settings,
    hardware: row.hardware,
    api_key_env: row.apiKeyEnv,
    max_concurrency: row.maxConcurrency,
    pricing: row.pricing,
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * The targets sub-app.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app.ts";
 * declare const deps: AppDeps;
 * declare const target: Record<string, unknown>;
 * await targetRoutes(deps).request("/", { method: "POST", body: JSON.stringify(target) });
 * ```
 */
export function targetRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.post("/", async (c) => {
    const input = checkBody<TargetInput>("target_create", await readJson(c));
    if (
      ["llamacpp", "openai-compatible"].includes(input.kind) && !input.base_url
    ) {
      throw new ApiError(
        400,
        "invalid_body",
        `/base_url is required for kind ${input.kind}`,
        "/base_url",
      );
    }
    if (input.kind === "huggingface" && !input.base_url && !input.model) {
      throw new ApiError(
        400,
        "invalid_body",
        "/model is required for kind huggingface without a base_url",
        "/model",
      );
    }
    if (input.base_url !== undefined) {
      const verdict = await checkBaseUrl(input.base_url, {
        allowedHosts: deps.env.targetAllowedHosts,
      });
      if (!verdict.ok) {
        throw new ApiError(
          400,
          "base_url_blocked",
          verdict.message,
          "/base_url",
        );
      }
    }
    if (
      input.api_key_env &&
      !isAllowedSecretName(input.api_key_env, deps.env.secretAllowlist)
    ) {
      const list = deps.env.secretAllowlist.join(",");
      throw new ApiError(
        400,
        "secret_not_allowed",
        `${input.api_key_env} is not on the allow-list of key variables (SECRET_ENV_ALLOWLIST: ${list}; never DATABASE_URL or ADMIN_TOKEN)`,
        "/api_key_env",
      );
    }
    try {
      const row = await createTargetRow(deps.database, {
        name: input.name,
        kind: input.kind,
        baseUrl: input.base_url ?? null,
        model: input.model ?? null,
        mode: input.mode,
        params: input.params ?? {},
        settings: input.settings ?? {},
        hardware: input.hardware ?? null,
        apiKeyEnv: input.api_key_env ?? null,
        maxConcurrency: input.max_concurrency ?? null,
        pricing: input.pricing ?? null,
      });
      boardChanged();
      return c.json(targetJson(row), 201);
    } catch (error) {
      if (error instanceof TargetNameTakenError) {
        throw new ApiError(409, "name_taken", error.message, "/name");
      }
      throw error;
    }
  });

  app.get("/", async (c) => {
    const limit = parseLimit(c.req.query("limit"), 50, 500);
    const cursor = c.req.query("cursor");
    const after = cursor
      ? decodeCursorOf<{ name: string }>(cursor, { name: CURSOR_FIELDS.text })
      : undefined;
    const rows = await listTargets(deps.database, {
      limit: limit + 1,
      afterName: after?.name,
    });
    const page = rows.slice(0, limit);
    return c.json({
      items: page.map(targetJson),
      next_cursor: rows.length > limit
        ? encodeCursor({ name: page[page.length - 1].name })
        : null,
    });
  });

  app.get("/:id", async (c) => {
    const row = await getTarget(deps.database, c.req.param("id"));
    if (!row) {
      throw new ApiError(404, "not_found", "no target with that id or name");
    }
    return c.json(targetJson(row));
  });

  return app;
}
