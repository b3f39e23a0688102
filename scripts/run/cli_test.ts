import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";
import {
  jsonError,
  type ProviderStub,
  startProviderStub,
} from "../../evaluators/targets/testing/provider_stub.ts";
import { DATA_ONLY, openServices, serve } from "../../server/boot.ts";
import { openDatabase } from "../../server/db/client.ts";
import {
  adminCaller,
  type Caller,
  TEST_ADMIN_TOKEN,
  testEnv,
} from "../../server/testing/api.ts";
import { cli, unusedPort, withDataDir } from "./cli_testing.ts";

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
      /no suite with the name or id "no-such-suite" \(suites: [^)]*\bsmoke\b[^)]*\)/,
    );

    const noVersion = await cli(
      [
        "--suite",
        "smoke",
        "--suite-version",
        "9",
        "--target",
        "http://127.0.0.1:9",
      ],
      env,
    );
    assert.equal(noVersion.code, 2, noVersion.stderr);
    assert.match(
      noVersion.stderr,
      /suite "smoke" has no version 9 \(it has v1\)/,
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

/** A provider that refuses every key (401 on every chat request). */
function refusingProvider(): Promise<ProviderStub> {
  return startProviderStub(() =>
    jsonError(401, "Incorrect API key provided", {}, "invalid_request_error")
  );
}

/** Two targets that measure nothing: a dead URL and a refused key. */
async function failingTargets(call: Caller, keyed: ProviderStub) {
  for (
    const [name, base_url] of [
      ["dead", `http://127.0.0.1:${unusedPort()}/v1`],
      ["locked", `${keyed.url}/v1`],
    ]
  ) {
    const made = await call("POST", "/api/targets", {
      name,
      kind: "openai-compatible",
      base_url,
      mode: "json_schema",
    });
    assert.equal(made.status, 201, JSON.stringify(made.json));
  }
}

Deno.test("deno task run: a run that measured nothing exits 2 with its reason (embedded)", async () => {
  const keyed = await refusingProvider();
  try {
    await withDataDir(async (env, dir) => {
      // The targets are stored in the CLI's own database beforehand.
      const services = await openServices(
        testEnv({ DATA_DIR: dir }),
        DATA_ONLY,
      );
      try {
        await failingTargets(adminCaller(services.app), keyed);
      } finally {
        await services.close();
      }
      const dead = await cli(
        [
          "--suite",
          "smoke",
          "--target",
          "dead",
          "--limit",
          "2",
          "--engine-wait",
          "1",
        ],
        env,
      );
      assert.equal(dead.code, 2, `${dead.stderr}\n${dead.stdout}`);
      assert.match(
        dead.stderr,
        /failed \(engine_down\): the engine could not be reached for [12] s/,
      );
      assert.match(
        dead.stdout,
        /status {2}failed \(engine_down: nothing was measured\)/,
      );

      const locked = await cli(
        ["--suite", "smoke", "--target", "locked", "--limit", "3"],
        env,
      );
      assert.equal(locked.code, 2, `${locked.stderr}\n${locked.stdout}`);
      assert.match(
        locked.stderr,
        /failed \(auth_failed\): the engine refused the API key: HTTP 401/,
      );
      const chats = keyed.requests.filter((r) => r.method === "POST");
      assert.ok(chats.length <= 3, `${chats.length} requests after a refusal`);
    });
  } finally {
    await keyed.stop();
  }
});

Deno.test("deno task run: a run that measured nothing exits 2 with its reason (through a server)", async () => {
  const keyed = await refusingProvider();
  const services = await openServices(testEnv(), {
    database: { memory: true },
    worker: { options: { workerId: "cli-test", pollMs: 20, backoffMs: 5 } },
    scheduler: false,
    schedulesFile: false,
    log: () => {},
  });
  const listening = await serve(services, {
    hostname: "127.0.0.1",
    port: 0,
    quiet: true,
  });
  try {
    const call = adminCaller(services.app);
    const suite = await call("POST", "/api/suites", {
      name: "nothing",
      cases: [0, 1].map((i) => ({ key: `c${i}`, schema: { type: "object" } })),
    });
    assert.equal(suite.status, 201, JSON.stringify(suite.json));
    await failingTargets(call, keyed);
    await withDataDir(async (env) => {
      const through = { ...env, EVAL_TOKEN: TEST_ADMIN_TOKEN };
      for (
        const [target, reason] of [
          ["dead", "engine_down"],
          ["locked", "auth_failed"],
        ]
      ) {
        const run = await cli(
          [
            "--suite",
            "nothing",
            "--target",
            target,
            "--server",
            listening.url,
            "--engine-wait",
            "1",
          ],
          through,
        );
        assert.equal(run.code, 2, `${run.stderr}\n${run.stdout}`);
        assert.match(run.stderr, /through its API/);
        assert.ok(
          run.stderr.includes(`failed (${reason})`),
          run.stderr,
        );
      }
    });
  } finally {
    await listening.stop();
    await keyed.stop();
  }
});
