// A run of the built-in smoke suite through the API, end to end on the
// local llama-server: every case one outcome, one result per case, and
// scores that agree with the rows. Ignored where the llama-server is not
// set up (a failure under CI=true).
import assert from "node:assert/strict";
import { startLlamaServer } from "../../evaluators/targets/testing/llama_server.ts";
import { BUILTIN_DIR, readBuiltinSuite } from "../suites/builtin.ts";
import { testApp } from "../testing/api.ts";
import { llamaDbTest } from "../testing/engines.ts";

llamaDbTest(
  "runs: the smoke suite end to end on a real llama-server",
  async (database) => {
    const server = await startLlamaServer({ slots: 4, ctxPerSlot: 4096 });
    const { worker, call, finished } = testApp(database, {
      worker: { pollMs: 50, leaseMs: 30_000 },
    });
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
      const done = await finished(run.json.id, 240_000);
      assert.equal(done.status, "done");

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
