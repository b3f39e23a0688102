import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { startLlamaServer } from "../../evaluators/targets/testing/llama_server.ts";
import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";
import { openServices } from "../../server/boot.ts";
import { openDatabase } from "../../server/db/client.ts";
import { adminCaller, testEnv } from "../../server/testing/api.ts";
import { llamaTest } from "../../evaluators/targets/testing/engines.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/** A port nobody listens on, so the CLI's health probe finds no server. */
function unusedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * The CLI's environment: a fresh PGlite directory, no DATABASE_URL, and a
 * PORT where no server answers (never the default 8000).
 */
function cliEnv(dataDir: string): Record<string, string> {
  const env = Deno.env.toObject();
  for (
    const name of [
      "DATABASE_URL",
      "DATA_DIR",
      "PORT",
      "LOAD_BUILTIN_SUITES",
      "RUN_WORKER",
      "WORKER_ID",
    ]
  ) delete env[name];
  return {
    ...env,
    DATA_DIR: dataDir,
    PORT: String(unusedPort()),
    LOAD_BUILTIN_SUITES: "true",
    NO_COLOR: "1",
  };
}

async function cli(args: string[], env: Record<string, string>) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/run/main.ts", ...args],
    cwd: REPO,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

async function withDataDir(
  fn: (env: Record<string, string>, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "run_cli_" });
  try {
    await fn(cliEnv(dir), dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

Deno.test("deno task run: usage, bad arguments and an unknown suite exit 2", async () => {
  await withDataDir(async (env) => {
    const help = await cli(["--help"], env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: deno task run --suite NAME\|ID/);

    const badLimit = await cli(
      ["--suite", "smoke", "--target", "x", "--limit", "ten"],
      env,
    );
    assert.equal(badLimit.code, 2);
    assert.match(badLimit.stderr, /--limit must be a whole number/);

    const badMode = await cli(
      ["--suite", "smoke", "--target", "http://127.0.0.1:9", "--mode", "free"],
      env,
    );
    assert.equal(badMode.code, 2);
    assert.match(badMode.stderr, /--mode must be one of json_schema/);

    const missing = await cli(["--suite", "smoke"], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--target is required/);

    // Opens the fresh database: the built-in suites are loaded, so the
    // error can name them.
    const unknown = await cli(
      ["--suite", "no-such-suite", "--target", "http://127.0.0.1:9"],
      env,
    );
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.match(unknown.stderr, /using the embedded runner on PGlite/);
    assert.match(
      unknown.stderr,
      /no suite with the name or id "no-such-suite" \(suites: smoke\)/,
    );
  });
});

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

Deno.test("deno task run: an over-long prompt template is refused exactly as POST /api/runs refuses it", async () => {
  const engine = await startStubEngine();
  try {
    // The route's answer, on a server with the same limit.
    const services = await openServices(testEnv({ MAX_PROMPT_BYTES: "256" }), {
      database: { memory: true },
      worker: false,
      scheduler: false,
      log: () => {},
    });
    let refusal: { code: string; message: string };
    try {
      const call = adminCaller(services.app);
      const suite = await call("POST", "/api/suites", {
        name: "prompt-limit",
        cases: [{ key: "one", schema: { type: "object" } }],
      });
      const target = await call("POST", "/api/targets", {
        name: "stub",
        kind: "llamacpp",
        base_url: engine.url,
        mode: "json_schema",
      });
      const run = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
      });
      assert.equal(run.status, 400);
      refusal = run.json.error;
      assert.equal(refusal.code, "too_large");
    } finally {
      await services.close();
    }
    // The CLI on its embedded database, with the same limit.
    await withDataDir(async (env, dir) => {
      const run = await cli(
        ["--suite", "smoke", "--target", engine.url, "--limit", "1"],
        { ...env, MAX_PROMPT_BYTES: "256" },
      );
      assert.equal(run.code, 2, `${run.stderr}\n${run.stdout}`);
      assert.ok(run.stderr.includes(refusal.message), run.stderr);
      const database = await openDatabase({ dataDir: dir });
      try {
        const [{ n }] = await database.rows<{ n: number }>(
          sql`select count(*)::int as n from runs`,
        );
        assert.equal(n, 0, "no run was stored");
      } finally {
        await database.close();
      }
    });
  } finally {
    await engine.stop();
  }
});
