import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { startLlamaServer } from "../../evaluators/targets/testing/llama_server.ts";
import { llamaTest } from "../../evaluators/targets/testing/engines.ts";
import { cli, startServer, withDataDir } from "./cli_testing.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/** 2 suites × 2 targets (json_schema, prompt_only) on the engine at `url`. */
function config(url: string, thresholds: Record<string, number>) {
  return {
    suites: [{ name: "smoke" }, { import: "quality", per_family: 1 }],
    targets: [
      {
        name: "tiny schema",
        kind: "llamacpp",
        base_url: url,
        mode: "json_schema",
      },
      {
        name: "tiny prompt",
        kind: "llamacpp",
        base_url: url,
        mode: "prompt_only",
      },
    ],
    options: { limit: 4, max_tokens: 64 },
    thresholds,
  };
}

interface Output {
  matrix_id: string;
  exit_code: number;
  runs: {
    cell: string;
    run_id: string;
    status: string;
    report_url: string;
    made_now: boolean;
    public: boolean;
    progress: { total: number; done: number };
    thresholds: { name: string; ok: boolean }[];
  }[];
}

/** The rows of the printed table, split into cells. */
function tableRows(stdout: string): string[][] {
  return stdout.split("\n").filter((l) => /^\d+ {2}/.test(l)).map((l) =>
    l.split(/\s{2,}/)
  );
}

llamaTest({
  name:
    "deno task run --config: 2 suites x 2 targets on a real llama-server, four report URLs, exit by threshold",
  async fn() {
    const engine = await startLlamaServer({ slots: 2, ctxPerSlot: 4096 });
    try {
      await withDataDir(async (env, dir) => {
        // The server's own token file, as a newcomer has it.
        for (const name of ["EVAL_TOKEN", "ADMIN_TOKEN"]) delete env[name];
        const low = join(dir, "low.json");
        const high = join(dir, "high.json");
        // The tiny random model validates almost nothing: coverage 0 holds,
        // 0.99 does not.
        await Deno.writeTextFile(
          low,
          JSON.stringify(
            config(engine.url, {
              min_empirical_coverage: 0,
              max_infra_error_rate: 0.5,
            }),
          ),
        );
        await Deno.writeTextFile(
          high,
          JSON.stringify(config(engine.url, { min_empirical_coverage: 0.99 })),
        );
        const output = join(dir, "out.json");
        const first = await cli(["--config", low, "--output", output], env);
        assert.equal(first.code, 0, `${first.stderr}\n${first.stdout}`);
        const rows = tableRows(first.stdout);
        assert.equal(rows.length, 4, first.stdout);
        const written: Output = JSON.parse(await Deno.readTextFile(output));
        assert.equal(written.exit_code, 0);
        assert.deepEqual(written.runs.map((r) => r.cell), [
          "smoke | tiny schema",
          "smoke | tiny prompt",
          "quality | tiny schema",
          "quality | tiny prompt",
        ]);
        const base = `http://127.0.0.1:${env.PORT}`;
        for (const [i, run] of written.runs.entries()) {
          assert.equal(run.status, "done", JSON.stringify(run));
          assert.equal(run.public, false);
          assert.equal(
            run.report_url.split("?share=")[0],
            `${base}/runs/${run.run_id}`,
          );
          assert.match(run.report_url, /\?share=shr_/);
          assert.ok(rows[i].includes(run.report_url), rows[i].join(" | "));
          assert.deepEqual(run.thresholds.map((t) => t.ok), [true, true]);
        }

        // The embedded runs' URLs are where the server serves them, once
        // it runs on this database: private, readable with the share link.
        const server = await startServer(env, Number(env.PORT));
        try {
          for (const run of written.runs) {
            const res = await fetch(run.report_url);
            assert.equal(res.status, 200, run.report_url);
            assert.match(await res.text(), new RegExp(run.run_id));
            const bare = await fetch(`${base}/runs/${run.run_id}`);
            await bare.body?.cancel();
            assert.equal(bare.status, 404, "private without its share link");
          }

          // Through the server now holding the database: a threshold above
          // what the tiny model reaches fails, exit 1; the URLs answer.
          const second = await cli(["--config", high, "--output", output], env);
          assert.equal(second.code, 1, `${second.stderr}\n${second.stdout}`);
          assert.match(
            second.stderr,
            /using the server at http:\/\/127\.0\.0\.1:/,
          );
          const failed: Output = JSON.parse(await Deno.readTextFile(output));
          assert.equal(failed.exit_code, 1);
          assert.equal(failed.runs.length, 4);
          assert.notEqual(failed.matrix_id, written.matrix_id);
          for (const run of failed.runs) {
            assert.equal(run.made_now, true, "each call runs afresh");
            assert.ok(!written.runs.some((r) => r.run_id === run.run_id));
            assert.deepEqual(run.thresholds.map((t) => t.ok), [false]);
            const res = await fetch(run.report_url);
            await res.body?.cancel();
            assert.equal(res.status, 200, run.report_url);
          }
          assert.match(
            second.stdout,
            /min_empirical_coverage 0 < 0\.99 FAILED/,
          );
        } finally {
          await server.stop();
        }
      });
    } finally {
      await engine.stop();
    }
  },
});

