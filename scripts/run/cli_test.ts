import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";
import { openServices } from "../../server/boot.ts";
import { openDatabase } from "../../server/db/client.ts";
import { adminCaller, testEnv } from "../../server/testing/api.ts";
import { cli, withDataDir } from "./cli_testing.ts";

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
