/**
 * The routes `deno task fuzz` covers and the fixtures their bodies refer
 * to: a suite, a target on 127.0.0.1:9, a schedule, a run and a token,
 * created through the API itself.
 *
 * @example
 * ```ts
 * import { fuzzedRoutes, setUpFixtures } from "./routes.ts";
 * import type { App } from "./routes.ts";
 * declare const app: App;
 * const specs = fuzzedRoutes(await setUpFixtures(app));
 * ```
 * @module
 */
import fc from "fast-check";
import type { createApp } from "../../server/app.ts";
import { API_SCHEMAS } from "../../server/http/request_body.ts";
import { ADMIN_HEADERS } from "../../server/testing/api.ts";
import { fromSchema, type JsonSchema } from "./from_schema.ts";

/** The app under fuzzing. */
export type App = ReturnType<typeof createApp>;

/** One route under fuzzing. */
export interface RouteSpec {
  method: string;
  /** The path, given the id drawn for `:id`. */
  path: (id: string) => string;
  label: string;
  /** Valid bodies (JSON) for this route; null: the route reads no body. */
  valid: fc.Arbitrary<unknown> | null;
  /** Turns a valid body into the text sent (JSONL for the import). */
  encode?: (body: unknown) => string;
  /** The real id for `:id` routes. */
  id?: string;
  /** Only fuzzed when the app has the route. */
  optional?: boolean;
}

/**
 * Sends one request with the admin token; `contentType` empty sends none.
 *
 * @example
 * ```ts
 * import type { App } from "./routes.ts";
 * declare const app: App;
 * const { status, text } = await call(app, "GET", "/api/health");
 * ```
 */
export async function call(
  app: App,
  method: string,
  path: string,
  body?: string | Uint8Array,
  contentType = "application/json",
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { ...ADMIN_HEADERS };
  if (contentType) headers["content-type"] = contentType;
  else delete headers["content-type"];
  const res = await app.request(path, {
    method,
    headers,
    body: body as BodyInit | undefined,
  });
  return { status: res.status, text: await res.text() };
}

async function must(app: App, method: string, path: string, body: unknown) {
  const res = await call(app, method, path, JSON.stringify(body));
  if (res.status >= 300) {
    throw new Error(`setup ${method} ${path}: ${res.status} ${res.text}`);
  }
  return JSON.parse(res.text) as Record<string, unknown> & { id: string };
}

/** A request-body schema of `schemas/api/`, or undefined. */
function schema(name: string): JsonSchema {
  return (API_SCHEMAS as Record<string, unknown>)[name] as JsonSchema;
}

/** The ids of the fixtures. */
export interface Fixtures {
  suite: string;
  target: string;
  schedule: string;
  run: string;
  token: string;
}

/**
 * Creates what valid bodies refer to.
 *
 * @example
 * ```ts
 * import type { App } from "./routes.ts";
 * declare const app: App;
 * const ids = await setUpFixtures(app); // { suite, target, schedule, run, token }
 * ```
 */
export async function setUpFixtures(app: App): Promise<Fixtures> {
  const suite = await must(app, "POST", "/api/suites", {
    name: "fuzz-fixture",
    cases: [
      { key: "a", schema: { type: "object" } },
      { key: "b", schema: { type: "string", maxLength: 3 } },
    ],
  });
  const target = await must(app, "POST", "/api/targets", {
    name: "fuzz-fixture",
    kind: "openai-compatible",
    base_url: "http://127.0.0.1:9/v1",
    model: "m",
    mode: "json_schema",
  });
  const schedule = await must(app, "POST", "/api/schedules", {
    name: "fuzz-fixture",
    cron: "0 3 * * *",
    suite_id: suite.id,
    target_ids: [target.id],
    enabled: false,
  });
  const run = await must(app, "POST", "/api/runs", {
    suite_id: suite.id,
    target_id: target.id,
  });
  const tokens = await call(
    app,
    "POST",
    "/api/tokens",
    JSON.stringify({ name: "fuzz-fixture", scopes: ["read"] }),
  );
  const token = tokens.status === 201
    ? (JSON.parse(tokens.text) as { id: string }).id
    : crypto.randomUUID();
  return {
    suite: suite.id,
    target: target.id,
    schedule: schedule.id,
    run: run.id,
    token,
  };
}

/**
 * Every route with a body (or that a body may reach), with its valid
 * bodies derived from `schemas/api/` and the fixtures' ids.
 *
 * @example
 * ```ts
 * import type { Fixtures } from "./routes.ts";
 * declare const ids: Fixtures;
 * fuzzedRoutes(ids).map((r) => r.label); // ["POST /api/suites", …]
 * ```
 */
