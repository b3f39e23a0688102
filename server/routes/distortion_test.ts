// Issue 20: a distortion run end to end on the stub engine. Created through
// POST /api/runs with options.distortion, it draws N constrained and N
// prompt_only samples per case (each its own request, with its own seed and
// log probabilities), ends with one result per case whose tokens count
// every sample, reports its figures in GET /api/runs/:id, shows them on the
// run's page and the distortion board, and never takes a row of the
// validity board. What the engine cannot honour is a 400 at creation.
import assert from "node:assert/strict";
import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";
import { STUB_LOGPROB } from "../../evaluators/targets/testing/stub_replies.ts";
import { dbTest } from "../testing/database.ts";
import { testApp } from "../testing/api.ts";
import { answerChecker } from "../testing/openapi.ts";

/** The stub's one reply: valid for every case, and markup if unescaped. */
const REPLY = JSON.stringify("<i>a</i>");

const SUITE = {
  name: "distortion-stub",
  cases: [0, 1, 2].map((i) => ({
    key: `enum-${i}`,
    schema: { enum: ["<i>a</i>", "b", `c${i}`] },
  })),
};

dbTest(
  "distortion run on the stub engine: samples, figures, pages, and never on the validity board",
  async (database) => {
    const engine = await startStubEngine({ reply: REPLY });
    const { app, worker, call, finished } = testApp(database, {
      worker: { pollMs: 50 },
    });
    worker.start();
    try {
      const suite = await call("POST", "/api/suites", SUITE);
      assert.equal(suite.status, 201, JSON.stringify(suite.json));
      const target = async (name: string, kind: string, mode: string) => {
        const made = await call("POST", "/api/targets", {
          name,
          kind,
          mode,
          ...(kind === "llamacpp"
            ? { base_url: engine.url }
            : { api_key_env: "STUB_NONE_API_KEY", model: "claude-x" }),
        });
        assert.equal(made.status, 201, JSON.stringify(made.json));
        return made.json.id as string;
      };
      const llama = await target("stub-llama", "llamacpp", "json_schema");
      const post = (target_id: string, options: Record<string, unknown>) =>
        call("POST", "/api/runs", {
          suite_id: suite.json.id,
          target_id,
          public: true,
          options,
        });

      // What the engine cannot honour is refused, naming the option.
      const free = await target("stub-free", "llamacpp", "prompt_only");
      const refusals: [string, Record<string, unknown>, string][] = [
        [free, { distortion: {} }, "/options/distortion"],
        [llama, { distortion: {}, temperature: 0.5 }, "/options/temperature"],
        [
          llama,
          { distortion: {}, quality_pair: true },
          "/options/quality_pair",
        ],
        [llama, { distortion: { samples: 0 } }, "/options/distortion/samples"],
      ];
      const anthropic = await target("stub-claude", "anthropic", "json_schema");
      refusals.push([anthropic, { distortion: {} }, "/options/distortion"]);
      for (const [id, options, pointer] of refusals) {
        const refused = await post(id, options);
        assert.equal(refused.status, 400, JSON.stringify(refused.json));
        assert.equal(refused.json.error.path, pointer);
      }
      assert.equal(engine.generations, 0, "a refused run asks nothing");

      // The dry run counts every sample of both arms.
      const plain = await call("POST", "/api/runs?dry_run=1", {
        suite_id: suite.json.id,
        target_id: llama,
      });
      const dry = await call("POST", "/api/runs?dry_run=1", {
        suite_id: suite.json.id,
        target_id: llama,
        options: { distortion: { samples: 4 } },
      });
      assert.equal(dry.status, 200, JSON.stringify(dry.json));
      assert.equal(dry.json.estimate.cases, 3);
      assert.equal(
        dry.json.estimate.prompt_tokens,
        8 * plain.json.estimate.prompt_tokens,
      );

      // A plain run stands on the board; the distortion run never does.
      const normal = await post(llama, {});
      await finished(normal.json.id);
      const made = await post(llama, { distortion: { samples: 4 }, seed: 9 });
      assert.equal(made.status, 202, JSON.stringify(made.json));
      const run = await finished(made.json.id);
      assert.equal(run.status, "done");
      assert.equal(run.options.distortion.samples, 4);
      assert.deepEqual(run.options.distortion.sampling, {
        temperature: 1,
        top_k: 0,
        top_p: 1,
        min_p: 0,
        repeat_penalty: 1,
        presence_penalty: 0,
        frequency_penalty: 0,
      });
      assert.equal(run.options.temperature, 1);
      assert.equal(run.partial, true);
      assert.match(run.partial_reason, /distortion run/);
      assert.equal(engine.generations, 3 + 3 * 8, "N samples in each arm");

      // One result per case, its tokens those of all 8 samples.
      const results = (await call("GET", `/api/runs/${run.id}/results`)).json
        .items as {
          outcome: string;
          completion_tokens: number;
          distortion: { arm: string; seed: number; text: string }[];
        }[];
      assert.equal(results.length, 3);
      for (const result of results) {
        assert.equal(result.outcome, "valid");
        assert.equal(result.completion_tokens, 8);
        const samples = result.distortion;
        assert.deepEqual(
          samples.map((s) => s.arm),
          [...Array(4).fill("constrained"), ...Array(4).fill("unconstrained")],
        );
        assert.equal(new Set(samples.map((s) => s.seed)).size, 8);
        assert.ok(samples.every((s) => s.text === REPLY));
      }

      // The figures: every sample valid with the same log probability.
      const d = run.distortion;
      assert.equal(d.logprobs_pre_constraint, true);
      assert.equal(d.cases.length, 3);
      assert.equal(d.run.cases, 3);
      assert.equal(d.run.z_zero_cases, 0);
      assert.equal(d.run.z.value, 1);
      for (const line of d.cases) {
        assert.equal(line.n_constrained, 4);
        assert.equal(line.n_unconstrained, 4);
        assert.equal(line.gap.value, 0, "both arms: log p " + STUB_LOGPROB);
        assert.ok(Number.isFinite(line.divergence.value));
      }
      assert.equal(d.run.gap.cases, 3);
      assert.equal(d.run.divergence.cases, 3);

      const rejudge = await call("POST", `/api/runs/${run.id}/rejudge`);
      assert.equal(rejudge.status, 409, "its samples are not re-judged");

      const board = (await call("GET", "/api/leaderboard.json")).json.items as {
        run_id: string;
      }[];
      assert.deepEqual(board.map((i) => i.run_id), [normal.json.id]);

      // The report page: the section, the samples escaped.
      const page = await (await app.request(`/runs/${run.id}`)).text();
      assert.match(page, /<section id="distortion">/);
      assert.ok(page.includes("&lt;i&gt;a&lt;/i&gt;"), "the samples are shown");
      assert.ok(!page.includes("<i>a</i>"), "and escaped");

      // The distortion board: one row, the run's figures.
      const rows = (await call(
        "GET",
        `/api/distortion.json?suite=${suite.json.id}`,
      )).json.items as { run_id: string; samples: number; z: unknown }[];
      assert.deepEqual(rows.map((r) => [r.run_id, r.samples]), [[run.id, 4]]);
      assert.deepEqual(rows[0].z, d.run.z);
      const html = await (await app.request(
        `/distortion?suite=${suite.json.id}`,
      )).text();
      assert.ok(html.includes("stub-llama"));
      assert.ok(html.includes(`/runs/${run.id}#distortion`));

      // An OpenAI-style kind: log probabilities of unknown provenance, so
      // no gap, but Ẑ and the divergence.
      const compatible = await call("POST", "/api/targets", {
        name: "stub-compatible",
        kind: "openai-compatible",
        base_url: `${engine.url}/v1`,
        model: "stub.gguf",
        mode: "json_schema",
      });
      const other = await post(compatible.json.id, {
        distortion: { samples: 2 },
      });
      assert.equal(other.status, 202, JSON.stringify(other.json));
      const second = (await finished(other.json.id)).distortion;
      assert.equal(second.logprobs_pre_constraint, false);
      assert.equal(second.run.gap, null);
      assert.equal(second.run.z.value, 1);
      assert.equal(second.run.divergence.cases, 3);
      const bothAnswer = await call(
        "GET",
        `/api/distortion.json?suite=${suite.json.id}`,
      );
      const both = bothAnswer.json.items as {
        target: string;
        samples: number;
      }[];
      assert.deepEqual(both.map((r) => [r.target, r.samples]), [
        ["stub-compatible", 2],
        ["stub-llama", 4],
      ]);

      // The answers are those the OpenAPI document describes.
      const check = answerChecker();
      const answers: [string, string, number, unknown][] = [
        ["/api/runs/{id}", `/api/runs/${run.id}`, 200, run],
        ["/api/runs/{id}", `/api/runs/${other.json.id}`, 200, null],
        ["/api/runs/{id}/results", `/api/runs/${run.id}/results`, 200, null],
        ["/api/distortion.json", "", 200, bothAnswer.json],
      ];
      for (const [path, url, status, known] of answers) {
        const body = known ?? (await call("GET", url)).json;
        assert.deepEqual(check("get", path, status, body), [], path);
      }
    } finally {
      await worker.stop();
      await engine.stop();
    }
  },
);
