// Issue 14, item 2: a run that measured nothing ends `failed` with its
// reason, and is never a board row, a ranking entry, a trend point or a
// drift baseline. A dead URL (a port nobody listens on: the run waits for
// the engine, item 4, then fails after `engine_wait_ms`), a key the engine
// refuses (401 on the first request, or on describe), mostly infra
// errors, and a suite of schemas our validator cannot read.
import assert from "node:assert/strict";
import {
  chatStream,
  jsonError,
  startProviderStub,
} from "../../evaluators/targets/testing/provider_stub.ts";
import { eq } from "drizzle-orm";
import { driftFor } from "../db/queries/drift.ts";
import { runs } from "../db/schema.ts";
import { dbTest } from "../testing/database.ts";
import { seedRun, seedSuite, seedTarget } from "../testing/seed.ts";
import { ADMIN_HEADERS, type Caller, testApp } from "../testing/api.ts";

const CASES = 4;

/** A port nobody listens on. */
function deadPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function makeSuite(
  call: Caller,
  name: string,
  schema: (i: number) => unknown = (i) => ({
    type: "object",
    properties: { n: { const: i } },
    required: ["n"],
  }),
): Promise<string> {
  const suite = await call("POST", "/api/suites", {
    name,
    cases: Array.from({ length: CASES }, (_, i) => ({
      key: `c${i}`,
      schema: schema(i),
    })),
  });
  assert.equal(suite.status, 201, JSON.stringify(suite.json));
  return suite.json.id;
}

async function makeTarget(
  call: Caller,
  body: Record<string, unknown>,
): Promise<string> {
  const target = await call("POST", "/api/targets", {
    mode: "json_schema",
    ...body,
  });
  assert.equal(target.status, 201, JSON.stringify(target.json));
  return target.json.id;
}

/** The run is on no board (page, JSON, CSV), ranking or target page. */
async function assertOffTheBoard(
  app: ReturnType<typeof testApp>["app"],
  call: Caller,
  run: { id: string; suite_id: string; target_id: string },
) {
  const board = await call("GET", "/api/leaderboard.json");
  assert.ok(
    !board.json.items.some((i: { run_id: string }) => i.run_id === run.id),
    "the failed run is a board row",
  );
  const csv = await (await app.request("/api/leaderboard.csv")).text();
  assert.ok(!csv.includes(run.id));
  const page = await (await app.request("/")).text();
  assert.ok(!page.includes(run.id), "the failed run is on the board page");
  const ranking = await call("GET", `/api/suites/${run.suite_id}/ranking`);
  assert.equal(ranking.status, 200);
  assert.ok(
    !ranking.json.items.some((i: { run_id: string }) => i.run_id === run.id),
    "the failed run is in the ranking",
  );
  const history = await (await app.request(`/targets/${run.target_id}`))
    .text();
  assert.ok(!history.includes(run.id), "the failed run is a trend point");
}

