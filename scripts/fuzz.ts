/**
 * `deno task fuzz [--runs N] [--seed S]`: property-based fuzzing of every
 * route that takes a body. The app runs in process (`app.request`, no
 * socket) on a fresh embedded PGlite in a temporary folder, with the test
 * admin token. Each route gets N cases (default 2,000) of: random JSON
 * values, text and bytes that are not JSON, and valid bodies derived from
 * `schemas/api/` with mutations (a required field dropped, wrong types,
 * huge, negative and NaN-like numbers, unicode, null bytes, lone
 * surrogates, deep nesting, long strings, extra and `__proto__` keys).
 *
 * The property: every answer is a 2xx, or a 4xx whose body is
 * `{ error: { code, message } }` with both non-empty; never a 5xx. After
 * the routes, `GET /api/health` must answer 200 and the database must
 * still list suites. One line per route (cases, status counts, 5xx);
 * exit 1 on any failure, with fast-check's shrunk counterexample and the
 * seed that reproduces it.
 *
 * @example
 * ```sh
 * deno task fuzz --runs 200 --seed 42
 * ```
 * @module
 */
import fc from "fast-check";
import { createApp } from "../server/app.ts";
import { openDatabase } from "../server/db/client.ts";
import { migrateDatabase } from "../server/db/migrate.ts";
import { API_SCHEMAS } from "../server/request_body.ts";
import { ADMIN_HEADERS, testEnv } from "../server/test_auth.ts";
import {
  type BodyCase,
  bodyCase,
  fromSchema,
  idArb,
  type JsonSchema,
} from "./fuzz_bodies.ts";

type App = ReturnType<typeof createApp>;

