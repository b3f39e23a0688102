/**
 * The route-test harness: the admin token a test server is started with,
 * the header that carries it, the test configuration, and {@link testApp},
 * which puts an app, an in-process worker and a JSON caller together so a
 * route test starts with one line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Database } from "../db/client.ts";
 * import { testApp } from "./api.ts";
 * declare const database: Database;
 *
 * const { call } = testApp(database);
 * const res = await call("POST", "/api/suites", {
 *   name: "people",
 *   cases: [{ key: "a", schema: { type: "object" } }],
 * });
 * assert.equal(res.status, 201);
 * ```
 * @module
 */
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import type { Database } from "../db/client.ts";
import { type Env, readEnv } from "../env.ts";
import { Worker } from "../worker/worker.ts";
import type { WorkerOptions } from "../worker/options.ts";

/**
 * The bootstrap admin token of every test server (`ADMIN_TOKEN`).
 *
 * @example
 * ```ts
 * import { TEST_ADMIN_TOKEN } from "./api.ts";
 * const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
 * ```
 */
export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

/**
 * JSON content type plus the admin bearer token.
 *
 * @example
 * ```ts
 * import { ADMIN_HEADERS } from "./api.ts";
 * declare const url: string;
 * await fetch(`${url}/api/suites`, { headers: ADMIN_HEADERS });
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
 * import { testEnv } from "./api.ts";
 * const env = testEnv({ MAX_CASES_PER_SUITE: "5" });
 * console.log(env.maxCasesPerSuite);
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

/**
 * A JSON answer as tests read it.
 *
 * @example
 * ```ts
 * import type { JsonAnswer } from "./api.ts";
 * const answer: JsonAnswer = { status: 404, json: { error: "not_found" } };
 * ```
 */
export interface JsonAnswer {
  status: number;
  // deno-lint-ignore no-explicit-any
  json: any;
}

/**
 * How {@link Caller} sends a body: as JSON (default) or, with `raw`, as the
 * text it is, with `content-type: text/plain`.
 *
 * @example
 * ```ts
 * import type { CallOptions } from "./api.ts";
 * const jsonl: CallOptions = { raw: true };
 * ```
 */
export interface CallOptions {
  raw?: boolean;
}

/**
 * `call(method, path, body?, options?)`: one request with the admin token,
 * its answer read as JSON.
 *
 * @example
 * ```ts
 * import type { Caller } from "./api.ts";
 * declare const call: Caller;
 * const { status } = await call("GET", "/api/suites");
 * ```
 */
export type Caller = (
  method: string,
  path: string,
  body?: unknown,
  options?: CallOptions,
) => Promise<JsonAnswer>;

/** What {@link adminCaller} and {@link testApp} need of an app. */
interface Requestable {
  request: (path: string, init: RequestInit) => Response | Promise<Response>;
}

function caller(app: Requestable, seen?: string[]): Caller {
  return async (method, path, body, options = {}) => {
    const res = await app.request(path, {
      method,
      headers: options.raw
        ? { ...ADMIN_HEADERS, "content-type": "text/plain" }
        : ADMIN_HEADERS,
      body: body === undefined
        ? undefined
        : options.raw
        ? String(body)
        : JSON.stringify(body),
    });
    const text = await res.text();
    seen?.push(text);
    return { status: res.status, json: JSON.parse(text) };
  };
}

/**
 * A JSON caller of `app` that sends the admin token.
 *
 * @example
 * ```ts
 * import { createApp } from "../app.ts";
 * import type { Database } from "../db/client.ts";
 * import { adminCaller, testEnv } from "./api.ts";
 * declare const database: Database;
 * const call = adminCaller(createApp({ database, env: testEnv() }));
 * const res = await call("GET", "/api/suites");
 * ```
 */
export function adminCaller(app: Requestable): Caller {
  return caller(app);
}

/**
 * What {@link testApp} may be given: extra environment variables (see
 * {@link testEnv}) and worker settings over the test defaults (a 20 ms
 * poll), or a function of the configuration that returns them.
 *
 * @example
 * ```ts
 * import type { TestAppOptions } from "./api.ts";
 * const options: TestAppOptions = {
 *   env: { MAX_CASES_PER_SUITE: "5" },
 *   worker: { pollMs: 50, leaseMs: 30_000 },
 * };
 * ```
 */
export interface TestAppOptions {
  env?: Record<string, string>;
  worker?:
    | Partial<WorkerOptions>
    | ((env: Env) => Partial<WorkerOptions>);
}

/**
 * A test app and what comes with it.
 *
 * @example
 * ```ts
 * import type { TestApp } from "./api.ts";
 * declare const harness: TestApp;
 * harness.worker.start();
 * await harness.call("GET", "/api/runs");
 * await harness.worker.stop();
 * ```
 */
export interface TestApp {
  /** The app, for requests that are not admin JSON (pages, downloads). */
  app: Hono;
  /** Its configuration. */
  env: Env;
  /** An in-process worker, woken by every run created; not started. */
  worker: Worker;
  /** An admin JSON caller of the app. */
  call: Caller;
  /** The text of every answer `call` read, in order. */
  seen: string[];
  /**
   * Polls `GET /api/runs/:id` until the run has finished (`finished_at`
   * set) and returns it; throws with its progress after `timeoutMs`
   * (default 60 s).
   */
  finished: (id: string, timeoutMs?: number) => Promise<JsonAnswer["json"]>;
}

function finisher(call: Caller): TestApp["finished"] {
  return async (id, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await call("GET", `/api/runs/${id}`);
      if (res.json.finished_at) return res.json;
      if (Date.now() > deadline) {
        throw new Error(
          `run ${id} still ${res.json.status} after ${timeoutMs} ms: ${
            JSON.stringify(res.json.progress)
          }`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
}

/**
 * Builds an app on `database` with the test configuration and an
 * in-process worker (started by the test when it needs one).
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import { testApp } from "./api.ts";
 * declare const database: Database;
 * const { call, worker, finished } = testApp(database, {
 *   worker: { graceMs: 200 },
 * });
 * worker.start();
 * try {
 *   const run = await call("POST", "/api/runs", {
 *     suite_id: "a suite's id",
 *     target_id: "a target's id",
 *   });
 *   console.log((await finished(run.json.id)).scores);
 * } finally {
 *   await worker.stop();
 * }
 * ```
 */
export function testApp(
  database: Database,
  options: TestAppOptions = {},
): TestApp {
  const env = testEnv(options.env);
  const workerOptions = typeof options.worker === "function"
    ? options.worker(env)
    : options.worker;
  const worker = new Worker(database, {
    workerId: `test-${crypto.randomUUID()}`,
    pollMs: 20,
    ...workerOptions,
  });
  const app = createApp({
    database,
    env,
    onRunChanged: () => worker.wake(),
  });
  const seen: string[] = [];
  const call = caller(app, seen);
  return { app, env, worker, call, seen, finished: finisher(call) };
}
