// Issue 14, item 4, on the real llama-server: an outage of 20 s in the
// middle of a 100-case run (the engine stopped, then started again on the
// same port). The run is `waiting_for_engine` during it, no case ends
// `infra_error` because of it, and every case ends with exactly one result.
// Prints the outcome counts (the figure of the closing note).
import assert from "node:assert/strict";
import { startLlamaServer } from "../../evaluators/targets/testing/llama_server.ts";
import { testApp } from "../testing/api.ts";
import { llamaDbTest } from "../testing/engines.ts";

const CASES = 100;
const OUTAGE_MS = 20_000;

llamaDbTest(
  "engine outage: 20 s of llama-server down in the middle of a 100-case run costs no case",
  async (database) => {
    let server = await startLlamaServer({ slots: 2, ctxPerSlot: 1024 });
    const port = server.port;
    const { worker, call, finished } = testApp(database, {
      worker: { pollMs: 50, probeMs: 250, leaseMs: 30_000 },
    });
    worker.start();
    try {
      const suite = await call("POST", "/api/suites", {
        name: "outage",
        cases: Array.from({ length: CASES }, (_, i) => ({
          key: `c${i}`,
          schema: {
            type: "object",
            properties: { n: { const: i } },
            required: ["n"],
            additionalProperties: false,
          },
        })),
      });
      assert.equal(suite.status, 201, JSON.stringify(suite.json));
      const target = await call("POST", "/api/targets", {
        name: "tiny-restarted",
        kind: "llamacpp",
        base_url: server.url,
        mode: "json_schema",
        params: { max_tokens: 48 },
      });
      assert.equal(target.status, 201, JSON.stringify(target.json));
      const made = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
      });
      assert.equal(made.status, 202, JSON.stringify(made.json));
      const id = made.json.id;
      const report = async () => (await call("GET", `/api/runs/${id}`)).json;
      while ((await report()).progress.done < 20) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await server.stop();
      const downAt = Date.now();
      const during = new Set<string>();
      let doneDuring = Infinity;
      while (Date.now() - downAt < OUTAGE_MS) {
        const now = await report();
        if (Date.now() - downAt > 2000) {
          during.add(now.status);
          // Once the engine is known down, nothing more ends.
          doneDuring = Math.min(doneDuring, now.progress.done);
          assert.equal(
            now.progress.done,
            doneDuring,
            "a case ended while down",
          );
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      server = await startLlamaServer({ slots: 2, ctxPerSlot: 1024, port });
      const run = await finished(id, 240_000);
      const counts = Object.fromEntries(
        Object.entries(run.progress.by_outcome).filter(([, n]) => n),
      );
      console.log(
        `outage of ${OUTAGE_MS / 1000} s: ${JSON.stringify(counts)}; ` +
          `statuses during it: ${[...during].join(", ")}; ` +
          `waited ${run.engine_waited_ms} ms`,
      );
      assert.deepEqual([...during], ["waiting_for_engine"]);
      assert.equal(run.status, "done");
      assert.equal(counts.infra_error ?? 0, 0);
      assert.equal(counts.skipped ?? 0, 0);
      assert.equal(run.progress.done, CASES);
      assert.ok(run.engine_waited_ms >= OUTAGE_MS - 2000);
      const rows = new Set<string>();
      let cursor: string | null = null;
      do {
        const page = await call(
          "GET",
          `/api/runs/${id}/results?limit=500${
            cursor ? `&cursor=${cursor}` : ""
          }`,
        );
        for (const item of page.json.items) rows.add(item.key);
        cursor = page.json.next_cursor;
      } while (cursor);
      assert.equal(rows.size, CASES);
    } finally {
      await worker.stop();
      await server.stop();
    }
  },
);
