// Hosted providers through the whole server (HTTP API, worker, database),
// against the local provider stub: a storm of 429s and 500s loses nothing,
// a budget stops a run, a dry run estimates, and a key never leaks.
import assert from "node:assert/strict";
import {
  chatStream,
  jsonError,
  startProviderStub,
} from "../../evaluators/targets/testing/provider_stub.ts";
import type { Database } from "../db/client.ts";
import { dbTest } from "../testing/database.ts";
import { secretReader } from "../auth/secrets.ts";
import { sql } from "drizzle-orm";
import { type Caller, testApp } from "../testing/api.ts";

const SENTINEL = "sk-sentinel-7f3a9c1e5b2d";

function harness(database: Database, env: Record<string, string> = {}) {
  return testApp(database, {
    env,
    worker: (config) => ({
      backoffMs: 20,
      secret: secretReader(
        config.secretAllowlist,
        (name) => (name === "SENTINEL_API_KEY" ? SENTINEL : undefined),
      ),
    }),
  });
}

async function setup(
  call: Caller,
  url: string,
  cases: number,
  target: Record<string, unknown> = {},
) {
  const suite = await call("POST", "/api/suites", {
    name: `s-${crypto.randomUUID()}`,
    cases: Array.from({ length: cases }, (_, i) => ({
      key: `c${i}`,
      schema: {
        type: "object",
        properties: { n: { const: i } },
        required: ["n"],
      },
    })),
  });
  const created = await call("POST", "/api/targets", {
    name: `t-${crypto.randomUUID()}`,
    kind: "openai",
    base_url: `${url}/v1`,
    model: "stub-model",
    mode: "json_schema",
    ...target,
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  return {
    suiteId: suite.json.id as string,
    targetId: created.json.id as string,
  };
}

/** The index of a case from the schema in the request's last message. */
function caseOf(body: Record<string, unknown> | null): number {
  const messages = body?.messages as { content: string }[];
  return Number(
    /"const":(\d+)/.exec(messages[messages.length - 1].content)![1],
  );
}

dbTest(
  "a storm of 429s and 500s: every case ends with exactly one result, none unsupported",
  async (database) => {
    let state = 12345;
    const random = () =>
      (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const kinds: string[] = [];
    const stub = await startProviderStub((req) => {
      const roll = random();
      kinds.push(roll < 0.35 ? "429" : roll < 0.6 ? "500" : "ok");
      if (roll < 0.35) {
        return jsonError(
          429,
          "Rate limit reached for requests",
          { "retry-after-ms": "60" },
          "requests",
          "rate_limit_exceeded",
        );
      }
      if (roll < 0.6) {
        return jsonError(
          500,
          "The server had an error while processing your request.",
          {},
          "server_error",
        );
      }
      return chatStream(JSON.stringify({ n: caseOf(req.body) }));
    });
    const { worker, call, finished } = harness(database);
    worker.start();
    try {
      const cases = 30;
      const { suiteId, targetId } = await setup(call, stub.url, cases);
      const run = await call("POST", "/api/runs", {
        suite_id: suiteId,
        target_id: targetId,
        options: { retries: 8, concurrency: 4 },
      });
      assert.equal(run.status, 202);
      const done = await finished(run.json.id);
      assert.equal(done.status, "done");
      const counts = done.progress.by_outcome as Record<string, number>;
      assert.equal(
        Object.values(counts).reduce((a, b) => a + b, 0),
        cases,
        "cases lost",
      );
      assert.equal(counts.unsupported_schema, 0);
      assert.equal(
        done.scores.declared_coverage.value,
        1,
        "rate limits never lower declared coverage",
      );
      const rows = await database.rows<{ n: number }>(
        sql`select count(*)::int as n from results where run_id = ${run.json.id} and outcome is not null`,
      );
      assert.equal(rows[0].n, cases);
      // Every wait after a 429 was honoured for the retried case.
      const requests = stub.requests.filter((r) =>
        r.path.endsWith("/chat/completions")
      );
      let limited = 0;
      let honoured = 0;
      requests.forEach((request, i) => {
        if (kinds[i] !== "429") return;
        limited++;
        const index = caseOf(request.body);
        const next = requests.slice(i + 1).find((r) =>
          caseOf(r.body) === index
        );
        if (!next || next.at - request.at >= 59) honoured++;
        else {console.log(
            `short wait for case ${index}: ${
              (next.at - request.at).toFixed(1)
            } ms`,
          );}
      });
      const retries = requests.length - cases;
      console.log(
        `storm: ${requests.length} requests for ${cases} cases (${retries} retries, ${limited} answered 429), ` +
          `outcomes ${
            JSON.stringify(counts)
          }, ${honoured}/${limited} waits honoured, ` +
          `adaptive limit ${worker.limitOf(targetId)?.limit} after ${
            worker.limitOf(targetId)?.rateLimited
          } 429s`,
      );
      assert.ok(retries > 10, "the storm made retries");
      assert.ok(limited > 5, "the storm made 429s");
      assert.equal(
        honoured,
        limited,
        "every retry after a 429 waited at least the asked Retry-After",
      );
    } finally {
      await worker.stop();
      await stub.stop();
    }
  },
);

dbTest(
  "a budget stops the run: budget_exceeded, the rest skipped, nothing lost",
  async (database) => {
    const stub = await startProviderStub((req) =>
      chatStream(JSON.stringify({ n: caseOf(req.body) }))
    );
    const { worker, call, finished } = harness(database);
    worker.start();
    try {
      // The stub reports 50 prompt and 10 completion tokens: $60 a case at $1 a token.
      const { suiteId, targetId } = await setup(call, stub.url, 8, {
        pricing: { input_per_mtok: 1_000_000, output_per_mtok: 1_000_000 },
      });
      const estimate = await call("POST", "/api/runs?dry_run=1", {
        suite_id: suiteId,
        target_id: targetId,
        options: { max_tokens: 100 },
      });
      assert.equal(estimate.status, 200);
      assert.equal(estimate.json.dry_run, true);
      assert.equal(estimate.json.estimate.cases, 8);
      assert.ok(estimate.json.estimate.cost_usd > 0);
      assert.ok(
        estimate.json.estimate.cost_usd_max >= estimate.json.estimate.cost_usd,
      );
      assert.deepEqual(
        (await call("GET", `/api/runs?suite_id=${suiteId}`)).json.items,
        [],
        "a dry run creates nothing",
      );

      const run = await call("POST", "/api/runs", {
        suite_id: suiteId,
        target_id: targetId,
        options: { budget_usd: 100, concurrency: 1 },
      });
      const done = await finished(run.json.id);
      assert.equal(done.status, "budget_exceeded");
      assert.match(done.error, /budget spent/);
      const counts = done.progress.by_outcome as Record<string, number>;
      assert.equal(counts.valid, 2);
      assert.equal(counts.skipped, 6);
      assert.equal(done.progress.done, 8);
      assert.equal(done.scores.cost_usd, 120);
    } finally {
      await worker.stop();
      await stub.stop();
    }
  },
);

dbTest(
  "a sentinel key never reaches the database, a response or the log",
  async (database) => {
    // The stub echoes the key it receives in errors and in answers.
    const stub = await startProviderStub((req, i) => {
      const key = req.headers.get("authorization") ?? "";
      if (i % 3 === 0) {
        return jsonError(
          401,
          `Incorrect API key provided: ${key.slice(7)}.`,
          {},
          "invalid_request_error",
          "invalid_api_key",
        );
      }
      if (i % 3 === 1) {
        return jsonError(400, `Invalid schema sent with ${key}`, {});
      }
      return chatStream(JSON.stringify({ n: caseOf(req.body), echo: key }));
    });
    const logged: string[] = [];
    const original = {
      log: console.log,
      error: console.error,
      warn: console.warn,
    };
    const capture = (...args: unknown[]) =>
      logged.push(args.map(String).join(" "));
    console.log = console.error = console.warn = capture;
    const { worker, call, seen, finished } = harness(database);
    worker.start();
    try {
      const { suiteId, targetId } = await setup(call, stub.url, 6, {
        api_key_env: "SENTINEL_API_KEY",
      });
      const run = await call("POST", "/api/runs", {
        suite_id: suiteId,
        target_id: targetId,
        options: { retries: 1 },
      });
      await finished(run.json.id);
      await call("GET", `/api/runs/${run.json.id}/results`);
      await call("GET", `/api/targets/${targetId}`);
      await call("GET", `/api/runs`);
      assert.ok(
        stub.requests.some((r) =>
          r.headers.get("authorization") === `Bearer ${SENTINEL}`
        ),
        "the key was sent",
      );
      const dump = await database.rows<{ row: string }>(sql`
      select row_to_json(t)::text as row from results t
      union all select row_to_json(t)::text from runs t
      union all select row_to_json(t)::text from targets t
      union all select row_to_json(t)::text from suites t`);
      assert.ok(dump.length > 6);
      for (const { row } of dump) {
        assert.ok(
          !row.includes(SENTINEL),
          `database: ${row.slice(0, 200)}`,
        );
      }
      for (const body of seen) {
        assert.ok(
          !body.includes(SENTINEL),
          `response: ${body.slice(0, 200)}`,
        );
      }
      for (const line of logged) {
        assert.ok(
          !line.includes(SENTINEL),
          `log: ${line.slice(0, 200)}`,
        );
      }
      assert.ok(
        dump.some(({ row }) => row.includes("***")),
        "the echoed key was scrubbed, not dropped silently",
      );
    } finally {
      Object.assign(console, original);
      await worker.stop();
      await stub.stop();
    }
  },
);

dbTest(
  "targets: a key variable off the allow-list is refused",
  async (database) => {
    const { call } = harness(database, { SECRET_ENV_ALLOWLIST: "*_API_KEY" });
    for (
      const name of [
        "DATABASE_URL",
        "ADMIN_TOKEN",
        "HF_TOKEN",
        "lowercase_api_key",
      ]
    ) {
      const res = await call("POST", "/api/targets", {
        name: `x-${name}`,
        kind: "openai",
        mode: "json_schema",
        model: "gpt-4o-mini",
        api_key_env: name,
      });
      assert.equal(res.status, 400, name);
      assert.equal(res.json.error.path, "/api_key_env");
    }
    const ok = await call("POST", "/api/targets", {
      name: "fine",
      kind: "openai",
      mode: "json_schema",
      model: "gpt-4o-mini",
      api_key_env: "OPENAI_API_KEY",
    });
    assert.equal(ok.status, 201);
    assert.equal(ok.json.base_url, null);
  },
);
