/**
 * What the leaderboard and the target pages read: the board (the latest
 * public, finished, not hidden run of every target on every suite), how
 * many runs are hidden, the recent trend of each board row, and a target's
 * history. All of it comes from the stored aggregates (`runs.summary`),
 * never from the results; a run's cases are in `run_cases.ts`.
 *
 * @example
 * ```ts
 * import { leaderboardRows } from "./leaderboard.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const rows = await leaderboardRows(database);
 * rows[0].empirical.value; // 0.82
 * ```
 * @module
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Proportion } from "../../../evaluators/metrics/stats.ts";
import type { Database } from "../client.ts";
import { runs, suites, targets } from "../schema.ts";
import { isUuid } from "../../../evaluators/validation/uuid.ts";

/**
 * One row of the leaderboard: a run with its suite and target. The board
 * model ranks, sorts and pages these rows as they are (one type from the
 * query to the page).
 */
export interface BoardRow {
  runId: string;
  suiteId: string;
  suiteName: string;
  suiteVersion: number;
  targetId: string;
  targetName: string;
  targetKind: string;
  targetModel: string | null;
  targetMode: string;
  /** `runs.engine.engine`: the engine's own name. */
  engineName: string | null;
  /** `runs.engine.version`: the engine build. */
  engineVersion: string | null;
  /** `runs.engine.model`: the model the engine reported. */
  engineModel: string | null;
  empirical: Proportion;
  compliance: Proportion;
  declared: Proportion;
  /** Quality suites only. */
  accuracy: Proportion | null;
  ttftP50: number | null;
  tpotP50: number | null;
  costUsd: number | null;
  /** Cases in the run. */
  cases: number | null;
  startedAt: Date | null;
  finishedAt: Date;
}

const NO_PROPORTION: Proportion = { value: null, low: null, high: null, n: 0 };

function finite(value: unknown): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * A proportion from the JSON text of a stored one (null stays null).
 *
 * @example
 * ```ts
 * parseProportion('{"value":0.5,"low":0.1,"high":0.9,"n":4}')?.n; // 4
 * ```
 */
export function parseProportion(text: string | null): Proportion | null {
  if (text === null) return null;
  const raw = JSON.parse(text) as Record<string, unknown> | null;
  if (!raw || typeof raw !== "object") return null;
  return {
    value: finite(raw.value),
    low: finite(raw.low),
    high: finite(raw.high),
    n: finite(raw.n) ?? 0,
  };
}

/** `summary -> key` as JSON text (the same on both drivers). */
const summaryJson = (key: string) =>
  sql<string | null>`(${runs.summary} -> ${key})::text`;

/** `summary #>> path` as a double, or null. */
const summaryNumber = (...path: string[]) =>
  sql<number | string | null>`(${runs.summary} #>> ${`{${
    path.join(",")
  }}`}::text[])::float8`;

/** The runs the board may show: public, finished, not hidden. */
const onBoard = () =>
  and(
    eq(runs.status, "done"),
    eq(runs.public, true),
    eq(runs.hidden, false),
    sql`${runs.finishedAt} is not null`,
  );

/**
 * The leaderboard: for every (target, suite), its latest public `done` run
 * that is not hidden, with the scores taken from the stored summary.
 * Unordered; the page ranks, filters, sorts and pages it.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const rows = await leaderboardRows(database);
 * ```
 */
