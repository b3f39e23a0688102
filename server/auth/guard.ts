/**
 * Who is calling, and may they? One middleware for the whole app:
 *
 * 1. A bearer token, if sent, is checked (the environment's `ADMIN_TOKEN`
 *    or a stored token); an unknown or revoked one is a 401 on any route.
 * 2. The route's scope comes from one table ({@link requiredScope}): reads
 *    are open, writes of suites and runs need `write`, targets, schedules,
 *    tokens and hiding runs need `admin`. No token: 401; too weak: 403.
 * 3. Writes are rate limited per token and, apart, per client address:
 *    over it, 429 with `Retry-After`.
 *
 * The caller's identity is kept beside the request ({@link principalOf}),
 * for the routes that decide who may read a private run.
 *
 * @example
 * ```ts
 * import { authGuard } from "./guard.ts";
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../app.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.use("*", authGuard(deps));
 * ```
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Database } from "../db/client.ts";
import { findToken, touchToken } from "../db/queries/tokens.ts";
import type { Env } from "../env.ts";
import { ApiError } from "../errors.ts";
import { RateLimiter } from "./rate_limit.ts";
import { hashToken, hasScope, sameSecret, type Scope } from "./tokens.ts";

/** An authenticated caller. */
export interface Principal {
  /** The stored token's id; null for the environment's `ADMIN_TOKEN`. */
  tokenId: string | null;
  /** The token's name (`ADMIN_TOKEN` for the bootstrap token). */
  name: string;
  scopes: readonly string[];
}

const principals = new WeakMap<Request, Principal>();

/**
 * The caller of `request`, or null when it carried no token.
 *
 * @example
 * ```ts
 * import type { Context } from "hono";
 * declare const c: Context;
 * const who = principalOf(c.req.raw);
 * ```
 */
export function principalOf(request: Request): Principal | null {
  return principals.get(request) ?? null;
}

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Route rules, first match wins: [writes only?, path, scope]. */
const RULES: ReadonlyArray<readonly [boolean, RegExp, Scope]> = [
  [false, /^\/api\/tokens(\/|$)/, "admin"],
  [true, /^\/api\/(targets|schedules)(\/|$)/, "admin"],
  [true, /^\/api\/runs\/[^/]+\/(hide|unhide|rejudge)$/, "admin"],
  // Costs CPU, changes nothing: any token (and rate limited as a write).
  [true, /^\/api\/validate$/, "read"],
  [true, /^\/api\//, "write"],
];

/**
 * The scope a request needs, or null for an open one.
 *
 * @example
 * ```ts
 * requiredScope("POST", "/api/suites"); // "write"
 * requiredScope("GET", "/api/runs"); // null
 * ```
 */
export function requiredScope(method: string, path: string): Scope | null {
  const write = !READS.has(method.toUpperCase());
  for (const [writesOnly, pattern, scope] of RULES) {
    if ((write || !writesOnly) && pattern.test(path)) return scope;
  }
  return null;
}

/**
 * The client's address: the socket's peer, or with `TRUST_PROXY` the last
 * address of `X-Forwarded-For` (the one the proxy added).
 *
 * @example
 * ```ts
 * import type { Context } from "hono";
 * declare const c: Context;
 * clientAddress(c, false); // "203.0.113.7"
 * ```
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    // The right-most entry is the one the trusted proxy added; the ones
    // before it are whatever the client wrote.
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)
      ?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  const info = c.env as { remoteAddr?: { hostname?: string } } | undefined;
  return info?.remoteAddr?.hostname ?? "local";
}

interface CachedToken {
  principal: Principal | null;
  until: number;
}

/** Options of {@link authGuard}. */
export interface AuthGuardDeps {
  database: Database;
  env: Env;
}

/** The middleware plus its token cache, which revocation must clear. */
export interface AuthGuard extends MiddlewareHandler {
  /** Forgets cached tokens (after a revoke or rotate in this process). */
  forget(): void;
}

/** How long a looked-up token is trusted before it is read again. */
const CACHE_MS = 5_000;
/** Last-use times are written at most this often per token. */
const TOUCH_MS = 60_000;

/**
 * Builds the middleware.
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { Database } from "../db/client.ts";
 * import type { Env } from "../env.ts";
 * declare const app: Hono;
 * declare const database: Database;
 * declare const env: Env;
 * const guard = authGuard({ database, env });
 * app.use("*", guard);
 * guard.forget(); // after revoking a token
 * ```
 */
export function authGuard(deps: AuthGuardDeps): AuthGuard {
  const cache = new Map<string, CachedToken>();
  const touched = new Map<string, number>();
  const perToken = new RateLimiter({ perMinute: deps.env.writeRatePerMinute });
  const perAddress = new RateLimiter({
    perMinute: deps.env.writeRatePerMinute,
  });

  async function lookUp(token: string): Promise<Principal | null> {
    const admin = deps.env.adminToken;
    if (admin && sameSecret(token, admin)) {
      return { tokenId: null, name: "ADMIN_TOKEN", scopes: ["admin"] };
    }
    const hash = hashToken(token);
    const now = Date.now();
    const hit = cache.get(hash);
    if (hit && hit.until > now) return hit.principal;
    const row = await findToken(deps.database, hash);
    const principal = row
      ? { tokenId: row.id, name: row.name, scopes: row.scopes }
      : null;
    cache.delete(hash);
    cache.set(hash, { principal, until: now + CACHE_MS });
    // Oldest first out: junk tokens cannot flush the live ones all at once.
    if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
    if (row && now - (touched.get(row.id) ?? 0) > TOUCH_MS) {
      touched.set(row.id, now);
      touchToken(deps.database, row.id).catch(() => {});
    }
    return principal;
  }

  const guard: MiddlewareHandler = async (c, next) => {
    const header = c.req.header("authorization");
    let principal: Principal | null = null;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(header);
      principal = match ? await lookUp(match[1]) : null;
      if (!principal) {
        throw new ApiError(
          401,
          "invalid_token",
          "the bearer token is unknown, revoked or malformed",
        ).withHeader("WWW-Authenticate", 'Bearer error="invalid_token"');
      }
      principals.set(c.req.raw, principal);
    }
    const needed = requiredScope(c.req.method, c.req.path);
    if (needed && !principal) {
      throw new ApiError(
        401,
        "unauthorized",
        `this route needs a token with the ${needed} scope: send Authorization: Bearer <token>`,
      ).withHeader("WWW-Authenticate", "Bearer");
    }
    if (needed && !hasScope(principal!.scopes, needed)) {
      throw new ApiError(
        403,
        "forbidden",
        `this route needs the ${needed} scope; the token "${
          principal!.name
        }" has ${principal!.scopes.join(", ")}`,
      );
    }
    if (!READS.has(c.req.method) && c.req.path.startsWith("/api/")) {
      const address = clientAddress(c, deps.env.trustProxy);
      const checks = [
        [perToken, `token:${principal?.tokenId ?? principal?.name}`],
        [perAddress, `address:${address}`],
      ] as const;
      for (const [limiter, key] of checks) {
        const verdict = limiter.peek(key);
        if (!verdict.ok) {
          throw new ApiError(
            429,
            "rate_limited",
            `over ${deps.env.writeRatePerMinute} writes a minute (WRITE_RATE_PER_MINUTE); retry after ${verdict.retryAfterS} s`,
          ).withHeader("Retry-After", String(verdict.retryAfterS));
        }
      }
      for (const [limiter, key] of checks) limiter.take(key);
    }
    await next();
  };
  return Object.assign(guard, { forget: () => cache.clear() });
}
