import assert from "node:assert/strict";
import {
  chatStream,
  startProviderStub,
} from "../../evaluators/targets/testing/provider_stub.ts";
import { dbTest } from "../testing/database.ts";
import { ADMIN_HEADERS, testApp } from "../testing/api.ts";

dbTest("GET /metrics and the run's event stream", async (database) => {
  const stub = await startProviderStub(() => chatStream('{"ok":true}'));
  const { app, worker, call } = testApp(database);
  const post = async (path: string, body: unknown) =>
    (await call("POST", path, body)).json;
  worker.start();
  try {
    const suite = await post("/api/suites", {
      name: "m",
      cases: Array.from(
        { length: 5 },
        (_, i) => ({
          key: `k${i}`,
          schema: { type: "object", required: ["ok"] },
        }),
      ),
    });
    const target = await post("/api/targets", {
      name: "stub",
      kind: "openai-compatible",
      base_url: `${stub.url}/v1`,
      mode: "json_schema",
    });
    const run = await post("/api/runs", {
      suite_id: suite.id,
      target_id: target.id,
      public: true, // /metrics' per-target latency counts public runs only
    });

    // The event stream reports progress and ends with the final scores.
    const events =
      await (await app.request(`/api/runs/${run.id}/events?interval_ms=200`, {
        headers: ADMIN_HEADERS,
      })).text();
    assert.match(events, /event: progress/);
    const done = /event: done\ndata: (.*)\n/.exec(events);
    assert.ok(done, events.slice(0, 300));
    const final = JSON.parse(done[1]);
    assert.equal(final.progress.done, 5);
    assert.equal(final.scores.empirical_coverage.value, 1);

    const res = await app.request("/metrics");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/plain/);
    const text = await res.text();
    assert.match(text, /^evalserver_runs\{status="done"\} 1$/m);
    assert.match(text, /^evalserver_results\{outcome="valid"\} 5$/m);
    assert.match(text, /^evalserver_queue_depth 0$/m);
    assert.match(
      text,
      /^evalserver_engine_request_latency_ms\{target="stub",kind="openai-compatible",quantile="0.5"\} \d/m,
    );
    assert.match(text, /^evalserver_workers 0$/m);
  } finally {
    await worker.stop();
    await stub.stop();
  }
});
