/**
 * What the leaderboard and the target pages read: the board (one row per
 * target, suite and validation mode: its latest public, finished, full,
 * not hidden run; see `server/runs/partial.ts`), how
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
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Proportion } from "../../../evaluators/metrics/stats.ts";
import type { Database } from "../client.ts";
import { runs, suites, targets } from "../schema.ts";
import { isUuid } from "../../../evaluators/validation/uuid.ts";
import { VALIDATOR_VERSION } from "../../../evaluators/validation/version.ts";

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
  /** The run's validation mode (`declared`, `jsb`): part of the row key. */
  validation: string;
  /** A quality pair's side, and the run on the other side. */
  pairRole: string | null;
  pairRunId: string | null;
  /** `runs.engine.engine`: the engine's own name. */
  engineName: string | null;
  /** `runs.engine.version`: the engine build. */
  engineVersion: string | null;
  /** `runs.engine.model`: the model the engine reported. */
  engineModel: string | null;
  /** `runs.engine.reasoning`: the target's reasoning setting (issue 21). */
  engineReasoning: string | null;
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

/** A run's validation mode: with target and suite, a board row's key. */
const validationOf = sql<string>`${runs.options} ->> 'validation'`;

/**
 * The runs the board may show: public, finished, full, not hidden, judged
 * by today's validator (older runs stay in history, marked).
 */
const onBoard = () =>
  and(
    eq(runs.status, "done"),
    eq(runs.validatorVersion, VALIDATOR_VERSION),
    eq(runs.public, true),
    eq(runs.hidden, false),
    eq(runs.partial, false),
    sql`${runs.finishedAt} is not null`,
  );

/**
 * The leaderboard: for every (target, suite, validation mode), its latest
 * public `done` run that is neither partial nor hidden, with the scores
 * taken from the stored summary.
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
    [runs.targetId, runs.suiteId, validationOf],
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
      validation: validationOf,
      pairRole: sql<string | null>`${runs.options} ->> 'pair_role'`,
      pairRunId: sql<string | null>`${runs.options} ->> 'pair_run_id'`,
      engineName: sql<string | null>`${runs.engine} ->> 'engine'`,
      engineVersion: sql<string | null>`${runs.engine} ->> 'version'`,
      engineModel: sql<string | null>`${runs.engine} ->> 'model'`,
      engineReasoning: sql<string | null>`${runs.engine} ->> 'reasoning'`,
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
    // A retired suite or target leaves the board; its runs stay in history.
    .where(and(onBoard(), isNull(suites.retiredAt), isNull(targets.retiredAt)))
    .orderBy(
      runs.targetId,
      runs.suiteId,
      validationOf,
      desc(runs.finishedAt),
      desc(runs.id),
    );
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
 * How many public, finished, full runs an operator has hidden (the runs the
 * board would otherwise consider), within the board's filters.
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
      eq(runs.partial, false),
      eq(runs.validatorVersion, VALIDATOR_VERSION),
      filter.suiteId ? eq(runs.suiteId, filter.suiteId) : undefined,
      filter.kind ? eq(targets.kind, filter.kind) : undefined,
      filter.mode ? eq(targets.mode, filter.mode) : undefined,
    ));
  return Number(row?.n ?? 0);
}

/**
 * The key of a board row (target, suite, validation mode) in
 * {@link boardTrends}' map.
 *
 * @example
 * ```ts
 * import type { BoardRow } from "./leaderboard.ts";
 * declare const row: BoardRow;
 * declare const trends: Map<string, number[]>;
 * trends.get(trendKey(row));
 * ```
 */
export function trendKey(
  row: { targetId: string; suiteId: string; validation: string },
): string {
  return `${row.targetId}/${row.suiteId}/${row.validation}`;
}

/**
 * The empirical coverage of the last `perPair` board-eligible runs of each
 * given board row key, oldest first, keyed by {@link trendKey}.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const suiteId: string;
 * declare const targetId: string;
 * const row = { targetId, suiteId, validation: "declared" };
 * const trends = await boardTrends(database, [row]);
 * trends.get(trendKey(row)); // [0.71, 0.74, 0.8]
 * ```
 */
export async function boardTrends(
  database: Database,
  pairs: readonly { targetId: string; suiteId: string; validation: string }[],
  perPair = 20,
): Promise<Map<string, number[]>> {
  const trends = new Map<string, number[]>();
  if (pairs.length === 0) return trends;
  const targetIds = [...new Set(pairs.map((p) => p.targetId))];
  const suiteIds = [...new Set(pairs.map((p) => p.suiteId))];
  const ranked = database.db.select({
    targetId: runs.targetId,
    suiteId: runs.suiteId,
    validation: validationOf.as("validation"),
    value: summaryNumber("empirical_coverage", "value").as("value"),
    position: sql<
      number
    >`row_number() over (partition by ${runs.targetId}, ${runs.suiteId}, ${validationOf} order by ${runs.finishedAt} desc, ${runs.id} desc)`
      .as("position"),
  }).from(runs).where(and(
    onBoard(),
    inArray(runs.targetId, targetIds),
    inArray(runs.suiteId, suiteIds),
  )).as("ranked");
  const rows = await database.db.select({
    targetId: ranked.targetId,
    suiteId: ranked.suiteId,
    validation: ranked.validation,
    value: ranked.value,
  }).from(ranked).where(sql`${ranked.position} <= ${perPair}`)
    .orderBy(ranked.targetId, ranked.suiteId, desc(ranked.position));
  const wanted = new Set(pairs.map(trendKey));
  for (const row of rows) {
    const key = trendKey(row);
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
  validation: string;
  hidden: boolean;
  /** Off the board: why, in words (`server/runs/partial.ts`). */
  partial: boolean;
  partialReason: string | null;
  /** The validator version that judged it (`VALIDATOR_VERSION` is today's). */
  validatorVersion: number;
  /** A quality pair's side, when the run is one. */
  pairRole: string | null;
  flags: string[];
  empirical: Proportion;
  compliance: Proportion;
  declared: Proportion;
  startedAt: Date | null;
  finishedAt: Date;
}

/**
 * A target's public finished (`done`) runs, hidden and partial ones
 * included (marked), by suite and validation mode, then oldest first; at
 * most `limit` of the latest.
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
    validation: validationOf,
    hidden: runs.hidden,
    partial: runs.partial,
    partialReason: runs.partialReason,
    validatorVersion: runs.validatorVersion,
    pairRole: sql<string | null>`${runs.options} ->> 'pair_role'`,
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
    a.validation.localeCompare(b.validation) ||
    a.finishedAt.getTime() - b.finishedAt.getTime()
  );
}
