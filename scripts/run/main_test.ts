import assert from "node:assert/strict";
import { startLlamaServer } from "../../evaluators/targets/testing/llama_server.ts";
import { llamaTest } from "../../evaluators/targets/testing/engines.ts";
import { join } from "node:path";
import { cli, cliEnv, startServer, withDataDir } from "./cli_testing.ts";

llamaTest({
  name:
    "deno task run: the smoke suite on a real llama-server, embedded PGlite",
  async fn() {
    const server = await startLlamaServer({ slots: 2, ctxPerSlot: 4096 });
    try {
      await withDataDir(async (env, dir) => {
        const args = [
          "--suite",
          "smoke",
          "--target",
          server.url,
          "--limit",
          "5",
          "--max-tokens",
          "128",
        ];
        const run = await cli(args, env);
        assert.equal(run.code, 0, `${run.stderr}\n${run.stdout}`);
        assert.ok(
          run.stderr.includes(`using the embedded runner on PGlite in ${dir}`),
          run.stderr,
        );
        assert.match(
          run.stderr,
          /created target "llamacpp http:\/\/127\.0\.0\.1:\d+ json_schema"/,
        );
        assert.match(run.stderr, /\s5\/5 \[#{20}\] 100% .* done /);
        // Where the server will serve it, with its share link (private).
        assert.match(
          run.stderr,
          new RegExp(
            `report: http://127\\.0\\.0\\.1:${env.PORT}/runs/[0-9a-f-]{36}\\?share=shr_\\S+ \\(served there once deno task start runs on this database\\)`,
          ),
        );

        const lines = run.stdout.split("\n");
        assert.ok(lines.includes("suite   smoke v1"), run.stdout);
        assert.ok(
          lines.some((l) =>
            /^status {2}done, 5\/5 cases in \d+\.\d s$/.test(l)
          ),
          run.stdout,
        );
        const all = lines.find((l) => l.startsWith("all "));
        assert.ok(all, run.stdout);
        const cells = all.split(/\s{2,}/);
        assert.equal(cells[1], "5", all);
        assert.match(cells[3], /^\d\.\d\d \[\d\.\d\d, \d\.\d\d\]$/, all);
        const outcomes = lines.find((l) => l.startsWith("outcomes: "));
        assert.ok(outcomes, run.stdout);
        const counts = [...outcomes.matchAll(/[a-z_]+ (\d+)/g)].map((m) =>
          Number(m[1])
        );
        assert.equal(counts.reduce((a, b) => a + b, 0), 5, outcomes);
        assert.doesNotMatch(outcomes, /pending|infra_error/);
        const id = lines.find((l) => l.startsWith("run id: "))?.slice(8);
        assert.match(id ?? "", /^[0-9a-f-]{36}$/);

        // Again on the same database: the ad-hoc target is reused, and
        // --json prints the run as GET /api/runs/:id gives it.
        const again = await cli([...args, "--json"], env);
        assert.equal(again.code, 0, again.stderr);
        assert.doesNotMatch(again.stderr, /created target/);
        const json = JSON.parse(again.stdout);
        assert.notEqual(json.id, id);
        assert.equal(json.status, "done");
        assert.equal(json.trigger, "cli");
        assert.equal(json.options.max_tokens, 128);
        assert.equal(json.progress.total, 5);
        assert.equal(json.progress.done, 5);
        assert.equal(json.engine.version, server.buildInfo);
        assert.equal(json.engine.slots, 2);
      });
    } finally {
      await server.stop();
    }
  },
});

llamaTest({
  name:
    "deno task run beside a server on another port: the run is the server's at once",
  async fn() {
    const engine = await startLlamaServer({ slots: 2, ctxPerSlot: 4096 });
    try {
      await withDataDir(async (_, dir) => {
        const env = cliEnv(dir);
        for (const name of ["EVAL_TOKEN", "ADMIN_TOKEN"]) delete env[name];
        const server = await startServer(env);
        try {
          const run = await cli([
            "--suite",
            "smoke",
            "--target",
            engine.url,
            "--limit",
            "3",
            "--max-tokens",
            "128",
            "--json",
          ], env);
          assert.equal(run.code, 0, `${run.stderr}\n${run.stdout}`);
          assert.ok(
            run.stderr.includes(
              `using the server at ${server.url} (it holds ${dir}; token from ${
                join(dir, "admin.token")
              })`,
            ),
            run.stderr,
          );
          const json = JSON.parse(run.stdout);
          // The report URL, with the share link of a private run, answers.
          const url = run.stderr.match(/^report: (\S+)$/m)?.[1] ?? "";
          assert.ok(
            url.startsWith(`${server.url}/runs/${json.id}?share=shr_`),
            run.stderr,
          );
          const page = await fetch(url);
          await page.body?.cancel();
          assert.equal(page.status, 200);
          const admin = (await Deno.readTextFile(join(dir, "admin.token")))
            .trim();
          const res = await fetch(`${server.url}/api/runs/${json.id}`, {
            headers: { authorization: `Bearer ${admin}` },
          });
          assert.equal(res.status, 200);
          const seen = await res.json();
          assert.equal(seen.status, "done");
          assert.equal(seen.progress.done, 3);
        } finally {
          await server.stop();
        }
      });
    } finally {
      await engine.stop();
    }
  },
});
