// Issue 14, item 4, the hard assertion: an engine that dies while
// generating one marked schema. Two targets on the same engine (llama.cpp's
// own API and its OpenAI-compatible /v1), two workers on one database, and
// a stub engine that, on the marked request, cuts every request in flight,
// stays down for a while, and listens again on the same port. Only the
// marked case of each run ends `engine_error`; the innocent cases that were
// in flight end as they would have (`valid`); nothing is burned while the
// engine is down (no `infra_error`, no `skipped`), every case has exactly
// one result, and the runs were seen `waiting_for_engine`. And a proxy
// that cuts one connection while the engine stays healthy: tried again,
// not held against the engine, and no wait.
import assert from "node:assert/strict";
import { inArray, sql } from "drizzle-orm";
import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";
import { startCuttingProxy } from "../../evaluators/targets/testing/cutting_proxy.ts";
import { results } from "../db/schema.ts";
import { dbTest } from "../testing/database.ts";
import { testApp } from "../testing/api.ts";
import { Worker } from "./worker.ts";

const CASES = 12;
const MARKER = "kills-the-engine";

dbTest(
  "engine outage: the case that kills the engine is engine_error, alone; the cases in flight with it, and the outage, cost nothing",
  async (database) => {
    const engine = await startStubEngine({
      reply: '{"n":1}',
      slots: 4,
      delayMs: 300,
      fault: { marker: MARKER, as: "crash", downMs: 1500 },
    });
    const fast = { pollMs: 20, probeMs: 100, backoffMs: 5, leaseMs: 30_000 };
    const { call, worker, finished } = testApp(database, { worker: fast });
    const second = new Worker(database, { workerId: "second", ...fast });
    worker.start();
    second.start();
    try {
      const suite = await call("POST", "/api/suites", {
        name: "crashy",
        cases: Array.from({ length: CASES }, (_, i) => ({
          key: `c${i}`,
          schema: {
            ...(i === 5 ? { title: MARKER } : {}),
            type: "object",
            properties: { n: { type: "integer" } },
            required: ["n"],
          },
        })),
      });
      assert.equal(suite.status, 201, JSON.stringify(suite.json));
      const ids: string[] = [];
      for (
        const [name, kind, base] of [
          ["crashy llama", "llamacpp", engine.url],
          ["crashy compatible", "openai-compatible", `${engine.url}/v1`],
        ]
      ) {
        const target = await call("POST", "/api/targets", {
          name,
          kind,
          base_url: base,
          mode: "json_schema",
        });
        assert.equal(target.status, 201, JSON.stringify(target.json));
        const run = await call("POST", "/api/runs", {
          suite_id: suite.json.id,
          target_id: target.json.id,
          public: true,
          options: { concurrency: 4 },
        });
        assert.equal(run.status, 202, JSON.stringify(run.json));
        ids.push(run.json.id);
      }
      const statuses = new Set<string>();
      const watching = (async () => {
        for (let i = 0; i < 2000; i++) {
          const seen = await Promise.all(
            ids.map((id) => call("GET", `/api/runs/${id}`)),
          );
          for (const s of seen) statuses.add(s.json.status);
          if (seen.every((s) => s.json.finished_at)) return;
          await new Promise((r) => setTimeout(r, 25));
        }
      })();
      const done = [];
      for (const id of ids) done.push(await finished(id, 90_000));
      await watching;
      assert.ok(statuses.has("waiting_for_engine"), [...statuses].join());
      for (const run of done) {
        assert.equal(run.status, "done", JSON.stringify(run.progress));
        const outcomes = Object.fromEntries(
          Object.entries(run.progress.by_outcome).filter(([, n]) => n),
        );
        assert.deepEqual(outcomes, { valid: CASES - 1, engine_error: 1 });
        assert.ok(run.engine_waited_ms > 0);
        const page = await call("GET", `/api/runs/${run.id}/results`);
        const failed = page.json.items.filter(
          (r: { outcome: string }) => r.outcome === "engine_error",
        );
        assert.deepEqual(failed.map((r: { key: string }) => r.key), ["c5"]);
        assert.match(failed[0].error_message, /went down while generating/);
      }
      // Exactly one result per case, none pending, in both runs.
      const rows = await database.db.select({ n: sql<number>`count(*)::int` })
        .from(results).where(inArray(results.runId, ids));
      assert.equal(Number(rows[0].n), CASES * 2);
      // Each run's marked case killed the engine in company (both at once,
      // perhaps), then once more alone.
      assert.ok(
        engine.crashes >= 3 && engine.crashes <= 4,
        `${engine.crashes}`,
      );
    } finally {
      await Promise.all([worker.stop(), second.stop()]);
      await engine.stop();
    }
  },
);

dbTest(
  "engine outage: a connection the network cuts while the engine stays healthy is tried again, and is not the engine's",
  async (database) => {
    const engine = await startStubEngine({ reply: '{"n":1}' });
    const proxy = await startCuttingProxy({
      upstreamPort: Number(new URL(engine.url).port),
      marker: "cut-me",
      times: 1,
    });
    const { call, worker, finished } = testApp(database, {
      worker: { pollMs: 20, probeMs: 100, backoffMs: 5 },
    });
    worker.start();
    try {
      const suite = await call("POST", "/api/suites", {
        name: "cut",
        cases: Array.from({ length: 6 }, (_, i) => ({
          key: `c${i}`,
          schema: {
            ...(i === 2 ? { title: "cut-me" } : {}),
            type: "object",
            properties: { n: { type: "integer" } },
          },
        })),
      });
      const target = await call("POST", "/api/targets", {
        name: "behind a cutting proxy",
        kind: "llamacpp",
        base_url: proxy.url,
        mode: "json_schema",
      });
      assert.equal(target.status, 201, JSON.stringify(target.json));
      const made = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
      });
      const run = await finished(made.json.id, 30_000);
      assert.equal(proxy.cuts, 1);
      assert.equal(run.status, "done");
      assert.equal(run.engine_waited_ms, 0);
      assert.deepEqual(
        Object.fromEntries(
          Object.entries(run.progress.by_outcome).filter(([, n]) => n),
        ),
        { valid: 6 },
      );
    } finally {
      await worker.stop();
      await proxy.stop();
      await engine.stop();
    }
  },
);
