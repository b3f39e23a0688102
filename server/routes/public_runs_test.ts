// Issue 14, item 7: drift flags of a public run compare against public
// full runs only, and /metrics counts public runs only.
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import {
  chatStream,
  startProviderStub,
} from "../../evaluators/targets/testing/provider_stub.ts";
import { runs } from "../db/schema.ts";
import { getSuite } from "../db/queries/suites.ts";
import { getTarget } from "../db/queries/targets.ts";
import { dbTest } from "../testing/database.ts";
import { testApp } from "../testing/api.ts";
import { seedRun } from "../testing/seed.ts";

dbTest(
  "drift: a private or partial run is never a public run's baseline; /metrics counts public runs",
  async (database) => {
    const stub = await startProviderStub(() => chatStream('{"ok":true}'));
    const { app, worker, call, finished } = testApp(database, {
      worker: { pollMs: 50 },
    });
    worker.start();
    try {
      const suite = await call("POST", "/api/suites", {
        name: "drift",
        cases: Array.from({ length: 3 }, (_, i) => ({
          key: `k${i}`,
          schema: { type: "object", required: ["ok"] },
        })),
      });
      const target = await call("POST", "/api/targets", {
        name: "stub",
        kind: "openai-compatible",
        base_url: `${stub.url}/v1`,
        mode: "json_schema",
      });
      const run = async (isPublic: boolean) => {
        const made = await call("POST", "/api/runs", {
          suite_id: suite.json.id,
          target_id: target.json.id,
          public: isPublic,
        });
        assert.equal(made.status, 202);
        return await finished(made.json.id);
      };
      const first = await run(true);
      assert.deepEqual(first.flags, []);

      // Later than the first: a private run and a partial public run, each
      // on another engine build and with every case failed.
      const suiteRow = (await getSuite(database, suite.json.id))!;
      const targetRow = (await getTarget(database, target.json.id))!;
      const other = { engine: "other", version: "b999", model: "other" };
      await seedRun(database, {
        suite: suiteRow,
        target: targetRow,
        public: false,
        engine: other,
        results: () => ({ outcome: "invalid_json" }),
      });
      const partial = await seedRun(database, {
        suite: suiteRow,
        target: targetRow,
        engine: other,
        results: () => ({ outcome: "invalid_json" }),
      });
      await database.db.update(runs).set({
        partial: true,
        partialReason: "overrides the target's max_tokens",
      }).where(eq(runs.id, partial.id));

      // The next public run compares against the first: nothing drifted.
      const next = await run(true);
      assert.equal(next.status, "done");
      assert.deepEqual(next.flags, []);

      // A private run may compare against its owner's private runs (here
      // the operator's, with no owner token); the latest is the public one.
      const mine = await run(false);
      assert.deepEqual(mine.flags, []);

      // /metrics: the three public runs (two by the worker, one seeded
      // partial), none of the two private ones; results likewise.
      const text = await (await app.request("/metrics")).text();
      assert.match(text, /^evalserver_runs\{status="done"\} 3$/m);
      assert.match(text, /^evalserver_results\{outcome="valid"\} 6$/m);
      assert.match(text, /^evalserver_results\{outcome="invalid_json"\} 3$/m);
    } finally {
      await worker.stop();
      await stub.stop();
    }
  },
);
