/**
 * Suites and their cases: content-addressed creation, lists and pages.
 *
 * @example
 * ```ts
 * import { saveSuite } from "./suites.ts";
 * import type { Database } from "../client.ts";
 * import type { PreparedSuite } from "../../suites/prepare.ts";
 * declare const database: Database;
 * declare const prepared: PreparedSuite;
 * const { suite, created } = await saveSuite(database, prepared);
 * ```
 * @module
 */
import { and, asc, desc, eq, gt, isNull, lt, max, or, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { cases, suites } from "../schema.ts";
import type { PreparedSuite } from "../../../evaluators/case.ts";
import { isUuid } from "../../../evaluators/validation/uuid.ts";
import { storable } from "../storable.ts";
import { VALIDATOR_VERSION } from "../../../evaluators/validation/version.ts";

/** A stored suite, as the API shows it. */
export interface SuiteRow {
  id: string;
  name: string;
  version: number;
  description: string | null;
  source: Record<string, unknown> | null;
  hash: string;
  caseCount: number;
  /** When the suite was retired (off the lists and the board), or null. */
  retiredAt: Date | null;
  createdAt: Date;
}

/** A stored case, as the API shows it. */
export type CaseRow = typeof cases.$inferSelect;

/** Raised when a requested version number already holds other content. */
export class VersionTakenError extends Error {
  /** @param suiteName the suite name @param version the version asked for */
  constructor(readonly suiteName: string, readonly version: number) {
    super(`suite "${name}" version ${version} already exists with other cases`);
    this.name = "VersionTakenError";
  }
}

const INSERT_BATCH = 250;

/**
 * Stores a prepared suite unless the same name and content exist already.
 * New content under a known name becomes its next version. Text taken from
 * a schema (declared `$schema`, draft note, keywords) is made storable. Safe against
 * concurrent saves of the same name (a transaction-scoped advisory lock).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * import type { PreparedSuite } from "../../suites/prepare.ts";
 * declare const database: Database;
 * declare const prepared: PreparedSuite;
 * const first = await saveSuite(database, prepared); // created: true
 * const again = await saveSuite(database, prepared); // created: false, same id
 * ```
 */
export async function saveSuite(
  database: Database,
  prepared: PreparedSuite,
): Promise<{ suite: SuiteRow; created: boolean }> {
  return await database.db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`suite:${prepared.name}`}))`,
    );
    const existing = await tx.select().from(suites).where(
      and(eq(suites.name, prepared.name), eq(suites.hash, prepared.hash)),
    );
    if (existing[0]) return { suite: existing[0], created: false };
    let version = prepared.version;
    if (version !== undefined) {
      const taken = await tx.select({ id: suites.id }).from(suites).where(
        and(eq(suites.name, prepared.name), eq(suites.version, version)),
      );
      if (taken[0]) throw new VersionTakenError(prepared.name, version);
    } else {
      const [{ latest }] = await tx.select({ latest: max(suites.version) })
        .from(suites).where(eq(suites.name, prepared.name));
      version = (latest ?? 0) + 1;
    }
    const [suite] = await tx.insert(suites).values({
      name: prepared.name,
      version,
      description: prepared.description,
      source: prepared.source,
      hash: prepared.hash,
      caseCount: prepared.cases.length,
    }).returning();
    for (let i = 0; i < prepared.cases.length; i += INSERT_BATCH) {
      await tx.insert(cases).values(
        prepared.cases.slice(i, i + INSERT_BATCH).map((c) => ({
          ...c,
          // What reaches text columns from a schema: NUL replaced (see storable).
          declaredSchema: storable(c.declaredSchema),
          draftNote: storable(c.draftNote),
          keywords: storable(c.keywords),
          derivedVersion: VALIDATOR_VERSION,
          suiteId: suite.id,
        })),
      );
    }
    return { suite, created: true };
  });
}

/** Where the previous page of suites ended. */
export interface SuiteCursor {
  name: string;
  version: number;
}

/**
 * Suites ordered by name, newest version first; retired ones only when
 * asked.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const page = await listSuites(database, { limit: 50 });
 * ```
 */
export async function listSuites(
  database: Database,
  options: {
    limit: number;
    after?: SuiteCursor;
    name?: string;
    retired?: boolean;
  },
): Promise<SuiteRow[]> {
  const { after } = options;
  const conditions = [
    options.retired ? undefined : isNull(suites.retiredAt),
    options.name ? eq(suites.name, options.name) : undefined,
    after
      ? or(
        gt(suites.name, after.name),
        and(eq(suites.name, after.name), lt(suites.version, after.version)),
      )
      : undefined,
  ];
  return await database.db.select().from(suites).where(and(...conditions))
    .orderBy(asc(suites.name), desc(suites.version)).limit(options.limit);
}

/**
 * One suite by id, or null. A malformed id is simply not found.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * const suite = await getSuite(database, id);
 * ```
 */
export async function getSuite(
  database: Database,
  id: string,
): Promise<SuiteRow | null> {
  if (!isUuid(id)) return null;
  const rows = await database.db.select().from(suites).where(eq(suites.id, id));
  return rows[0] ?? null;
}

/**
 * A page of a suite's cases, in their original order.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const suiteId: string;
 * const page = await listCases(database, suiteId, { limit: 100, afterOrdinal: 99 });
 * ```
 */
export async function listCases(
  database: Database,
  suiteId: string,
  options: { limit: number; afterOrdinal?: number },
): Promise<CaseRow[]> {
  return await database.db.select().from(cases).where(and(
    eq(cases.suiteId, suiteId),
    options.afterOrdinal !== undefined
      ? gt(cases.ordinal, options.afterOrdinal)
      : undefined,
  )).orderBy(asc(cases.ordinal)).limit(options.limit);
}

/**
 * How many cases all suites hold together (for tests and health).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await countCases(database); // 7553
 * ```
 */
export async function countCases(database: Database): Promise<number> {
  const [row] = await database.db.select({ n: sql<number>`count(*)::int` })
    .from(cases);
  return Number(row.n);
}

/**
 * The schema and prompt of a suite's first `limit` cases (or all), in order:
 * what a cost estimate needs.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const suiteId: string;
 * const cases = await casePrompts(database, suiteId, 100);
 * ```
 */
export async function casePrompts(
  database: Database,
  suiteId: string,
  limit?: number,
): Promise<{ schema: unknown; prompt: string | null }[]> {
  const query = database.db.select({
    schema: cases.schema,
    prompt: cases.prompt,
  }).from(cases)
    .where(eq(cases.suiteId, suiteId)).orderBy(asc(cases.ordinal));
  return limit ? await query.limit(limit) : await query;
}

/**
 * Retires one suite version (kept, with its runs; off the lists and the
 * board), or brings it back with `retired: false`. The row after, or null.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * (await retireSuite(database, id, true))?.retiredAt; // now
 * ```
 */
export async function retireSuite(
  database: Database,
  id: string,
  retired: boolean,
): Promise<SuiteRow | null> {
  if (!isUuid(id)) return null;
  const rows = await database.db.update(suites).set({
    retiredAt: retired ? sql`coalesce(${suites.retiredAt}, now())` : null,
  }).where(eq(suites.id, id)).returning();
  return rows[0] ?? null;
}
