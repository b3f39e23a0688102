// The full measurement against a real llama-server: a quality pair
// (constrained and prompt_only), the keyword breakdown, a paired compare of
// two runs, and the tie-aware ranking.
import assert from "node:assert/strict";
import { qualitySuite } from "../../datasets/quality/suite.ts";
import { startLlamaServer } from "../../evaluators/targets/testing/llama_server.ts";
import { BUILTIN_DIR, readBuiltinSuite } from "../suites/builtin.ts";
import { llamaDbTest } from "../testing/engines.ts";
import { testApp } from "../testing/api.ts";

llamaDbTest(
  "quality pair, keyword breakdown, compare and ranking on a real llama-server",
  async (database) => {
    const server = await startLlamaServer({ slots: 4, ctxPerSlot: 4096 });
    const { worker, call, finished } = testApp(database);
    const done = (id: string) => finished(id, 240_000);
    worker.start();
    try {
      const target = async (name: string, mode: string) =>
        (await call("POST", "/api/targets", {
          name,
          kind: "llamacpp",
          base_url: server.url,
          mode,
          params: { max_tokens: 160 },
        })).json.id as string;
      const constrained = await target("tiny json_schema", "json_schema");
      const free = await target("tiny prompt_only", "prompt_only");

      // Quality: each task twice, constrained and prompt_only, paired.
      const quality = qualitySuite(3, 3);
      const qSuite = await call("POST", "/api/suites", quality);
      assert.equal(qSuite.status, 201, JSON.stringify(qSuite.json));
      const q = await call("POST", "/api/runs", {
        suite_id: qSuite.json.id,
        target_id: constrained,
        options: { quality_pair: true },
      });
      assert.equal(q.status, 202);
      assert.ok(q.json.pair_run_id);
      const qDone = await done(q.json.id);
      await done(q.json.pair_run_id);
      const report = (await call("GET", `/api/runs/${q.json.id}`)).json;
      assert.equal(report.quality.pairs, quality.cases.length);
      assert.equal(report.quality.constrained.n, quality.cases.length);
      assert.equal(report.quality.prompt_only.n, quality.cases.length);
      assert.equal(typeof report.quality.mcnemar_p, "number");
      assert.ok(
        report.quality.difference.low <= report.quality.difference.value,
      );
      assert.ok(
        report.quality.difference.value <= report.quality.difference.high,
      );
      assert.equal(report.scores.accuracy.n, quality.cases.length);
      assert.equal(qDone.options.pair_role, "constrained");
      const pairRun =
        (await call("GET", `/api/runs/${q.json.pair_run_id}`)).json;
      assert.equal(pairRun.options.mode, "prompt_only");
      assert.equal(
        pairRun.quality.pairs,
        quality.cases.length,
        "the pair reports the same comparison",
      );
      const qResults =
        (await call("GET", `/api/runs/${q.json.id}/results?limit=100`)).json
          .items;
      assert.ok(
        qResults.every((r: { correct: boolean | null }) =>
          typeof r.correct === "boolean"
        ),
      );

      // Coverage of the smoke suite in two modes, then a paired compare.
      const smoke = await call(
        "POST",
        "/api/suites",
        await readBuiltinSuite(`${BUILTIN_DIR}/smoke`),
      );
      const a = await call("POST", "/api/runs", {
        suite_id: smoke.json.id,
        target_id: constrained,
        public: true, // a suite's ranking shows public runs only
      });
      const b = await call("POST", "/api/runs", {
        suite_id: smoke.json.id,
        target_id: free,
        public: true, // a suite's ranking shows public runs only
      });
      const runA = await done(a.json.id);
      await done(b.json.id);
      assert.ok(runA.scores.by_keyword.type.cases >= 30);
      assert.ok(runA.scores.by_keyword.uniqueItems.cases >= 1);
      assert.ok(Array.isArray(runA.scores.top_failing_keywords));
      assert.ok(runA.scores.throughput.cases_per_s > 0);
      assert.ok(runA.scores.latency_ms.p99 >= runA.scores.latency_ms.p50);

      const compare = await call(
        "GET",
        `/api/compare?a=${a.json.id}&b=${b.json.id}`,
      );
      assert.equal(compare.status, 200);
      const paired = compare.json.paired;
      assert.equal(
        paired.both + paired.only_a + paired.only_b + paired.neither,
        paired.n,
      );
      assert.equal(paired.flipped_to_a.length, paired.only_a);
      assert.equal(paired.flipped_to_b.length, paired.only_b);
      assert.ok(paired.mcnemar_p > 0 && paired.mcnemar_p <= 1);
      assert.ok("difference" in compare.json.scores.empirical_coverage);
      const other = await call(
        "GET",
        `/api/compare?a=${a.json.id}&b=${q.json.id}`,
      );
      assert.equal(other.status, 400, "different suites cannot be paired");

      const ranking = await call("GET", `/api/suites/${smoke.json.id}/ranking`);
      assert.equal(ranking.json.items.length, 2);
      assert.ok(
        ranking.json.items.every((i: { rank: number }) =>
          i.rank >= 1 && i.rank <= 2
        ),
      );
      console.log(
        `quality: constrained ${report.quality.constrained.value} vs prompt_only ${report.quality.prompt_only.value}, ` +
          `p ${report.quality.mcnemar_p}; compare json_schema vs prompt_only on smoke: ` +
          `${
            JSON.stringify({
              both: paired.both,
              only_a: paired.only_a,
              only_b: paired.only_b,
              neither: paired.neither,
            })
          } ` +
          `p ${paired.mcnemar_p}`,
      );
    } finally {
      await worker.stop();
      await server.stop();
    }
  },
);
