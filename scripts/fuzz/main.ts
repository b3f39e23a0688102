/**
 * `deno task fuzz [--runs N] [--seed S] [--only TEXT]`: property-based
 * fuzzing of every route that takes a body, and of the query string (and
 * `:id`) of every GET route but the event stream (`scripts/fuzz/queries.ts`;
 * a quarter of N cases each, 500 by default) (`--only`: the routes whose
 * label holds TEXT). The app runs in process (`app.request`, no socket)
 * on a fresh embedded PGlite in a temporary folder, with the test admin
 * token. Each route gets N cases (default 2,000) of: random JSON
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
import { DATA_ONLY, openServices } from "../../server/boot.ts";
import { testEnv } from "../../server/testing/api.ts";
import { type BodyCase, bodyCase, idArb } from "./bodies.ts";
import { queryIds, queryRoutes, type QueryRouteSpec } from "./queries.ts";
import {
  type App,
  call,
  fuzzedRoutes,
  type RouteSpec,
  setUpFixtures,
} from "./routes.ts";
import { exitOnHelp } from "../../server/cli_help.ts";

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

/**
 * What the property demands of one answer; null when it holds. A page
 * (`html`) may answer its 4xx as a page; the API answers the error shape.
 */
function problem(
  res: { status: number; text: string },
  html = false,
): string | null {
  if (res.status >= 200 && res.status < 300) return null;
  if (res.status >= 500) return `HTTP ${res.status}: ${res.text.slice(0, 500)}`;
  if (res.status < 400) return `unexpected HTTP ${res.status}`;
  if (html && /<html/i.test(res.text)) return null;
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

/** One request of a fuzz case. */
interface FuzzRequest {
  method: string;
  path: string;
  body?: string | Uint8Array;
  contentType?: string;
}

async function fuzzRequests(
  app: App,
  label: string,
  requests: fc.Arbitrary<FuzzRequest>,
  runs: number,
  seed: number,
  logged: string[],
  html = false,
): Promise<RouteStats> {
  const stats: RouteStats = {
    label,
    cases: 0,
    requests: 0,
    statuses: {},
    fiveXx: 0,
  };
  const property = fc.asyncProperty(requests, async (sent: FuzzRequest) => {
    logged.length = 0;
    const res = await call(
      app,
      sent.method,
      sent.path,
      sent.body,
      sent.contentType,
    );
    stats.requests++;
    stats.statuses[res.status] = (stats.statuses[res.status] ?? 0) + 1;
    if (res.status >= 500) stats.fiveXx++;
    const found = problem(res, html);
    if (found) {
      // The last failure is the shrunk counterexample: keep its log.
      stats.log = logged.join("\n");
      throw new Error(found);
    }
  });
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

async function fuzzRoute(
  app: App,
  spec: RouteSpec,
  runs: number,
  seed: number,
  logged: string[],
): Promise<RouteStats> {
  if (spec.optional) {
    const probe = await call(app, spec.method, spec.path("probe"), "{}");
    if (probe.status === 404 && probe.text.includes("no route for")) {
      return {
        label: spec.label,
        cases: 0,
        requests: 0,
        statuses: {},
        fiveXx: 0,
        absent: true,
      };
    }
  }
  const ids = spec.id ? idArb(spec.id) : fc.constant("");
  const requests = fc.tuple(bodyCase(spec.valid, spec.encode), ids).map((
    [sent, id]: [BodyCase, string],
  ) => ({
    method: spec.method,
    path: spec.path(id),
    body: sent.body,
    contentType: sent.contentType,
  }));
  return await fuzzRequests(app, spec.label, requests, runs, seed, logged);
}

/** Cases a GET route gets for `runs` a body route: a quarter (500 by default). */
export function queryRuns(runs: number): number {
  return Math.max(1, Math.round(runs / 4));
}

async function fuzzQueryRoute(
  app: App,
  spec: QueryRouteSpec,
  runs: number,
  seed: number,
  logged: string[],
): Promise<RouteStats> {
  const requests = fc.tuple(queryIds(spec.id), spec.query).map((
    [id, query]: [string, string],
  ) => ({ method: "GET", path: spec.path(id) + query }));
  const page = !/^GET \/(api\/|metrics)/.test(spec.label);
  return await fuzzRequests(
    app,
    spec.label,
    requests,
    runs,
    seed,
    logged,
    page,
  );
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
  const services = await openServices(
    testEnv({ DATA_DIR: dataDir }),
    DATA_ONLY,
  );
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
    const app = services.app;
    const ids = await setUpFixtures(app);
    console.log(`fuzz: ${runs} cases a route, seed ${seed}`);
    const all: [string, () => Promise<RouteStats>][] = [
      ...fuzzedRoutes(ids).map((spec) =>
        [spec.label, () => fuzzRoute(app, spec, runs, seed, logged)] as [
          string,
          () => Promise<RouteStats>,
        ]
      ),
      ...queryRoutes(ids).map((spec) =>
        [
          spec.label,
          () => fuzzQueryRoute(app, spec, queryRuns(runs), seed, logged),
        ] as [string, () => Promise<RouteStats>]
      ),
    ];
    for (const [label, fuzz] of all) {
      if (!label.includes(only)) continue;
      const stats = await fuzz();
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
    await services.close();
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

if (import.meta.main) {
  exitOnHelp(`usage: deno task fuzz [--runs N] [--seed S] [--only TEXT]

Property-based fuzzing of every route that takes a body, and of the query of
every GET route. Exit status: 0 ok, 1 a counterexample (printed with the seed).`);
  Deno.exit(await main());
}