dbTest(
  "failed: a dead URL ends engine_down, off the board, its page says nothing was measured",
  async (database) => {
    const { app, worker, call, finished } = testApp(database, {
      worker: { backoffMs: 5 },
    });
    worker.start();
    try {
      const suiteId = await makeSuite(call, "dead");
      const targetId = await makeTarget(call, {
        name: "nobody home",
        kind: "llamacpp",
        base_url: `http://127.0.0.1:${deadPort()}`,
      });
      const made = await call("POST", "/api/runs", {
        suite_id: suiteId,
        target_id: targetId,
        public: true,
        options: { retries: 1, concurrency: 2, engine_wait_ms: 1500 },
      });
      assert.equal(made.status, 202, JSON.stringify(made.json));
      // It waits for the engine first, burning nothing.
      let waiting = await call("GET", `/api/runs/${made.json.id}`);
      for (let i = 0; i < 100 && waiting.json.status === "queued"; i++) {
        await new Promise((r) => setTimeout(r, 20));
        waiting = await call("GET", `/api/runs/${made.json.id}`);
      }
      assert.equal(waiting.json.status, "waiting_for_engine");
      assert.ok(waiting.json.waiting_since);
      const run = await finished(made.json.id, 30_000);
      assert.equal(run.status, "failed");
      assert.equal(run.failure_reason, "engine_down");
      assert.match(run.error, /^the engine could not be reached for [12] s/);
      // Every case unattempted, skipped; none burned as infra_error.
      assert.equal(run.progress.by_outcome.skipped, CASES);
      assert.equal(run.progress.by_outcome.infra_error ?? 0, 0);
      assert.ok(run.engine_waited_ms >= 1400, String(run.engine_waited_ms));
      await assertOffTheBoard(app, call, run);

      const page = await app.request(`/runs/${run.id}`, {
        headers: ADMIN_HEADERS,
      });
      const html = await page.text();
      assert.match(
        html,
        /<\/h1><div class="notice failed" role="alert"><p><strong>Nothing was measured:<\/strong> the engine could not be reached \(engine_down\)/,
      );
      assert.ok(html.includes("failed (engine_down)"));
      const listed = await call("GET", "/api/runs?status=failed");
      assert.deepEqual(
        listed.json.items.map((r: { id: string }) => r.id),
        [run.id],
      );
    } finally {
      await worker.stop();
    }
  },
);

dbTest(
  "failed: a key refused on the first request fails the run at once (auth_failed), nothing sent further",
  async (database) => {
    const stub = await startProviderStub(() =>
      jsonError(401, "Incorrect API key provided", {}, "invalid_request_error")
    );
    const { app, worker, call, finished } = testApp(database, {
      worker: { backoffMs: 5 },
    });
    worker.start();
    try {
      const suiteId = await makeSuite(call, "keyed");
      const targetId = await makeTarget(call, {
        name: "wrong key",
        kind: "openai-compatible",
        base_url: `${stub.url}/v1`,
      });
      const made = await call("POST", "/api/runs", {
        suite_id: suiteId,
        target_id: targetId,
        public: true,
        options: { concurrency: 1 },
      });
      const run = await finished(made.json.id, 30_000);
      assert.equal(run.status, "failed");
      assert.equal(run.failure_reason, "auth_failed");
      assert.match(
        run.error,
        /^the engine refused the API key: HTTP 401: Incorrect API key provided/,
      );
      // Every case skipped, the one that met the refusal too.
      assert.equal(run.progress.by_outcome.skipped, CASES);
      assert.equal(run.progress.done, CASES);
      const chats = stub.requests.filter((r) => r.method === "POST");
      assert.equal(chats.length, 1, "a request was sent after the refusal");
      await assertOffTheBoard(app, call, run);
    } finally {
      await worker.stop();
      await stub.stop();
    }
  },
);

dbTest(
  "failed: a key refused when the engine describes itself fails the run before any case is sent",
  async (database) => {
    // A llama-server behind a key: every path answers 401.
    const controller = new AbortController();
    let generations = 0;
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      signal: controller.signal,
      onListen() {},
    }, (req) => {
      if (req.method === "POST") generations++;
      return Response.json(
        { error: { code: 401, message: "Invalid API Key" } },
        {
          status: 401,
        },
      );
    });
    const { app, worker, call, finished } = testApp(database);
    worker.start();
    try {
      const suiteId = await makeSuite(call, "described");
      const targetId = await makeTarget(call, {
        name: "locked llama",
        kind: "llamacpp",
        base_url: `http://127.0.0.1:${server.addr.port}`,
      });
      const made = await call("POST", "/api/runs", {
        suite_id: suiteId,
        target_id: targetId,
        public: true,
      });
      const run = await finished(made.json.id, 30_000);
      assert.equal(run.status, "failed");
      assert.equal(run.failure_reason, "auth_failed");
      assert.match(run.error, /HTTP 401/);
      assert.equal(run.progress.by_outcome.skipped, CASES);
      assert.equal(generations, 0);
      await assertOffTheBoard(app, call, run);
    } finally {
      await worker.stop();
      controller.abort();
      await server.finished;
    }
  },
);

