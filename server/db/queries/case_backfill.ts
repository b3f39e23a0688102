/**
 * The start-up backfill of stored cases' derived columns: `draft`,
 * `draft_note` and `keywords` are what the validator of the time derived
 * from each schema, so a new validator version (`VALIDATOR_VERSION`)
 * recomputes them for every case whose `derived_version` is older, in
 * batches. Idempotent: a case at today's version is never read again, and
 * two processes starting at once write the same values.
 *
 * @example
 * ```ts
 * import { backfillCases } from "./case_backfill.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * console.log(`${await backfillCases(database)} cases re-derived`);
 * ```
 * @module
 */
import { and, asc, eq, gt, lt } from "drizzle-orm";
import { detectDraft } from "../../../evaluators/validation/draft.ts";
import { schemaKeywords } from "../../../evaluators/validation/keywords.ts";
import { VALIDATOR_VERSION } from "../../../evaluators/validation/version.ts";
import type { Database } from "../client.ts";
import { cases } from "../schema.ts";
import { storable } from "../storable.ts";

const BATCH = 200;

/**
 * Re-derives every case older than today's validator; returns how many it
 * updated.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await backfillCases(database); // 0 once every case is current
 * ```
 */
export async function backfillCases(database: Database): Promise<number> {
  let after = 0;
  let updated = 0;
  for (;;) {
    const batch = await database.db.select({
      id: cases.id,
      schema: cases.schema,
    }).from(cases).where(and(
      lt(cases.derivedVersion, VALIDATOR_VERSION),
      gt(cases.id, after),
    )).orderBy(asc(cases.id)).limit(BATCH);
    if (batch.length === 0) return updated;
    for (const row of batch) {
      const draft = detectDraft(row.schema);
      await database.db.update(cases).set({
        draft: draft.draft,
        draftNote: storable(draft.note),
        keywords: storable(schemaKeywords(row.schema)),
        derivedVersion: VALIDATOR_VERSION,
      }).where(and(
        eq(cases.id, row.id),
        lt(cases.derivedVersion, VALIDATOR_VERSION),
      ));
      updated++;
    }
    after = batch[batch.length - 1].id;
  }
}