/** One route under fuzzing. */
interface RouteSpec {
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

/** What the fuzz saw on one route. */
export interface RouteStats {
  label: string;
  /** Cases run before the verdict (shrinking not counted). */
  cases: number;
  /** Requests sent, shrinking included. */
  requests: number;
  statuses: Record<number, number>;
  fiveXx: number;
  failure?: string;
  /** What the server logged for the (shrunk) counterexample. */
  log?: string;
  absent?: boolean;
}

function args(argv: string[]): { runs: number; seed: number; only: string } {
  let runs = 2000;
  let seed = Date.now() % 2_147_483_647;
  let only = "";
  for (let i = 0; i < argv.length; i++) {
    const value = Number(argv[i + 1]);
    if (argv[i] === "--runs" && Number.isInteger(value) && value > 0) {
      runs = value;
      i++;
    } else if (argv[i] === "--seed" && Number.isInteger(value)) {
      seed = value;
      i++;
    } else if (argv[i] === "--only" && argv[i + 1]) {
      only = argv[++i];
    } else {
      console.error(
        "usage: deno task fuzz [--runs N] [--seed S] [--only TEXT]",
      );
      Deno.exit(2);
    }
  }
  return { runs, seed, only };
}

async function call(
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

/** What the property demands of one answer; null when it holds. */
function problem(res: { status: number; text: string }): string | null {
  if (res.status >= 200 && res.status < 300) return null;
  if (res.status >= 500) return `HTTP ${res.status}: ${res.text.slice(0, 500)}`;
  if (res.status < 400) return `unexpected HTTP ${res.status}`;
  try {
    const error = (JSON.parse(res.text) as { error?: Record<string, unknown> })
      .error;
    if (
      typeof error?.code === "string" && error.code &&
      typeof error.message === "string" && error.message.trim()
    ) return null;
  } catch { /* not JSON: reported below */ }
  return `HTTP ${res.status} without { error: { code, message } }: ${
    res.text.slice(0, 300)
  }`;
}

function schema(name: string): JsonSchema {
  return (API_SCHEMAS as Record<string, unknown>)[name] as JsonSchema;
}

async function setUp(app: App) {
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

function routes(ids: Awaited<ReturnType<typeof setUp>>): RouteSpec[] {
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

async function fuzzRoute(
  app: App,
  spec: RouteSpec,
  runs: number,
  seed: number,
  logged: string[],
): Promise<RouteStats> {
  const stats: RouteStats = {
    label: spec.label,
    cases: 0,
    requests: 0,
    statuses: {},
    fiveXx: 0,
  };
  if (spec.optional) {
    const probe = await call(app, spec.method, spec.path("probe"), "{}");
    if (probe.status === 404 && probe.text.includes("no route for")) {
      return { ...stats, absent: true };
    }
  }
  const ids = spec.id ? idArb(spec.id) : fc.constant("");
  const property = fc.asyncProperty(
    bodyCase(spec.valid, spec.encode),
    ids,
    async (sent: BodyCase, id: string) => {
      logged.length = 0;
      const res = await call(
        app,
        spec.method,
        spec.path(id),
        sent.body,
        sent.contentType,
      );
      stats.requests++;
      stats.statuses[res.status] = (stats.statuses[res.status] ?? 0) + 1;
      if (res.status >= 500) stats.fiveXx++;
      const found = problem(res);
      if (found) {
        // The last failure is the shrunk counterexample: keep its log.
        stats.log = logged.join("\n");
        throw new Error(found);
      }
    },
  );
  const details = await fc.check(property, { numRuns: runs, seed });
  stats.cases = details.numRuns;
  if (details.failed) {
    const report = fc.defaultReportMessage(details) ?? "failed";
    stats.failure = report.length > 6000
      ? `${report.slice(0, 6000)}… (cut)`
      : report;
  }
  return stats;
}

function line(stats: RouteStats): string {
  if (stats.absent) return `${stats.label}: not in this app, skipped`;
  const counts = Object.entries(stats.statuses)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, n]) => `${status} ×${n}`)
    .join(", ");
  const shrinking = stats.requests - stats.cases;
  const extra = shrinking > 0 ? ` (+${shrinking} while shrinking)` : "";
  return `${stats.label}: ${stats.cases} cases${extra}; ${counts}; 5xx: ${stats.fiveXx}`;
}

async function main(): Promise<number> {
  const { runs, seed, only } = args(Deno.args);
  const dataDir = await Deno.makeTempDir({ prefix: "fuzz-pglite-" });
  const database = await openDatabase({ dataDir });
  const started = performance.now();
  let failed = false;
  const originalError = console.error;
  const logged: string[] = [];
  // A 500's stack goes to console.error: keep it for the report.
  console.error = (...parts: unknown[]) =>
    logged.push(
      parts.map((p) => p instanceof Error ? p.stack : String(p)).join(" "),
    );
  try {
    await migrateDatabase(database);
    const app = createApp({ database, env: testEnv() });
    const ids = await setUp(app);
    console.log(`fuzz: ${runs} cases a route, seed ${seed}`);
    for (const spec of routes(ids)) {
      if (!spec.label.includes(only)) continue;
      const stats = await fuzzRoute(app, spec, runs, seed, logged);
      console.log(line(stats));
      if (stats.failure || stats.fiveXx) {
        failed = true;
        console.log(`  FAILED ${stats.label}:\n${stats.failure ?? ""}`);
        if (stats.log) console.log(`  server log: ${stats.log.slice(0, 3000)}`);
      }
    }
    const health = await call(app, "GET", "/api/health");
    const suites = await call(app, "GET", "/api/suites?limit=1");
    const after = await call(
      app,
      "POST",
      "/api/suites",
      JSON.stringify({
        name: "fuzz-after",
        cases: [{ key: "k", schema: true }],
      }),
    );
    const usable = health.status === 200 && suites.status === 200 &&
      Array.isArray(JSON.parse(suites.text).items) && after.status < 300;
    console.log(
      `after: GET /api/health ${health.status}, GET /api/suites ${suites.status}, POST /api/suites ${after.status}`,
    );
    if (!usable) failed = true;
  } finally {
    console.error = originalError;
    await database.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    failed
      ? `fuzz FAILED in ${seconds} s (reproduce: deno task fuzz --runs ${runs} --seed ${seed})`
      : `fuzz ok in ${seconds} s`,
  );
  return failed ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