export async function leaderboardRows(database: Database): Promise<BoardRow[]> {
  const rows = await database.db.selectDistinctOn(
    [runs.targetId, runs.suiteId],
    {
      runId: runs.id,
      suiteId: runs.suiteId,
      suiteName: suites.name,
      suiteVersion: suites.version,
      targetId: runs.targetId,
      targetName: targets.name,
      targetKind: targets.kind,
      targetModel: targets.model,
      targetMode: targets.mode,
      engineName: sql<string | null>`${runs.engine} ->> 'engine'`,
      engineVersion: sql<string | null>`${runs.engine} ->> 'version'`,
      engineModel: sql<string | null>`${runs.engine} ->> 'model'`,
      empirical: summaryJson("empirical_coverage"),
      compliance: summaryJson("compliance"),
      declared: summaryJson("declared_coverage"),
      accuracy: summaryJson("accuracy"),
      ttftP50: summaryNumber("ttft_ms", "p50"),
      tpotP50: summaryNumber("tpot_ms", "p50"),
      costUsd: summaryNumber("cost_usd"),
      cases: summaryNumber("total"),
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
    },
  ).from(runs)
    .innerJoin(suites, eq(suites.id, runs.suiteId))
    .innerJoin(targets, eq(targets.id, runs.targetId))
    .where(onBoard())
    .orderBy(runs.targetId, runs.suiteId, desc(runs.finishedAt), desc(runs.id));
  return rows.map((r) => ({
    ...r,
    empirical: parseProportion(r.empirical) ?? NO_PROPORTION,
    compliance: parseProportion(r.compliance) ?? NO_PROPORTION,
    declared: parseProportion(r.declared) ?? NO_PROPORTION,
    accuracy: parseProportion(r.accuracy),
    ttftP50: finite(r.ttftP50),
    tpotP50: finite(r.tpotP50),
    costUsd: finite(r.costUsd),
    cases: finite(r.cases),
    finishedAt: r.finishedAt!,
  }));
}

/** Which runs a hidden count covers (the board's filters). */
export interface BoardFilter {
  suiteId?: string;
  kind?: string;
  mode?: string;
}

/**
 * How many public, finished runs an operator has hidden (the runs the board
 * would otherwise consider), within the board's filters.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await hiddenRunCount(database, { kind: "llamacpp" }); // 2
 * ```
 */
export async function hiddenRunCount(
  database: Database,
  filter: BoardFilter = {},
): Promise<number> {
  if (filter.suiteId && !isUuid(filter.suiteId)) return 0;
  const [row] = await database.db.select({ n: sql<number>`count(*)::int` })
    .from(runs).innerJoin(targets, eq(targets.id, runs.targetId))
    .where(and(
      eq(runs.status, "done"),
      eq(runs.public, true),
      eq(runs.hidden, true),
      filter.suiteId ? eq(runs.suiteId, filter.suiteId) : undefined,
      filter.kind ? eq(targets.kind, filter.kind) : undefined,
      filter.mode ? eq(targets.mode, filter.mode) : undefined,
    ));
  return Number(row?.n ?? 0);
}

/**
 * The key of a (target, suite) pair in {@link boardTrends}' map.
 *
 * @example
 * ```ts
 * import type { BoardRow } from "./leaderboard.ts";
 * declare const row: BoardRow;
 * declare const trends: Map<string, number[]>;
 * trends.get(trendKey(row.targetId, row.suiteId));
 * ```
 */
export function trendKey(targetId: string, suiteId: string): string {
  return `${targetId}/${suiteId}`;
}

/**
 * The empirical coverage of the last `perPair` board-eligible runs of each
 * given (target, suite), oldest first, keyed by {@link trendKey}.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const suiteId: string;
 * declare const targetId: string;
 * const trends = await boardTrends(database, [{ targetId, suiteId }]);
 * trends.get(trendKey(targetId, suiteId)); // [0.71, 0.74, 0.8]
 * ```
 */
export async function boardTrends(
  database: Database,
  pairs: readonly { targetId: string; suiteId: string }[],
  perPair = 20,
): Promise<Map<string, number[]>> {
  const trends = new Map<string, number[]>();
  if (pairs.length === 0) return trends;
  const targetIds = [...new Set(pairs.map((p) => p.targetId))];
  const suiteIds = [...new Set(pairs.map((p) => p.suiteId))];
  const ranked = database.db.select({
    targetId: runs.targetId,
    suiteId: runs.suiteId,
    finishedAt: runs.finishedAt,
    value: summaryNumber("empirical_coverage", "value").as("value"),
    position: sql<
      number
    >`row_number() over (partition by ${runs.targetId}, ${runs.suiteId} order by ${runs.finishedAt} desc, ${runs.id} desc)`
      .as("position"),
  }).from(runs).where(and(
    onBoard(),
    inArray(runs.targetId, targetIds),
    inArray(runs.suiteId, suiteIds),
  )).as("ranked");
  const rows = await database.db.select({
    targetId: ranked.targetId,
    suiteId: ranked.suiteId,
    value: ranked.value,
  }).from(ranked).where(sql`${ranked.position} <= ${perPair}`)
    .orderBy(ranked.targetId, ranked.suiteId, desc(ranked.position));
  const wanted = new Set(pairs.map((p) => trendKey(p.targetId, p.suiteId)));
  for (const row of rows) {
    const key = trendKey(row.targetId, row.suiteId);
    const value = finite(row.value);
    if (!wanted.has(key) || value === null) continue;
    if (!trends.has(key)) trends.set(key, []);
    trends.get(key)!.push(value);
  }
  return trends;
}

