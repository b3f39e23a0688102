/**
 * For tests: the admin token a test server is started with, and the
 * header that carries it. Tests build their env with {@link testEnv} and
 * send {@link ADMIN_HEADERS} on every request that needs a scope.
 *
 * @example
 * ```ts
 * import { ADMIN_HEADERS, testEnv } from "./auth.ts";
 * import { createApp } from "../app.ts";
 * import type { Database } from "../db/client.ts";
 * declare const body: string;
 * declare const database: Database;
 * const app = createApp({ database, env: testEnv() });
 * await app.request("/api/suites", { method: "POST", headers: ADMIN_HEADERS, body });
 * ```
 * @module
 */
import { type Env, readEnv } from "../env.ts";

/** The bootstrap admin token of every test server (`ADMIN_TOKEN`). */
export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

/**
 * JSON content type plus the admin bearer token.
 *
 * @example
 * ```ts
 * declare const body: string;
 * declare const url: string;
 * fetch(url, { method: "POST", headers: ADMIN_HEADERS, body });
 * ```
 */
export const ADMIN_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "application/json",
  authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
});

/**
 * A test configuration: no built-in suites, the test admin token, limits
 * on writes and runs in flight lifted (tests of those limits set their
 * own), plus `extra` variables.
 *
 * @example
 * ```ts
 * const env = testEnv({ MAX_CASES_PER_SUITE: "5" });
 * ```
 */
export function testEnv(extra: Record<string, string> = {}): Env {
  return readEnv({
    LOAD_BUILTIN_SUITES: "false",
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    WRITE_RATE_PER_MINUTE: "1000000",
    MAX_RUNS_IN_FLIGHT_PER_TOKEN: "1000",
    ...extra,
  });
}

/** A JSON answer as tests read it. */
export interface JsonAnswer {
  status: number;
  // deno-lint-ignore no-explicit-any
  json: any;
}

/**
 * A JSON caller of `app` that sends the admin token: `call(method, path,
 * body?)`.
 *
 * @example
 * ```ts
 * import type { CaseInput } from "../suites/prepare.ts";
 * import { createApp } from "../app.ts";
 * import type { Database } from "../db/client.ts";
 * declare const cases: CaseInput[];
 * declare const database: Database;
 * const call = adminCaller(createApp({ database, env: testEnv() }));
 * const res = await call("POST", "/api/suites", { name: "x", cases });
 * ```
 */
export function adminCaller(
  app: {
    request: (path: string, init: RequestInit) => Response | Promise<Response>;
  },
): (method: string, path: string, body?: unknown) => Promise<JsonAnswer> {
  return async (method, path, body) => {
    const res = await app.request(path, {
      method,
      headers: ADMIN_HEADERS,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
}
