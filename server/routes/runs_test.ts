import assert from "node:assert/strict";
import {
  llamaServerPaths,
  startLlamaServer,
} from "../../evaluators/targets/testing/llama_server.ts";
import { createApp } from "../app.ts";
import { readBuiltinSuite } from "../suites/builtin.ts";
import { BUILTIN_DIR } from "../suites/builtin.ts";
import type { Database } from "../db/client.ts";
import { dbTest } from "../testing/database.ts";
import { Worker } from "../worker/worker.ts";
import { ADMIN_HEADERS, testEnv } from "../testing/auth.ts";

const llamaReady = (await llamaServerPaths()) !== null;
if (!llamaReady) {
  console.log(
    "end-to-end run tests SKIPPED: run `bash scripts/dev/setup_llama_server.sh` first",
  );
}

function harness(database: Database) {
  const worker = new Worker(database, {
    workerId: `test-${crypto.randomUUID()}`,
    pollMs: 50,
    leaseMs: 30_000,
  });
  const app = createApp({
    database,
    env: testEnv(),
    onRunCreated: () => worker.wake(),
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: ADMIN_HEADERS,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  return { worker, call };
}

dbTest(
  "targets: create, list, name taken, bad bodies, no secret anywhere",
  async (database) => {
    const { call } = harness(database);
    const body = {
      name: "local",
      kind: "llamacpp",
      base_url: "http://127.0.0.1:9",
      mode: "json_schema",
      api_key_env: "LOCAL_LLAMA_API_KEY",
      hardware: "2 vCPU",
    };
    const created = await call("POST", "/api/targets", body);
    assert.equal(created.status, 201);
    assert.match(created.json.id, /^[0-9a-f-]{36}$/);
    assert.equal(created.json.api_key_env, "LOCAL_LLAMA_API_KEY");
    assert.equal((await call("POST", "/api/targets", body)).status, 409);
    const list = await call("GET", "/api/targets");
    assert.deepEqual(list.json.items.map((t: { name: string }) => t.name), [
      "local",
    ]);
    for (
      const [bad, path] of [
        [{ ...body, name: "x", kind: "nope" }, "/kind"],
        [{ ...body, name: "x", mode: "free" }, "/mode"],
        [{ ...body, name: "x", base_url: undefined }, "/base_url"],
        [{ ...body, name: "x", api_key_env: "DATABASE_URL" }, "/api_key_env"],
        [{ ...body, name: "x", base_url: "file:///etc/passwd" }, "/base_url"],
      ] as const
    ) {
      const res = await call("POST", "/api/targets", bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(res.json.error.path, path);
    }
  },
);

dbTest("runs: bad bodies and unknown ids", async (database) => {
  const { call } = harness(database);
  const suite = await call("POST", "/api/suites", {
    name: "s",
    cases: [{ key: "a", schema: {} }],
  });
  const target = await call("POST", "/api/targets", {
    name: "t",
    kind: "llamacpp",
    base_url: "http://127.0.0.1:9",
    mode: "json_schema",
  });
  assert.equal(
    (await call("POST", "/api/runs", { suite_id: suite.json.id })).status,
    400,
  );
  const unknownSuite = await call("POST", "/api/runs", {
    suite_id: crypto.randomUUID(),
    target_id: target.json.id,
  });
  assert.equal(unknownSuite.status, 404);
  assert.equal(unknownSuite.json.error.path, "/suite_id");
  const badOption = await call("POST", "/api/runs", {
    suite_id: suite.json.id,
    target_id: target.json.id,
    options: { temperature: -1 },
  });
  assert.equal(badOption.status, 400);
  assert.equal(badOption.json.error.path, "/options/temperature");
  assert.equal(
    (await call("GET", `/api/runs/${crypto.randomUUID()}`)).status,
    404,
  );
});

dbTest(
  "runs: an unreachable engine ends every case as infra_error, nothing lost",
  async (database) => {
    const { worker, call } = harness(database);
    worker.start();
    try {
      const suite = await call("POST", "/api/suites", {
        name: "down",
        cases: [{ key: "a", schema: { type: "object" } }, {
          key: "b",
          schema: { type: "string" },
        }],
      });
      const target = await call("POST", "/api/targets", {
        name: "nowhere",
        kind: "llamacpp",
        base_url: "http://127.0.0.1:9",
        mode: "json_schema",
      });
      const run = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
        options: { retries: 1 },
      });
      assert.equal(run.status, 202);
      const done = await poll(call, run.json.id, 30_000);
      assert.equal(done.progress.by_outcome.infra_error, 2);
      assert.equal(done.scores.empirical_coverage.n, 0);
      assert.match(done.engine.error, /could not describe/);
      const results = await call("GET", `/api/runs/${run.json.id}/results`);
      assert.ok(
        results.json.items.every((
          r: { attempts: number; error_message: string },
        ) => /transport/.test(r.error_message)),
      );
    } finally {
      await worker.stop();
    }
  },
);

async function poll(
  call: ReturnType<typeof harness>["call"],
  id: string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call("GET", `/api/runs/${id}`);
    if (res.json.status === "done") return res.json;
    if (Date.now() > deadline) {
      throw new Error(
        `run still ${res.json.status}: ${JSON.stringify(res.json.progress)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

dbTest(
  "runs: the smoke suite end to end on a real llama-server",
  async (database) => {
    if (!llamaReady) return;
    const server = await startLlamaServer({ slots: 4, ctxPerSlot: 4096 });
    const { worker, call } = harness(database);
    worker.start();
    try {
      const smoke = await readBuiltinSuite(`${BUILTIN_DIR}/smoke`);
      const suite = await call("POST", "/api/suites", smoke);
      assert.equal(suite.status, 201);
      const target = await call("POST", "/api/targets", {
        name: "tiny",
        kind: "llamacpp",
        base_url: server.url,
        mode: "json_schema",
        params: { max_tokens: 256 },
      });
      const run = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
      });
      assert.equal(run.status, 202);
      assert.equal(run.json.case_count, smoke.cases.length);
      const done = await poll(call, run.json.id, 240_000);

      // Every case ends in exactly one outcome.
      const counts = done.progress.by_outcome as Record<string, number>;
      const sum = Object.values(counts).reduce((a, b) => a + b, 0);
      assert.equal(sum, smoke.cases.length);
      assert.equal(done.progress.done, smoke.cases.length);
      assert.equal(done.engine.version, server.buildInfo);
      assert.equal(done.engine.slots, 4);
      assert.equal(counts.infra_error, 0);
      assert.ok(counts.valid > 0, JSON.stringify(counts));

      // Exactly one result per case, and the scores agree with the rows.
      const rows: { key: string; outcome: string; latency_ms: number }[] = [];
      let cursor: string | null = null;
      do {
        const page = await call(
          "GET",
          `/api/runs/${run.json.id}/results?limit=7${
            cursor ? `&cursor=${cursor}` : ""
          }`,
        );
        rows.push(...page.json.items);
        cursor = page.json.next_cursor;
      } while (cursor);
      assert.equal(rows.length, smoke.cases.length);
      assert.equal(new Set(rows.map((r) => r.key)).size, smoke.cases.length);
      const n = (o: string) => rows.filter((r) => r.outcome === o).length;
      const excluded = n("invalid_schema") + n("infra_error") + n("skipped");
      const e = rows.length - excluded;
      const accepted = e - n("unsupported_schema") - n("context_exceeded");
      assert.equal(done.scores.empirical_coverage.value, n("valid") / e);
      assert.equal(done.scores.compliance.value, n("valid") / accepted);
      assert.equal(
        done.scores.declared_coverage.value,
        accepted / (e - n("context_exceeded")),
      );
      assert.ok(done.scores.latency_ms.p50 > 0);
      assert.ok(done.scores.ttft_ms.p50 > 0);
      assert.ok(done.scores.tokens.completion > 0);

      const violations = await call(
        "GET",
        `/api/runs/${run.json.id}/results?outcome=valid`,
      );
      assert.ok(
        violations.json.items.every((r: { outcome: string }) =>
          r.outcome === "valid"
        ),
      );

      const listed = await call(
        "GET",
        `/api/runs?status=done&target_id=${target.json.id}`,
      );
      assert.deepEqual(
        listed.json.items.map((r: { id: string }) => r.id),
        [run.json.id],
      );
      console.log(`smoke on ${database.kind}: ${JSON.stringify(counts)}`);
    } finally {
      await worker.stop();
      await server.stop();
    }
  },
);
