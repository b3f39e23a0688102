// The fault injector through the whole server (HTTP API, worker, database):
// a run over several cases on a stub engine that fails, as llama.cpp does
// mid-generation, on one marked schema. Only the marked case ends
// engine_error (after two attempts), the others as they would have; the
// scores count it in E, and the run page and the CSV show it.
import assert from "node:assert/strict";
import {
  GRAMMAR_STACK_ERROR,
  startStubEngine,
} from "../../evaluators/targets/testing/stub_engine.ts";
import { computeScores } from "../../evaluators/metrics/scores.ts";
import { dbTest } from "../testing/database.ts";
import { ADMIN_HEADERS, testApp } from "../testing/api.ts";

const MARKER = "engine-fails-here";
const CASES = 5;
const FAILING = "c2";

dbTest(
  "engine_error: only the marked case, after two attempts, counted in E and shown apart",
  async (database) => {
    const engine = await startStubEngine({
      reply: "{}",
      fault: { marker: MARKER },
    });
    const { app, worker, call, finished } = testApp(database, {
      worker: { backoffMs: 10 },
    });
    worker.start();
    try {
      const suite = await call("POST", "/api/suites", {
        name: "faulty",
        cases: Array.from({ length: CASES }, (_, i) => ({
          key: `c${i}`,
          schema: `c${i}` === FAILING
            ? { type: "object", title: MARKER }
            : { type: "object" },
        })),
      });
      assert.equal(suite.status, 201, JSON.stringify(suite.json));
      const target = await call("POST", "/api/targets", {
        name: "stub",
        kind: "llamacpp",
        base_url: engine.url,
        mode: "json_schema",
      });
      assert.equal(target.status, 201, JSON.stringify(target.json));
      const run = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
        options: { concurrency: 2 },
      });
      assert.equal(run.status, 202, JSON.stringify(run.json));
      const done = await finished(run.json.id, 30_000);
      assert.equal(done.status, "done");
      const counts = done.progress.by_outcome as Record<string, number>;
      assert.equal(counts.engine_error, 1);
      assert.equal(counts.valid, CASES - 1);
      assert.equal(counts.infra_error, 0);
      // Two attempts on the marked schema, one on each of the others.
      assert.equal(engine.faults, 2);
      assert.equal(engine.generations, CASES + 1);

      const results = await call(
        "GET",
        `/api/runs/${run.json.id}/results?limit=100`,
      );
      const byKey = new Map(
        results.json.items.map((
          r: { key: string; outcome: string; error_message: string | null },
        ) => [r.key, r]),
      );
      const failed = byKey.get(FAILING) as {
        outcome: string;
        error_kind: string;
        error_message: string;
        attempts: number;
      };
      assert.equal(failed.outcome, "engine_error");
      assert.equal(failed.error_kind, "engine_error");
      assert.ok(failed.error_message.includes(GRAMMAR_STACK_ERROR));
      assert.match(failed.error_message, /\(after 2 tries\)$/);
      // The attempts column says what the message says.
      assert.equal(failed.attempts, 2);

      // In E: empirical coverage and compliance are 4/5, not the 4/4 they
      // would be with the case left out (as an infra_error was).
      const scores = done.scores;
      assert.equal(scores.empirical_coverage.n, CASES);
      assert.equal(scores.empirical_coverage.value, (CASES - 1) / CASES);
      assert.equal(scores.compliance.n, CASES);
      assert.equal(scores.declared_coverage.value, 1);
      const excluded = computeScores(
        Array.from(
          { length: CASES },
          (_, i) => ({
            outcome: i === 2 ? "infra_error" as const : "valid" as const,
          }),
        ),
      );
      assert.ok(
        scores.empirical_coverage.value < excluded.empirical_coverage.value!,
      );

      const page = await app.request(`/runs/${run.json.id}`, {
        headers: ADMIN_HEADERS,
      });
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(
        html,
        /<th scope="row">engine_error<\/th><td class="num">1<\/td>/,
      );
      assert.match(
        html,
        /<th scope="row">infra_error<\/th><td class="num">0<\/td>/,
      );

      const csv = await app.request(`/api/runs/${run.json.id}/results.csv`, {
        headers: ADMIN_HEADERS,
      });
      assert.equal(csv.status, 200);
      const lines = (await csv.text()).trim().split("\r\n");
      const header = lines[0].split(",");
      const at = header.indexOf("outcome");
      const row = lines.find((l) => l.split(",")[1] === FAILING);
      assert.ok(row, "the marked case is in the CSV");
      assert.equal(row.split(",")[at], "engine_error");
      assert.equal(
        lines.slice(1).filter((l) => l.split(",")[at] === "engine_error")
          .length,
        1,
      );
    } finally {
      await worker.stop();
      await engine.stop();
    }
  },
);