/** Starts `deno task run` with `args`; SIGINT once its stderr matches `until`. */
async function interrupted(
  args: string[],
  env: Record<string, string>,
  until: RegExp,
): Promise<{ code: number; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/run/main.ts", ...args],
    cwd: REPO,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const decoder = new TextDecoder();
  let stderr = "";
  let sent = false;
  for await (const chunk of child.stderr) {
    stderr += decoder.decode(chunk);
    if (!sent && until.test(stderr)) {
      child.kill("SIGINT");
      sent = true;
    }
  }
  return { code: (await child.status).code, stderr };
}

llamaTest({
  name:
    "deno task run --config: interrupted, then --resume'd, it does not run finished cells again",
  async fn() {
    const engine = await startLlamaServer({ slots: 2, ctxPerSlot: 4096 });
    try {
      await withDataDir(async (env, dir) => {
        const path = join(dir, "evalserver.json");
        await Deno.writeTextFile(
          path,
          JSON.stringify({
            ...config(engine.url, {}),
            options: { limit: 20, max_tokens: 128 },
          }),
        );
        // Ctrl-C once the second cell's progress shows (its watch is on).
        const first = await interrupted(
          ["--config", path],
          env,
          /\[2\/4\] [^\n]*: run [0-9a-f-]{36}[^\n]*\n\s*\d+\/20 /,
        );
        assert.equal(first.code, 130, first.stderr);
        const matrixId = first.stderr.match(/^matrix ([0-9a-f-]{36}):/m)?.[1];
        assert.ok(matrixId, first.stderr);
        assert.match(first.stderr, new RegExp(`--resume ${matrixId}`));
        const made = [
          ...first.stderr.matchAll(/\[(\d)\/4\] [^\n]*: run ([0-9a-f-]{36})/g),
        ]
          .map((m) => ({ cell: Number(m[1]), id: m[2] }));
        assert.deepEqual(made.map((m) => m.cell), [1, 2], first.stderr);

        assert.match(
          first.stderr,
          /interrupted: resume with deno task run --config /,
        );

        const output = join(dir, "out.json");
        const resumed = await cli(
          ["--config", path, "--resume", matrixId, "--output", output],
          env,
        );
        assert.equal(resumed.code, 0, `${resumed.stderr}\n${resumed.stdout}`);
        assert.ok(
          resumed.stderr.includes(
            `[1/4] smoke v1 on "tiny schema": run ${
              made[0].id
            } already ended done, not run again`,
          ),
          resumed.stderr,
        );
        // The interrupted cell goes on (or, had it ended before the
        // signal was seen, is read back): either way the same run.
        const second = `[2/4] smoke v1 on "tiny prompt": `;
        assert.ok(
          resumed.stderr.includes(`${second}resuming run ${made[1].id}`) ||
            resumed.stderr.includes(`${second}run ${made[1].id} already ended`),
          resumed.stderr,
        );
        const json: Output = JSON.parse(await Deno.readTextFile(output));
        assert.equal(json.matrix_id, matrixId);
        // Each case of the interrupted run has exactly one result.
        assert.deepEqual(json.runs[1].progress, {
          ...json.runs[1].progress,
          total: 20,
          done: 20,
        });
        assert.deepEqual(
          json.runs.map((r) => r.made_now),
          [false, false, true, true],
        );
        // The interrupted cell is the same run, finished, not a new one.
        assert.deepEqual(
          json.runs.slice(0, 2).map((r) => r.run_id),
          made.map((m) => m.id),
        );
        assert.ok(json.runs.every((r) => r.status === "done"));

        // Resumed again: every cell has ended, nothing runs.
        const again = await cli(
          ["--config", path, "--resume", matrixId, "--output", output],
          env,
        );
        assert.equal(again.code, 0, again.stderr);
        assert.equal(
          (again.stderr.match(/already ended done, not run again/g) ?? [])
            .length,
          4,
          again.stderr,
        );
        const last: Output = JSON.parse(await Deno.readTextFile(output));
        assert.deepEqual(
          last.runs.map((r) => r.run_id),
          json.runs.map((r) => r.run_id),
        );
      });
    } finally {
      await engine.stop();
    }
  },
});