export function fuzzedRoutes(ids: Fixtures): RouteSpec[] {
  const uuidOf = (real: string) =>
    fc.oneof({ arbitrary: fc.constant(real), weight: 4 }, fc.uuid());
  const cron = fc.oneof(
    fc.constantFrom("0 3 * * *", "*/5 * * * *", "0 0 1 1 *", "0 */2 * * * *"),
    fc.string({ minLength: 9, maxLength: 40 }),
  );
  const runOverrides = {
    "/suite_id": uuidOf(ids.suite),
    "/target_id": uuidOf(ids.target),
  };
  const scheduleOverrides = {
    "/cron": cron,
    "/suite_id": uuidOf(ids.suite),
    "/target_ids": fc.array(uuidOf(ids.target), { minLength: 1, maxLength: 2 })
      .map((a) => [...new Set(a)]),
  };
  const targetOverrides = {
    "/api_key_env": fc.constantFrom(
      "LOCAL_API_KEY",
      "HF_TOKEN",
      "DATABASE_URL",
    ),
    "/base_url": fc.constantFrom(
      "http://127.0.0.1:9/v1",
      "http://10.0.0.1:8080",
      "http://[::1]:9",
      "http://169.254.169.254/",
      "http://0xa9.0xfe.0xa9.0xfe/",
      "http://[::ffff:169.254.169.254]/",
      "http://metadata.google.internal/",
      "http://0.0.0.0:9",
      "http://user:pw@127.0.0.1:9",
      "https://127.0.0.1:9/\u0000",
    ),
  };
  const jsonl = (body: unknown) => {
    if (!Array.isArray(body)) return JSON.stringify(body);
    const lines: string[] = [];
    for (const line of Array.from(body)) {
      lines.push(typeof line === "string" ? line : JSON.stringify(line));
    }
    return lines.join("\n");
  };
  const hubLine = fc.oneof(
    fc.record({
      unique_id: fc.string({ minLength: 1, maxLength: 20 }),
      json_schema: fromSchema({ type: "object" }, schema("suite_create"), {})
        .map((s) => JSON.stringify(s)),
    }),
    fc.jsonValue({ maxDepth: 2 }),
    fc.string({ maxLength: 40 }),
  );
  return [
    {
      method: "POST",
      path: () => "/api/suites",
      label: "POST /api/suites",
      valid: fromSchema(schema("suite_create"), schema("suite_create"), {}),
    },
    {
      method: "POST",
      path: (name) => `/api/suites/import?name=${encodeURIComponent(name)}`,
      label: "POST /api/suites/import (JSONL)",
      valid: fc.array(hubLine, { minLength: 1, maxLength: 3 }),
      encode: jsonl,
      id: "fuzz-import",
    },
    {
      method: "POST",
      path: () => "/api/targets",
      label: "POST /api/targets",
      valid: fromSchema(
        schema("target_create"),
        schema("target_create"),
        targetOverrides,
      ),
    },
    {
      method: "PATCH",
      path: (id) => `/api/targets/${id}`,
      label: "PATCH /api/targets/:id",
      valid: fromSchema(schema("target_update"), schema("target_update"), {}),
      id: ids.target,
    },
    {
      method: "POST",
      path: () => "/api/runs",
      label: "POST /api/runs",
      valid: fromSchema(
        schema("run_create"),
        schema("run_create"),
        runOverrides,
      ),
    },
    {
      method: "POST",
      path: () => "/api/runs?dry_run=1",
      label: "POST /api/runs?dry_run=1",
      valid: fromSchema(
        schema("run_create"),
        schema("run_create"),
        runOverrides,
      ),
    },
    {
      method: "POST",
      path: () => "/api/validate",
      label: "POST /api/validate",
      valid: fc.record({
        schema: fc.oneof(
          fc.constantFrom(
            { type: "integer", maximum: 9223372036854776000 },
            { $schema: "http://json-schema.org/draft-04/schema#", id: "x" },
            { format: "date-time" },
            { pattern: "^(?!a)" },
          ),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        instances: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }),
        validation: fc.constantFrom("declared", "jsb"),
      }),
    },
    {
      method: "POST",
      path: () => "/api/schedules",
      label: "POST /api/schedules",
      valid: fromSchema(
        schema("schedule_create"),
        schema("schedule_create"),
        scheduleOverrides,
      ),
    },
    {
      method: "PATCH",
      path: (id) => `/api/schedules/${id}`,
      label: "PATCH /api/schedules/:id",
      valid: fromSchema(
        schema("schedule_update"),
        schema("schedule_update"),
        scheduleOverrides,
      ),
      id: ids.schedule,
    },
    {
      method: "POST",
      path: (id) => `/api/runs/${id}/hide`,
      label: "POST /api/runs/:id/hide",
      valid: fc.record({ reason: fc.string({ maxLength: 600 }) }, {
        requiredKeys: [],
      }),
      id: ids.run,
    },
    ...["unhide", "cancel"].map((action) => ({
      method: "POST",
      path: (id: string) => `/api/runs/${id}/${action}`,
      label: `POST /api/runs/:id/${action}`,
      valid: null,
      id: ids.run,
    })),
    ...(schema("token_create")
      ? [{
        method: "POST",
        path: () => "/api/tokens",
        label: "POST /api/tokens",
        valid: fromSchema(schema("token_create"), schema("token_create"), {}),
        optional: true,
      }]
      : []),
    ...["rotate", "revoke"].map((action) => ({
      method: "POST",
      path: (id: string) => `/api/tokens/${id}/${action}`,
      label: `POST /api/tokens/:id/${action}`,
      valid: null,
      id: ids.token,
      optional: true,
    })),
  ];
}
