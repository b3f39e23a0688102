/**
 * What the suite pages read: per suite its subsets and keyword counts
 * (aggregates over `cases`, one query each), a page of its cases without
 * their schemas, and one case with its schema.
 *
 * @example
 * ```ts
 * import { suiteKeywordCounts, suiteSubsets } from "./suite_pages.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const suiteId: string;
 * const keywords = await suiteKeywordCounts(database, suiteId);
 * const subsets = await suiteSubsets(database, [suiteId]);
 * ```
 * @module
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { cases } from "../schema.ts";

/** A subset of a suite and how many cases it holds. */
export interface SubsetCount {
  suiteId: string;
  /** Null for the cases without a subset. */
  subset: string | null;
  cases: number;
}

/**
 * The subsets of these suites, with their case counts, by name.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await suiteSubsets(database, ["…"]); // [{ suiteId, subset: "Glaiveai2K", cases: 1707 }]
 * ```
 */
export async function suiteSubsets(
  database: Database,
  suiteIds: readonly string[],
): Promise<SubsetCount[]> {
  if (suiteIds.length === 0) return [];
  const rows = await database.db.select({
    suiteId: cases.suiteId,
    subset: cases.subset,
    cases: sql<number>`count(*)::int`,
  }).from(cases).where(inArray(cases.suiteId, [...suiteIds]))
    .groupBy(cases.suiteId, cases.subset).orderBy(asc(cases.subset));
  return rows.map((r) => ({ ...r, cases: Number(r.cases) }));
}

/**
 * How many distinct keywords each of these suites uses.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * (await distinctKeywords(database, ["…"])).get("…"); // 54
 * ```
 */
export async function distinctKeywords(
  database: Database,
  suiteIds: readonly string[],
): Promise<Map<string, number>> {
  if (suiteIds.length === 0) return new Map();
  const rows = await database.rows<{ suite_id: string; n: number | string }>(
    sql`select ${cases.suiteId} as suite_id, count(distinct k) as n
      from ${cases}, unnest(${cases.keywords}) as k
      where ${inArray(cases.suiteId, [...suiteIds])}
      group by ${cases.suiteId}`,
  );
  return new Map(rows.map((r) => [r.suite_id, Number(r.n)]));
}

/**
 * Every keyword a suite's schemas use, with how many cases use it, most
 * used first.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await suiteKeywordCounts(database, "…"); // [{ keyword: "type", cases: 40 }, …]
 * ```
 */
export async function suiteKeywordCounts(
  database: Database,
  suiteId: string,
): Promise<{ keyword: string; cases: number }[]> {
  const rows = await database.rows<{ keyword: string; n: number | string }>(
    sql`select k as keyword, count(*) as n
      from ${cases}, unnest(${cases.keywords}) as k
      where ${cases.suiteId} = ${suiteId}
      group by k order by count(*) desc, k`,
  );
  return rows.map((r) => ({ keyword: r.keyword, cases: Number(r.n) }));
}

/** A line of a suite's case list (no schema: it can be large). */
export interface SuiteCaseLine {
  ordinal: number;
  key: string;
  subset: string | null;
  draft: string;
  keywords: string[];
  hasPrompt: boolean;
}

/**
 * A page of a suite's cases in their order.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await suiteCasePage(database, "…", { limit: 51, offset: 0 });
 * ```
 */
export async function suiteCasePage(
  database: Database,
  suiteId: string,
  page: { limit: number; offset: number },
): Promise<SuiteCaseLine[]> {
  const rows = await database.db.select({
    ordinal: cases.ordinal,
    key: cases.key,
    subset: cases.subset,
    draft: cases.draft,
    keywords: cases.keywords,
    hasPrompt: sql<boolean>`${cases.prompt} is not null`,
  }).from(cases).where(eq(cases.suiteId, suiteId))
    .orderBy(asc(cases.ordinal)).limit(page.limit).offset(page.offset);
  return rows.map((r) => ({ ...r, hasPrompt: Boolean(r.hasPrompt) }));
}

/**
 * One case of a suite by key, with its schema and prompt, or null.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const c = await suiteCase(database, "…", "person");
 * ```
 */
export async function suiteCase(
  database: Database,
  suiteId: string,
  key: string,
) {
  const [row] = await database.db.select({
    key: cases.key,
    subset: cases.subset,
    tags: cases.tags,
    draft: cases.draft,
    draftNote: cases.draftNote,
    keywords: cases.keywords,
    prompt: cases.prompt,
    schema: cases.schema,
  }).from(cases).where(and(eq(cases.suiteId, suiteId), eq(cases.key, key)))
    .limit(1);
  return row ?? null;
}
