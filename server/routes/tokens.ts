/**
 * The token admin API (every route needs `admin`):
 * - `POST /api/tokens` `{ name, scopes }`: 201 `{ id, name, scopes, token }`;
 *   the token is shown this once, only its hash is kept.
 * - `GET /api/tokens`: names, scopes, creation, last use, revocation;
 *   never a token or its hash.
 * - `POST /api/tokens/:id/revoke` (or `DELETE /api/tokens/:id`): it stops
 *   working at once on this server, within seconds on others.
 * - `POST /api/tokens/:id/rotate`: a new secret under the same id (its runs
 *   stay its own); the old secret stops working.
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../app.ts";
 * import type { AuthGuard } from "../auth/guard.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * declare const guard: AuthGuard;
 * app.route("/api/tokens", tokenRoutes(deps, guard));
 * ```
 * @module
 */
import { Hono } from "hono";
import type { AuthGuard } from "../auth/guard.ts";
import type { Scope } from "../auth/tokens.ts";
import {
  createToken,
  listTokens,
  revokeToken,
  rotateToken,
  type TokenRow,
} from "../db/queries/tokens.ts";
import { ApiError } from "../errors.ts";
import { checkBody, readJson } from "../http/request_body.ts";
import type { AppDeps } from "../app.ts";
import { isUuid } from "../../evaluators/validation/uuid.ts";

/**
 * A token as lists show it (no secret, no hash).
 *
 * @example
 * ```ts
 * import type { TokenRow } from "../db/queries/tokens.ts";
 * declare const row: TokenRow;
 * tokenJson(row); // { id, name, scopes, created_at, last_used_at, revoked_at }
 * ```
 */
export function tokenJson(row: TokenRow) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}

function tokenId(id: string): string {
  if (!isUuid(id)) throw new ApiError(404, "not_found", "no such token");
  return id;
}

/**
 * The tokens sub-app.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app.ts";
 * import type { AuthGuard } from "../auth/guard.ts";
 * declare const deps: AppDeps;
 * declare const guard: AuthGuard;
 * await tokenRoutes(deps, guard).request("/", { method: "GET" });
 * ```
 */
export function tokenRoutes(deps: AppDeps, guard: AuthGuard): Hono {
  const app = new Hono();

  app.post("/", async (c) => {
    const input = checkBody<{ name: string; scopes: Scope[] }>(
      "token_create",
      await readJson(c),
    );
    const { token, row } = await createToken(deps.database, input);
    return c.json({ ...tokenJson(row), token }, 201);
  });

  app.get("/", async (c) => {
    const rows = await listTokens(deps.database);
    return c.json({ items: rows.map(tokenJson), next_cursor: null });
  });

  const revoke = async (id: string) => {
    if (!await revokeToken(deps.database, tokenId(id))) {
      throw new ApiError(404, "not_found", "no live token with that id");
    }
    guard.forget();
    return { id, revoked: true };
  };
  app.post("/:id/revoke", async (c) => c.json(await revoke(c.req.param("id"))));
  app.delete("/:id", async (c) => c.json(await revoke(c.req.param("id"))));

  app.post("/:id/rotate", async (c) => {
    const rotated = await rotateToken(
      deps.database,
      tokenId(c.req.param("id")),
    );
    if (!rotated) {
      throw new ApiError(404, "not_found", "no live token with that id");
    }
    guard.forget();
    return c.json({ ...tokenJson(rotated.row), token: rotated.token });
  });

  return app;
}
