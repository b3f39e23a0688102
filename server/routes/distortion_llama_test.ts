// Issue 20: a distortion run of the built-in `distortion/basic` suite on a
// real llama-server serving the closed-form bigram model, through the API:
// every case ends with exactly one result, with its 2 N samples, and Ẑ, the
// likelihood gap and the value divergence are finite on most cases and for
// the run; the run stands on the distortion board and not on the validity
// board.
import assert from "node:assert/strict";
import { startLlamaServer } from "../../evaluators/targets/testing/llama_server.ts";
import { BUILTIN_DIR, readBuiltinSuite } from "../suites/builtin.ts";
import { llamaDbTest } from "../testing/engines.ts";
import { testApp } from "../testing/api.ts";

// Ẑ is about 0.06 on this suite for the bigram model (whatever the prompt:
// its next token depends on the last one only), so N = 16 would leave most
// cases without a valid unconstrained sample.
const N = 64;

interface CaseLine {
  key: string;
  z: { value: number };
  z_zero: boolean;
  gap: { value: number } | null;
  divergence: { value: number; support: number } | null;
}

llamaDbTest(
  "distortion run of distortion/basic on the bigram model: finite figures, one result per case",
  async (database) => {
    const server = await startLlamaServer({
      slots: 4,
      ctxPerSlot: 2048,
      model: "bigram",
    });
    const { app, worker, call, finished } = testApp(database);
    worker.start();
    try {
      const suite = await call(
        "POST",
        "/api/suites",
        await readBuiltinSuite(`${BUILTIN_DIR}/distortion_basic`),
      );
      assert.equal(suite.status, 201, JSON.stringify(suite.json));
      const cases = suite.json.case_count as number;
      assert.ok(cases >= 5, `${cases} cases`);
      const target = await call("POST", "/api/targets", {
        name: "bigram",
        kind: "llamacpp",
        base_url: server.url,
        mode: "json_schema",
        settings: { endpoint: "completion" },
        params: { max_tokens: 64 },
      });
      assert.equal(target.status, 201, JSON.stringify(target.json));
      const made = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
        public: true,
        options: { distortion: { samples: N }, seed: 3 },
      });
      assert.equal(made.status, 202, JSON.stringify(made.json));
      const run = await finished(made.json.id, 600_000);
      assert.equal(run.status, "done", run.error);

      const results = (await call(
        "GET",
        `/api/runs/${run.id}/results?limit=500`,
      )).json.items as { key: string; outcome: string }[];
      assert.equal(results.length, cases, "one result per case");
      assert.equal(new Set(results.map((r) => r.key)).size, cases);

      const d = run.distortion;
      const lines = d.cases as CaseLine[];
      assert.equal(lines.length, cases, "every case has its samples");
      const most = Math.ceil(cases / 2);
      assert.ok(lines.every((c) => Number.isFinite(c.z.value)));
      const withGap = lines.filter((c) =>
        c.gap && Number.isFinite(c.gap.value)
      );
      const withDivergence = lines.filter((c) =>
        c.divergence && Number.isFinite(c.divergence.value)
      );
      const zZero = lines.filter((c) => c.z_zero).map((c) => c.key);
      assert.ok(
        withGap.length >= most,
        `gap on ${withGap.length} of ${cases}; Ẑ = 0 on ${zZero}`,
      );
      assert.ok(
        withDivergence.length >= most,
        `divergence on ${withDivergence.length} of ${cases}`,
      );
      for (const figure of [d.run.z, d.run.gap, d.run.divergence]) {
        assert.ok(figure && Number.isFinite(figure.value));
        assert.ok(figure.lower <= figure.value && figure.value <= figure.upper);
      }
      console.log(
        `distortion/basic, N=${N}: Ẑ ${d.run.z.value.toFixed(3)} [${
          d.run.z.lower.toFixed(3)
        }, ${d.run.z.upper.toFixed(3)}], gap ${d.run.gap.value.toFixed(3)} [${
          d.run.gap.lower.toFixed(3)
        }, ${d.run.gap.upper.toFixed(3)}], divergence ${
          d.run.divergence.value.toFixed(3)
        } [${d.run.divergence.lower.toFixed(3)}, ${
          d.run.divergence.upper.toFixed(3)
        }]`,
      );

      const board = (await call("GET", "/api/leaderboard.json")).json.items;
      assert.equal(board.length, 0, "never on the validity board");
      const rows = (await call(
        "GET",
        `/api/distortion.json?suite=${suite.json.id}`,
      )).json.items as { run_id: string }[];
      assert.deepEqual(rows.map((r) => r.run_id), [run.id]);
      const page = await (await app.request(`/runs/${run.id}`)).text();
      assert.match(page, /<section id="distortion">/);
    } finally {
      await worker.stop();
      await server.stop();
    }
  },
);
