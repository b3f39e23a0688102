// Migration 0007 judges the runs stored `done` before failed runs existed
// by the rules of server/runs/failure.ts: a dead URL's run (every case
// infra_error, unreachable) becomes failed engine_down, a refused key's
// auth_failed, a run of unreadable schemas nothing_measured; a run that
// measured something stays done. It is run again on seeded rows (the
// migrations are applied before any row exists).
import assert from "node:assert/strict";
import { eq, sql } from "drizzle-orm";
import { runs } from "./schema.ts";
import { dbTest } from "../testing/database.ts";
import { seedRun, seedSuite, seedTarget } from "../testing/seed.ts";
import { failureOf } from "../runs/failure.ts";

const MIGRATION = new URL(
  "../../migrations/0007_rejudge_failed_runs.sql",
  import.meta.url,
);

dbTest(
  "migration 0007: stored done runs that measured nothing become failed, with failureOf's reason and words",
  async (database) => {
    const rejudge = await Deno.readTextFile(MIGRATION);
    assert.match(rejudge, /UPDATE "runs"/);
    const suite = await seedSuite(
      database,
      "old",
      [0, 1, 2, 3].map((i) => ({ key: `c${i}`, schema: { type: "object" } })),
    );
    const target = await seedTarget(database, { name: "old target" });
    const dead =
      "transport: error sending request: Connection refused (after 4 tries)";
    const seeded = {
      dead: await seedRun(database, {
        suite,
        target,
        results: () => ({ outcome: "infra_error", errorMessage: dead }),
      }),
      refused: await seedRun(database, {
        suite,
        target,
        results: () => ({
          outcome: "infra_error",
          errorMessage: "HTTP 401: Incorrect API key provided",
        }),
      }),
      unreadable: await seedRun(database, {
        suite,
        target,
        results: () => ({ outcome: "invalid_schema" }),
      }),
      mostly: await seedRun(database, {
        suite,
        target,
        results: (_k, i) =>
          i === 0
            ? { outcome: "valid" }
            : { outcome: "infra_error", errorMessage: "HTTP 500: oops" },
      }),
      fine: await seedRun(database, {
        suite,
        target,
        results: (_k, i) =>
          i < 2
            ? { outcome: "valid" }
            : { outcome: "infra_error", errorMessage: dead },
      }),
    };
    await database.rows(sql.raw(rejudge));
    const expected = {
      dead: ["failed", "engine_down"],
      refused: ["failed", "auth_failed"],
      unreadable: ["failed", "nothing_measured"],
      mostly: ["failed", "mostly_infra_errors"],
      fine: ["done", null],
    };
    for (const [name, run] of Object.entries(seeded)) {
      const [row] = await database.db.select().from(runs).where(
        eq(runs.id, run.id),
      );
      assert.deepEqual(
        [row.status, row.failureReason],
        expected[name as keyof typeof expected],
        name,
      );
      // The words are failureOf's, as a run failed today has them.
      const counts: Record<string, number> = {};
      const messages: string[] = [];
      for (
        const r of await database.rows<
          { outcome: string; error_message: string | null }
        >(
          sql`select outcome, left(error_message, 200) as error_message from results where run_id = ${run.id} order by id`,
        )
      ) {
        counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
        if (r.outcome === "infra_error") messages.push(r.error_message!);
      }
      const today = failureOf({
        summary: { total: 4, by_outcome: counts },
        infraMessages: messages,
      });
      assert.equal(row.error, today?.message ?? null, name);
    }
  },
);