dbTest(
  "failed: more than half of the attempted cases infra_error is mostly_infra_errors; half is a run",
  async (database) => {
    // Cases c0..c2 get a 500 not tied to the request; c3 is answered.
    let answered = 1;
    const stub = await startProviderStub((req) => {
      const messages = req.body?.messages as { content: string }[];
      const n = Number(/"const":(\d+)/.exec(messages.at(-1)!.content)![1]);
      return n < CASES - answered
        ? jsonError(500, "The server had an error.", {}, "server_error")
        : chatStream(JSON.stringify({ n }));
    });
    const { app, worker, call, finished } = testApp(database, {
      worker: { backoffMs: 5 },
    });
    worker.start();
    try {
      const suiteId = await makeSuite(call, "flaky");
      const targetId = await makeTarget(call, {
        name: "flaky",
        kind: "openai-compatible",
        base_url: `${stub.url}/v1`,
      });
      const runOnce = async () => {
        const made = await call("POST", "/api/runs", {
          suite_id: suiteId,
          target_id: targetId,
          public: true,
          options: { retries: 0 },
        });
        return await finished(made.json.id, 30_000);
      };
      const mostly = await runOnce();
      assert.equal(mostly.status, "failed");
      assert.equal(mostly.failure_reason, "mostly_infra_errors");
      assert.match(mostly.error, /\(3 of 4\): HTTP 500/);
      await assertOffTheBoard(app, call, mostly);

      answered = 2; // half: a (partial) run, not a failure
      const half = await runOnce();
      assert.equal(half.status, "done");
      assert.equal(half.failure_reason, null);
    } finally {
      await worker.stop();
      await stub.stop();
    }
  },
);

dbTest(
  "failed: a run where every schema is invalid_schema measured nothing",
  async (database) => {
    const stub = await startProviderStub(() => chatStream("{}"));
    const { app, worker, call, finished } = testApp(database);
    worker.start();
    try {
      const suiteId = await makeSuite(call, "unreadable", (i) => ({
        $ref: `#/definitions/missing${i}`,
      }));
      const targetId = await makeTarget(call, {
        name: "reader",
        kind: "openai-compatible",
        base_url: `${stub.url}/v1`,
      });
      const made = await call("POST", "/api/runs", {
        suite_id: suiteId,
        target_id: targetId,
        public: true,
      });
      const run = await finished(made.json.id, 30_000);
      assert.equal(run.progress.by_outcome.invalid_schema, CASES);
      assert.equal(run.status, "failed");
      assert.equal(run.failure_reason, "nothing_measured");
      assert.equal(run.scores.empirical_coverage.n, 0);
      await assertOffTheBoard(app, call, run);
    } finally {
      await worker.stop();
      await stub.stop();
    }
  },
);

dbTest(
  "failed: a failed run is never a drift baseline",
  async (database) => {
    const suite = await seedSuite(database, "drift", [
      { key: "a", schema: { type: "object" } },
      { key: "b", schema: { type: "object" } },
    ]);
    const target = await seedTarget(database, { name: "drifting" });
    const earlier = await seedRun(database, {
      suite,
      target,
      results: () => ({ outcome: "valid" }),
      engine: { engine: "llama.cpp", version: "b0" },
      finishedAt: new Date(Date.now() - 60_000),
    });
    const later = await seedRun(database, {
      suite,
      target,
      results: () => ({ outcome: "valid" }),
      engine: { engine: "llama.cpp", version: "b2" },
    });
    // As a done run, the earlier one is the baseline: the build changed.
    assert.deepEqual(
      await driftFor(database, later.id, later.summary!),
      ["engine_build_changed"],
    );
    // As a failed one, it is no baseline at all.
    await database.db.update(runs).set({
      status: "failed",
      failureReason: "mostly_infra_errors",
    }).where(eq(runs.id, earlier.id));
    assert.deepEqual(await driftFor(database, later.id, later.summary!), []);
  },
);
