// Run life cycle through the API: cancel (nothing written after it
// returns, every case one outcome), hide/unhide, and drift flags.
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import {
  chatStream,
  startProviderStub,
} from "../../evaluators/targets/testing/provider_stub.ts";
import { dbTest } from "../testing/database.ts";
import { type Caller, testApp } from "../testing/api.ts";

async function suiteAndTarget(
  call: Caller,
  url: string,
  cases: number,
) {
  const suite = await call("POST", "/api/suites", {
    name: `s-${crypto.randomUUID()}`,
    cases: Array.from(
      { length: cases },
      (_, i) => ({ key: `c${i}`, schema: { type: "object", required: ["n"] } }),
    ),
  });
  const target = await call("POST", "/api/targets", {
    name: `t-${crypto.randomUUID()}`,
    kind: "openai-compatible",
    base_url: `${url}/v1`,
    mode: "json_schema",
  });
  return {
    suiteId: suite.json.id as string,
    targetId: target.json.id as string,
  };
}

dbTest(
  "cancel: the rest is skipped at once and nothing is written after it returns",
  async (database) => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stub = await startProviderStub(async () => {
      await gate;
      return chatStream('{"n":1}');
    });
    const { worker, call } = testApp(database, { worker: { graceMs: 200 } });
    worker.start();
    try {
      const { suiteId, targetId } = await suiteAndTarget(call, stub.url, 20);
      const run = await call("POST", "/api/runs", {
        suite_id: suiteId,
        target_id: targetId,
        options: { concurrency: 3 },
      });
      while (stub.requests.length < 3) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const cancelled = await call("POST", `/api/runs/${run.json.id}/cancel`);
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.json.status, "cancelled");
      assert.equal(cancelled.json.skipped, 20);
      const snapshot = await database.rows<{ id: number; outcome: string }>(
        sql`select id, outcome from results where run_id = ${run.json.id} order by id`,
      );
      release(); // the answers in flight arrive now: their writes must be rejected
      // Wait for the event: every case the worker held has been handled.
      const deadline = Date.now() + 15_000;
      while (worker.inflight > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal(worker.inflight, 0, "the worker let go of every case");
      const after = await database.rows<{ id: number; outcome: string }>(
        sql`select id, outcome from results where run_id = ${run.json.id} order by id`,
      );
      assert.deepEqual(after, snapshot);
      assert.ok(after.every((r) => r.outcome === "skipped"));
      const final = await call("GET", `/api/runs/${run.json.id}`);
      assert.equal(final.json.status, "cancelled");
      assert.equal(final.json.progress.done, 20);
      assert.equal(
        (await call("POST", `/api/runs/${run.json.id}/cancel`)).status,
        200,
        "cancelling twice is harmless",
      );
    } finally {
      release();
      await worker.stop();
      await stub.stop();
    }
  },
);

dbTest(
  "hide and unhide a run; drift flags when coverage shifts",
  async (database) => {
    let good = true;
    const stub = await startProviderStub(() =>
      chatStream(good ? '{"n":1}' : "[]")
    );
    const { worker, call } = testApp(database, { worker: { graceMs: 200 } });
    worker.start();
    const done = async (id: string) => {
      for (;;) {
        const res = await call("GET", `/api/runs/${id}`);
        if (res.json.finished_at) return res.json;
        await new Promise((r) => setTimeout(r, 30));
      }
    };
    try {
      const { suiteId, targetId } = await suiteAndTarget(call, stub.url, 30);
      const first = await done(
        (await call("POST", "/api/runs", {
          suite_id: suiteId,
          target_id: targetId,
        })).json.id,
      );
      assert.deepEqual(first.flags, []);
      good = false;
      const second = await done(
        (await call("POST", "/api/runs", {
          suite_id: suiteId,
          target_id: targetId,
        })).json.id,
      );
      assert.equal(second.scores.empirical_coverage.value, 0);
      assert.ok(
        second.flags.includes("coverage_shift"),
        JSON.stringify(second.flags),
      );

      const hidden = await call("POST", `/api/runs/${second.id}/hide`, {
        reason: "mistaken endpoint",
      });
      assert.equal(hidden.json.hidden, true);
      assert.equal(hidden.json.hidden_reason, "mistaken endpoint");
      const shown = await call("POST", `/api/runs/${second.id}/unhide`);
      assert.equal(shown.json.hidden, false);
      assert.equal((await call("POST", `/api/runs/nope/hide`)).status, 404);
    } finally {
      await worker.stop();
      await stub.stop();
    }
  },
);
