import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { ValidationPool } from "../../evaluators/validation/pool.ts";
import { VALIDATOR_VERSION } from "../../evaluators/validation/version.ts";
import { createApp } from "../app.ts";
import { backfillCases } from "../db/queries/case_backfill.ts";
import { createToken } from "../db/queries/tokens.ts";
import { cases, runs } from "../db/schema.ts";
import { rejudgeBoard } from "../runs/rejudge.ts";
import { adminCaller, testEnv } from "../testing/api.ts";
import { dbTest } from "../testing/database.ts";
import { seedRun, seedSuite, seedTarget } from "../testing/seed.ts";

const D7 = "http://json-schema.org/draft-07/schema#";

dbTest(
  "rejudge: an older validator's run is off the board, re-judged into a new run without the engine, and compare keeps versions apart",
  async (database) => {
    const pool = new ValidationPool({ size: 1 });
    try {
      const app = createApp({ database, env: testEnv(), validationPool: pool });
      const call = adminCaller(app);
      const suite = await seedSuite(database, "fidelity", [
        { key: "a", schema: { type: "integer", format: "int32" } },
        {
          key: "b",
          schema: {
            $schema: D7,
            definitions: { d: { type: "object" } },
            properties: { S: { type: "string", $ref: "#/definitions/d" } },
          },
        },
        { key: "c", schema: { type: "string" } },
      ]);
      const target = await seedTarget(database, { name: "old-engine" });
      // The verdicts the validator before issue 16 stored.
      const old = await seedRun(database, {
        suite,
        target,
        results: (key) =>
          key === "a"
            ? {
              outcome: "schema_violation",
              rawOutput: "3000000000",
              failingKeywords: ["format"],
            }
            : key === "b"
            ? {
              outcome: "schema_violation",
              rawOutput: '{"S": {"x": 1}}',
              failingKeywords: ["type"],
            }
            : { outcome: "invalid_json", rawOutput: "{" },
      });
      await database.db.update(runs).set({ validatorVersion: 1 }).where(
        eq(runs.id, old.id),
      );
      const board = async () =>
        (await call("GET", "/api/leaderboard.json")).json.items.map((
          i: { run_id: string },
        ) => i.run_id);
      assert.deepEqual(
        await board(),
        [],
        "an older validator's run is off the board",
      );

      const { token } = await createToken(database, {
        name: "r",
        scopes: ["read"],
      });
      const denied = await app.request(`/api/runs/${old.id}/rejudge`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(denied.status, 403);

      const made = await call("POST", `/api/runs/${old.id}/rejudge`);
      assert.equal(made.status, 201);
      assert.equal(made.json.validator_version, VALIDATOR_VERSION);
      assert.equal(made.json.rejudged_from, old.id);
      assert.equal(made.json.status, "done");
      const listed = await call(
        "GET",
        `/api/runs/${made.json.id}/results?limit=10`,
      );
      const outcomes = Object.fromEntries(
        listed.json.items.map((
          r: { key: string; outcome: string },
        ) => [r.key, r.outcome]),
      );
      assert.deepEqual(outcomes, { a: "valid", b: "valid", c: "invalid_json" });
      const report = await call("GET", `/api/runs/${made.json.id}`);
      assert.equal(report.json.scores.empirical_coverage.value, 2 / 3);
      assert.deepEqual(await board(), [made.json.id]);

      const compared = await call(
        "GET",
        `/api/compare?a=${old.id}&b=${made.json.id}`,
      );
      assert.equal(compared.status, 400);
      assert.equal(compared.json.error.code, "different_validators");
      // The board is current now: the task has nothing to do.
      assert.equal(
        await rejudgeBoard(database, () => {}, new ValidationPool({ size: 1 })),
        0,
      );
      const running = await seedRun(database, {
        suite,
        target,
        results: () => null,
      });
      assert.equal(
        (await call("POST", `/api/runs/${running.id}/rejudge`)).status,
        409,
      );
    } finally {
      pool.close();
    }
  },
);

dbTest(
  "case backfill: stored cases of an older validator are re-derived once",
  async (database) => {
    const suite = await seedSuite(database, "derived", [
      {
        key: "a",
        schema: { items: { $ref: "#/Item" }, Item: { format: "uuid" } },
      },
      { key: "b", schema: { id: "x", type: "string" } },
    ]);
    assert.equal(await backfillCases(database), 0);
    await database.db.update(cases).set({
      derivedVersion: 1,
      keywords: ["stale"],
      draft: "draft4",
      draftNote: 'uses draft-04\'s "id"',
    }).where(eq(cases.suiteId, suite.id));
    assert.equal(await backfillCases(database), 2);
    const rows = await database.db.select().from(cases).where(
      eq(cases.suiteId, suite.id),
    ).orderBy(cases.key);
    assert.deepEqual(rows.map((r) => r.keywords), [
      ["$ref", "format", "format:uuid", "items"],
      ["id", "type"],
    ]);
    assert.deepEqual(rows.map((r) => r.draft), [
      "draft2020-12",
      "draft2020-12",
    ]);
    assert.ok(rows.every((r) => r.derivedVersion === VALIDATOR_VERSION));
    assert.equal(await backfillCases(database), 0);
  },
);
