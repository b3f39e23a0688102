/**
 * The GET routes `deno task fuzz` covers with random query strings: every
 * list, detail, download and page route with the parameters it reads,
 * each parameter left out, given a plausible value, random text, a huge
 * or odd number, or (for `cursor`) a forged cursor: base64url JSON of the
 * right shape with wrong contents (an invalid date, an id that is no
 * UUID, a negative, fractional or huge ordinal), of the wrong shape, or
 * no base64 at all. Unknown and repeated parameters are added too. The
 * event stream is left out: on a live run it never ends by design.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { queryRoutes } from "./queries.ts";
 * import type { Fixtures } from "./routes.ts";
 * declare const ids: Fixtures;
 * const [first] = queryRoutes(ids);
 * fc.sample(first.query, 3); // ["?limit=-1&cursor=…", …]
 * ```
 * @module
 */
import fc from "fast-check";
import { encodeCursor } from "../../server/http/pagination.ts";
import { idArb } from "./bodies.ts";
import type { Fixtures } from "./routes.ts";

/** One GET route under fuzzing. */
export interface QueryRouteSpec {
  label: string;
  /** The path, given the id drawn for `:id`. */
  path: (id: string) => string;
  /** The real id for `:id` routes. */
  id?: string;
  /** Query strings, `?` included (or empty). */
  query: fc.Arbitrary<string>;
}

const WEIRD_TEXT = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "null",
    "undefined",
    "NaN",
    "Infinity",
    "-0",
    "1e308",
    "9".repeat(40),
    "0x10",
    "'; drop table runs; --",
    "\u0000",
    "\ud800",
    "../../etc/passwd",
    "%",
    "%zz",
    "[]",
    "{}",
  ),
);

const NUMBER_TEXT = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom("0", "1", "50", "500", "501", "1000000", "-1", "1.5"),
);

/** Cursors: forged with each list's own fields, or junk. */
const CURSOR = fc.oneof(
  fc.record({
    createdAt: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      WEIRD_TEXT,
      fc.constantFrom("2026-13-45T99:99:99Z", "yesterday", "0"),
    ),
    id: fc.oneof(fc.uuid(), WEIRD_TEXT),
  }, { requiredKeys: [] }).map(encodeCursor),
  fc.record({
    id: fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 62), WEIRD_TEXT),
  }).map(encodeCursor),
  fc.record({
    ordinal: fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 62)),
  }).map(encodeCursor),
  fc.record({
    name: fc.oneof(WEIRD_TEXT, fc.integer()),
    version: fc.oneof(fc.integer(), WEIRD_TEXT),
    id: fc.oneof(fc.uuid(), WEIRD_TEXT),
  }, { requiredKeys: [] }).map(encodeCursor),
  fc.jsonValue({ maxDepth: 2 }).map(encodeCursor),
  WEIRD_TEXT,
);

function value(name: string, plausible: string[]): fc.Arbitrary<string> {
  const known = plausible.length ? [fc.constantFrom(...plausible)] : [];
  if (name === "cursor") return CURSOR;
  if (/limit|page|interval/.test(name)) {
    return fc.oneof(...known, NUMBER_TEXT, WEIRD_TEXT);
  }
  return fc.oneof(...known, fc.uuid(), WEIRD_TEXT);
}

/** Percent-encoding that also sends a lone surrogate, as raw invalid UTF-8. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        return "%ED%A0%80";
      }
    }).join("");
  }
}

/** A query string over `params` (name → plausible values). */
function queryOf(params: Record<string, string[]>): fc.Arbitrary<string> {
  const pairs = Object.entries(params).map(([name, plausible]) =>
    fc.option(value(name, plausible).map((v) => [name, v] as const), {
      nil: undefined,
    })
  );
  const extra = fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...Object.keys(params), "x"), WEIRD_TEXT),
      WEIRD_TEXT,
    ),
    { maxLength: 2 },
  );
  return fc.tuple(fc.tuple(...pairs), extra).map(([chosen, more]) => {
    const all = [...chosen.filter((p) => p !== undefined), ...more];
    if (!all.length) return "";
    return "?" +
      all.map(([k, v]) => `${encode(k)}=${encode(v)}`)
        .join("&");
  });
}