/** One finished run in a target's history. */
export interface HistoryRow {
  runId: string;
  suiteId: string;
  suiteName: string;
  suiteVersion: number;
  engineVersion: string | null;
  engineModel: string | null;
  hidden: boolean;
  flags: string[];
  empirical: Proportion;
  compliance: Proportion;
  declared: Proportion;
  startedAt: Date | null;
  finishedAt: Date;
}

/**
 * A target's public finished (`done`) runs, hidden ones included (marked),
 * by suite and then oldest first; at most `limit` of the latest.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const targetId: string;
 * const history = await targetHistory(database, targetId);
 * ```
 */
export async function targetHistory(
  database: Database,
  targetId: string,
  limit = 1000,
): Promise<HistoryRow[]> {
  const rows = await database.db.select({
    runId: runs.id,
    suiteId: runs.suiteId,
    suiteName: suites.name,
    suiteVersion: suites.version,
    engineVersion: sql<string | null>`${runs.engine} ->> 'version'`,
    engineModel: sql<string | null>`${runs.engine} ->> 'model'`,
    hidden: runs.hidden,
    flags: runs.flags,
    empirical: summaryJson("empirical_coverage"),
    compliance: summaryJson("compliance"),
    declared: summaryJson("declared_coverage"),
    startedAt: runs.startedAt,
    finishedAt: runs.finishedAt,
  }).from(runs).innerJoin(suites, eq(suites.id, runs.suiteId))
    .where(and(
      eq(runs.targetId, targetId),
      eq(runs.status, "done"),
      eq(runs.public, true),
      sql`${runs.finishedAt} is not null`,
    ))
    .orderBy(desc(runs.finishedAt), desc(runs.id)).limit(limit);
  return rows.map((r) => ({
    ...r,
    flags: r.flags ?? [],
    empirical: parseProportion(r.empirical) ?? NO_PROPORTION,
    compliance: parseProportion(r.compliance) ?? NO_PROPORTION,
    declared: parseProportion(r.declared) ?? NO_PROPORTION,
    finishedAt: r.finishedAt!,
  })).sort((a, b) =>
    a.suiteName.localeCompare(b.suiteName) ||
    b.suiteVersion - a.suiteVersion ||
    a.finishedAt.getTime() - b.finishedAt.getTime()
  );
}

/**
 * A fingerprint of everything the leaderboard shows (runs: how many, the
 * latest finish, which are hidden or public; targets: how many, the
 * latest change): while it stays the same, a rendered board is still
 * right. One small aggregate query, much cheaper than the board.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const version = await boardVersion(database); // "102|2025-01-01T…|3|…"
 * ```
 */
export async function boardVersion(database: Database): Promise<string> {
  const [row] = await database.rows<Record<string, unknown>>(sql`
    select count(*)::text as n,
      coalesce(max(${runs.finishedAt})::text, '') as finished,
      count(*) filter (where ${runs.hidden})::text as hidden,
      coalesce(sum(hashtext(${runs.id}::text)::bigint)
        filter (where ${runs.hidden}), 0)::text as hidden_ids,
      count(*) filter (where ${runs.public})::text as public,
      coalesce(sum(hashtext(${runs.id}::text)::bigint)
        filter (where ${runs.public}), 0)::text as public_ids,
      (select count(*)::text || '|' || coalesce(max(${targets.updatedAt})::text, '')
        from ${targets}) as targets
    from ${runs}`);
  return Object.values(row ?? {}).join("|");
}
