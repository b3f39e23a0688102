// Key order through the whole server (HTTP API, worker, database): a stub
// engine that answers every case with the same reply, its keys sorted, on
// schemas that list them reasoning first. The run's scores.key_order
// counts the cases whose schema orders two of the reply's keys, the
// results carry key_order, and the run page shows it.
import assert from "node:assert/strict";
import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";
import { dbTest } from "../testing/database.ts";
import { ADMIN_HEADERS, testApp } from "../testing/api.ts";

const REPLY = '{"answer": 4, "reasoning": "two and two"}';
const REASONING_FIRST = {
  type: "object",
  properties: { reasoning: { type: "string" }, answer: { type: "integer" } },
};

dbTest(
  "key order: a reply with its keys sorted, scored against the schemas' order",
  async (database) => {
    const engine = await startStubEngine({ reply: REPLY });
    const { app, worker, call, finished } = testApp(database);
    worker.start();
    try {
      const suite = await call("POST", "/api/suites", {
        name: "key order",
        cases: [
          { key: "reasoning_first", schema: REASONING_FIRST },
          { key: "also_first", schema: REASONING_FIRST, subset: "b" },
          {
            key: "answer_first",
            schema: {
              type: "object",
              properties: { answer: {}, reasoning: {} },
            },
          },
          // One listed key: nothing to order, left out of the rate.
          {
            key: "one_key",
            schema: { type: "object", properties: { answer: {} } },
          },
        ],
      });
      assert.equal(suite.status, 201, JSON.stringify(suite.json));
      const target = await call("POST", "/api/targets", {
        name: "sorting stub",
        kind: "llamacpp",
        base_url: engine.url,
        mode: "json_schema",
      });
      assert.equal(target.status, 201, JSON.stringify(target.json));
      const run = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
      });
      assert.equal(run.status, 202, JSON.stringify(run.json));
      await finished(run.json.id, 30_000);

      const got = await call("GET", `/api/runs/${run.json.id}`);
      assert.equal(got.status, 200);
      assert.equal(got.json.status, "done");
      assert.equal(got.json.progress.by_outcome.valid, 4);
      const keyOrder = got.json.scores.key_order;
      assert.equal(keyOrder.n, 3);
      assert.equal(keyOrder.value, 1 / 3);
      assert.ok(
        keyOrder.low < keyOrder.value && keyOrder.value < keyOrder.high,
      );
      assert.equal(got.json.scores.by_subset.b.key_order.value, 0);

      const results = await call(
        "GET",
        `/api/runs/${run.json.id}/results?limit=100`,
      );
      const byKey = Object.fromEntries(
        results.json.items.map((r: { key: string; key_order: unknown }) => [
          r.key,
          r.key_order,
        ]),
      );
      assert.deepEqual(byKey, {
        reasoning_first: false,
        also_first: false,
        answer_first: true,
        one_key: null,
      });

      const page = await app.request(`/runs/${run.json.id}`, {
        headers: ADMIN_HEADERS,
      });
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(
        html,
        /Key order \(keys in the schema(&#39;|')s order\)<\/dt><dd>33\.3% \[/,
      );
      assert.match(html, /<th scope="col" class="num">Key order<\/th>/);
    } finally {
      await worker.stop();
      await engine.stop();
    }
  },
);