/**
 * Every GET route with the parameters it reads.
 *
 * @example
 * ```ts
 * import type { Fixtures } from "./routes.ts";
 * declare const ids: Fixtures;
 * queryRoutes(ids).map((r) => r.label); // ["GET /api/suites", …]
 * ```
 */
export function queryRoutes(ids: Fixtures): QueryRouteSpec[] {
  const board = {
    suite: [ids.suite],
    kind: ["llamacpp", "openai"],
    mode: ["json_schema"],
    sort: ["rank", "ttft", "compliance"],
    dir: ["asc", "desc"],
    page: ["1", "2"],
    per_page: ["10"],
    validation: ["declared", "jsb"],
  };
  const list = { limit: ["10"], cursor: [] };
  const spec = (
    label: string,
    path: (id: string) => string,
    params: Record<string, string[]>,
    id?: string,
  ): QueryRouteSpec => ({
    label: `GET ${label}`,
    path,
    id,
    query: queryOf(params),
  });
  return [
    spec("/api/health", () => "/api/health", {}),
    spec("/api/suites", () => "/api/suites", {
      ...list,
      name: ["fuzz-fixture"],
    }),
    spec("/api/suites/:id", (id) => `/api/suites/${id}`, list, ids.suite),
    spec(
      "/api/suites/:id/ranking",
      (id) => `/api/suites/${id}/ranking`,
      { validation: ["declared", "jsb"] },
      ids.suite,
    ),
    spec("/api/targets", () => "/api/targets", list),
    spec("/api/targets/:id", (id) => `/api/targets/${id}`, {}, ids.target),
    spec("/api/runs", () => "/api/runs", {
      ...list,
      suite_id: [ids.suite],
      target_id: [ids.target],
      status: ["queued", "done"],
    }),
    spec("/api/runs/:id", (id) => `/api/runs/${id}`, {}, ids.run),
    spec("/api/runs/:id/results", (id) => `/api/runs/${id}/results`, {
      ...list,
      outcome: ["valid", "pending"],
      subset: ["A"],
    }, ids.run),
    spec(
      "/api/runs/:id/results.jsonl",
      (id) => `/api/runs/${id}/results.jsonl`,
      {},
      ids.run,
    ),
    spec(
      "/api/runs/:id/results.csv",
      (id) => `/api/runs/${id}/results.csv`,
      {},
      ids.run,
    ),
    spec("/api/schedules", () => "/api/schedules", list),
    spec(
      "/api/schedules/:id",
      (id) => `/api/schedules/${id}`,
      {},
      ids.schedule,
    ),
    spec("/api/tokens", () => "/api/tokens", list),
    spec("/api/compare", () => "/api/compare", { a: [ids.run], b: [ids.run] }),
    spec("/api/leaderboard.json", () => "/api/leaderboard.json", board),
    spec("/api/leaderboard.csv", () => "/api/leaderboard.csv", board),
    spec("/metrics", () => "/metrics", {}),
    spec("/", () => "/", board),
    spec("/runs/:id", (id) => `/runs/${id}`, {
      outcome: ["valid", "pending"],
      subset: ["A"],
      keyword: ["type"],
      failing: ["type"],
      page: ["1"],
      share: [],
    }, ids.run),
    spec("/runs/:id/cases/:key", (id) => `/runs/${ids.run}/cases/${id}`, {
      share: [],
    }, "a"),
    spec("/compare", () => "/compare", { a: [ids.run], b: [ids.run] }),
    spec("/targets/:id", (id) => `/targets/${id}`, {}, ids.target),
    spec("/methodology", () => "/methodology", {}),
  ];
}

/**
 * Ids for a `:id` route: mostly the real one, else look-alikes and junk.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * fc.sample(queryIds("a"), 3);
 * ```
 */
export function queryIds(real: string | undefined): fc.Arbitrary<string> {
  return real ? idArb(real) : fc.constant("");
}
