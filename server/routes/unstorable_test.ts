// What PostgreSQL cannot hold (NUL, lone surrogates) in a schema or in an
// engine's answer: a schema keeps its \u0000 (stored as json), an answer is
// stored with the character visibly replaced, and the case still ends with
// exactly one result.
import assert from "node:assert/strict";
import {
  chatStream,
  startProviderStub,
} from "../../evaluators/targets/testing/provider_stub.ts";
import { dbTest } from "../testing/database.ts";
import { testApp } from "../testing/api.ts";

dbTest(
  "NUL in a schema is kept; NUL in an answer is stored replaced",
  async (database) => {
    const stub = await startProviderStub((_request, n) =>
      chatStream(n % 2 ? '{"a":"x\u0000y"}' : '{"a":"\ud800"}')
    );
    const { worker, call } = testApp(database);
    worker.start();
    try {
      const schema = {
        $schema: "http://json-schema.org/draft-07/schema#\u0000",
        type: "object",
        properties: { a: { type: "string", pattern: "^[^\u0000-\u001f]*$" } },
      };
      const suite = await call("POST", "/api/suites", {
        name: "nul",
        cases: [{ key: "a", schema }, { key: "b", schema }],
      });
      assert.equal(suite.status, 201, JSON.stringify(suite.json));
      const stored = await call("GET", `/api/suites/${suite.json.id}`);
      assert.deepEqual(stored.json.cases.items[0].schema, schema);
      const refused = await call("POST", "/api/suites", {
        name: "nul key",
        cases: [{ key: "a\u0000", schema: {} }],
      });
      assert.equal(refused.status, 400);
      assert.equal(refused.json.error.path, "/cases/0/key");

      const target = await call("POST", "/api/targets", {
        name: "stub",
        kind: "openai-compatible",
        base_url: `${stub.url}/v1`,
        mode: "json_schema",
      });
      const run = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
      });
      let report;
      for (let i = 0; i < 200; i++) {
        report = await call("GET", `/api/runs/${run.json.id}`);
        if (report.json.status === "done") break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(report!.json.status, "done");
      const results = await call("GET", `/api/runs/${run.json.id}/results`);
      assert.equal(results.json.items.length, 2, "one result per case");
      const outputs = results.json.items.map((r: { raw_output: string }) =>
        r.raw_output
      ).sort();
      assert.deepEqual(outputs, ['{"a":"x\uFFFDy"}', '{"a":"\uFFFD"}'].sort());
    } finally {
      await worker.stop();
      await stub.stop();
    }
  },
);
