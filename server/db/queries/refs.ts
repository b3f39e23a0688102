/**
 * Suites and targets as a caller names them: by id or by name. A suite
 * name means its latest version unless a version is given apart. The
 * answer is the rows that match, so the caller (the HTTP layer) can say
 * "unknown" or "ambiguous" and list them.
 *
 * @example
 * ```ts
 * import { suitesNamed, targetsNamed } from "./refs.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const suites = await suitesNamed(database, "jsb-glaive");
 * const targets = await targetsNamed(database, "tiny-local");
 * console.log(suites[0]?.version, targets.length);
 * ```
 * @module
 */
import { and, asc, desc, eq, ilike, isNull, or } from "drizzle-orm";
import type { Database } from "../client.ts";
import { suites, targets } from "../schema.ts";
import { isUuid } from "../../../evaluators/validation/uuid.ts";
import type { SuiteRow } from "./suites.ts";
import type { TargetRow } from "./targets.ts";

/** How many near names a refusal lists at most. */
const NEAR_LIMIT = 20;

/**
 * The suites `ref` names: the one with that id, else every version of the
 * suite with that name, newest first.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const [latest] = await suitesNamed(database, "smoke");
 * ```
 */
export async function suitesNamed(
  database: Database,
  ref: string,
): Promise<SuiteRow[]> {
  if (isUuid(ref)) {
    const byId = await database.db.select().from(suites)
      .where(eq(suites.id, ref));
    if (byId.length) return byId;
  }
  return await database.db.select().from(suites)
    .where(eq(suites.name, ref)).orderBy(desc(suites.version));
}

/**
 * The targets `ref` names: by id and by name (both, when one target's id
 * is another's name).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const found = await targetsNamed(database, "tiny-local");
 * ```
 */
export async function targetsNamed(
  database: Database,
  ref: string,
): Promise<TargetRow[]> {
  return await database.db.select().from(targets).where(
    isUuid(ref)
      ? or(eq(targets.id, ref), eq(targets.name, ref))
      : eq(targets.name, ref),
  ).orderBy(asc(targets.name));
}

function likePattern(ref: string): string {
  return `%${ref.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Names of suites in use that look like `ref` (contain it, any case), else
 * the first names in use: what a refusal lists.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await nearSuiteNames(database, "glaive"); // ["jsb-glaive"]
 * ```
 */
export async function nearSuiteNames(
  database: Database,
  ref: string,
): Promise<string[]> {
  const names = async (near: boolean) =>
    (await database.db.selectDistinct({ name: suites.name }).from(suites)
      .where(
        and(
          isNull(suites.retiredAt),
          near ? ilike(suites.name, likePattern(ref)) : undefined,
        ),
      ).orderBy(asc(suites.name)).limit(NEAR_LIMIT)).map((r) => r.name);
  const near = await names(true);
  return near.length ? near : await names(false);
}

/**
 * Names of targets in use that look like `ref`, else the first names in
 * use.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await nearTargetNames(database, "tiny"); // ["tiny-local"]
 * ```
 */
export async function nearTargetNames(
  database: Database,
  ref: string,
): Promise<string[]> {
  const names = async (near: boolean) =>
    (await database.db.select({ name: targets.name }).from(targets).where(
      and(
        isNull(targets.retiredAt),
        near ? ilike(targets.name, likePattern(ref)) : undefined,
      ),
    ).orderBy(asc(targets.name)).limit(NEAR_LIMIT)).map((r) => r.name);
  const near = await names(true);
  return near.length ? near : await names(false);
}
