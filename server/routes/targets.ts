/**
 * `POST/GET /api/targets`, `GET/PATCH /api/targets/:id`,
 * `POST /api/targets/:id/copy`, `…/retire` and `…/unretire`. A target is
 * operator configuration: it fixes engine, model and mode. Its API key is
 * never stored: only the NAME of the environment variable holding it.
 * PATCH changes only what stored results do not depend on (name,
 * description, max_concurrency); anything else makes a new target (copy).
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
  retireTarget,
  TargetNameTakenError,
  type TargetRow,
  updateTarget,
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
  description?: string | null;
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
    description: row.description,
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
    retired_at: row.retiredAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

/** Checks a target body beyond its schema and stores it (201's row). */
async function createTarget(
  deps: AppDeps,
  input: TargetInput,
): Promise<TargetRow> {
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
      description: input.description ?? null,
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
    return row;
  } catch (error) {
    if (error instanceof TargetNameTakenError) {
      throw new ApiError(409, "name_taken", error.message, "/name");
    }
    throw error;
  }
}

/** The fields a copy takes from its original unless the body changes them. */
function copyBody(row: TargetRow, changes: Record<string, unknown>) {
  const {
    id: _id,
    name: _name,
    retired_at: _retired,
    created_at: _created,
    ...original
  } = targetJson(row);
  const merged: Record<string, unknown> = { ...original, ...changes };
  for (const [key, value] of Object.entries(merged)) {
    if (value === null && key !== "description") delete merged[key];
  }
  return merged;
}

async function targetOr404(deps: AppDeps, id: string): Promise<TargetRow> {
  const row = await getTarget(deps.database, id);
  if (!row) {
    throw new ApiError(404, "not_found", "no target with that id or name");
  }
  return row;
}

/**
 * Fields PATCH refuses because stored results depend on them (what a config
 * file's target must also say alike to be reused).
 *
 * @example
 * ```ts
 * MEANING_FIELDS.includes("model"); // true
 * ```
 */
export const MEANING_FIELDS: readonly string[] = [
  "kind",
  "base_url",
  "model",
  "mode",
  "params",
  "settings",
  "hardware",
  "api_key_env",
  "pricing",
];

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
    return c.json(targetJson(await createTarget(deps, input)), 201);
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
      retired: ["1", "true"].includes(c.req.query("retired") ?? ""),
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
    return c.json(targetJson(await targetOr404(deps, c.req.param("id"))));
  });

  app.patch("/:id", async (c) => {
    const body = await readJson(c);
    const meaning = MEANING_FIELDS.filter((field) =>
      typeof body === "object" && body !== null && field in body
    );
    if (meaning.length) {
      throw new ApiError(
        400,
        "changes_meaning",
        `${
          meaning.join(", ")
        } change what the target's results mean: make a new target with POST /api/targets/:id/copy (only name, description and max_concurrency change in place)`,
        `/${meaning[0]}`,
      );
    }
    const input = checkBody<Partial<TargetInput>>("target_update", body);
    const row = await targetOr404(deps, c.req.param("id"));
    try {
      const updated = await updateTarget(deps.database, row.id, {
        name: input.name,
        description: input.description,
        maxConcurrency: input.max_concurrency,
      });
      if (!updated) throw new ApiError(404, "not_found", "no such target");
      boardChanged();
      return c.json(targetJson(updated));
    } catch (error) {
      if (error instanceof TargetNameTakenError) {
        throw new ApiError(409, "name_taken", error.message, "/name");
      }
      throw error;
    }
  });

  app.post("/:id/copy", async (c) => {
    const row = await targetOr404(deps, c.req.param("id"));
    const changes = await readJson(c);
    if (typeof changes !== "object" || changes === null) {
      throw new ApiError(400, "invalid_body", "the body must be an object");
    }
    const input = checkBody<TargetInput>(
      "target_create",
      copyBody(row, changes as Record<string, unknown>),
    );
    return c.json(targetJson(await createTarget(deps, input)), 201);
  });

  for (const [action, retired] of [["retire", true], ["unretire", false]]) {
    app.post(`/:id/${action}`, async (c) => {
      const row = await targetOr404(deps, c.req.param("id"));
      const updated = await retireTarget(deps.database, row.id, !!retired);
      if (!updated) throw new ApiError(404, "not_found", "no such target");
      boardChanged();
      return c.json(targetJson(updated));
    });
  }

  return app;
}
