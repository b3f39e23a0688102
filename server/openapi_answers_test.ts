// Real answers of the running app validate against the document's
// response schemas: a suite, two targets on the stub engine, two finished
// runs (one public, one private), and what every route then answers,
// errors included, through the route-test harness.
import assert from "node:assert/strict";
import { qualitySuite } from "../datasets/quality/suite.ts";
import { startStubEngine } from "../evaluators/targets/testing/stub_engine.ts";
import { answerChecker } from "./testing/openapi.ts";
import { dbTest } from "./testing/database.ts";
import { ADMIN_HEADERS, testApp } from "./testing/api.ts";
import { seedFixture } from "./testing/fixture.ts";

/** Server-sent events as `[event, data]` pairs. */
function events(text: string): [string, string][] {
  return text.split("\n\n").filter((block) => block.trim()).map((block) => {
    const lines = block.split("\n");
    const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim();
    const data = lines.filter((l) => l.startsWith("data:"))
      .map((l) => l.slice(5).trimStart()).join("\n");
    return [event ?? "message", data];
  });
}

dbTest(
  "real answers validate against the document's response schemas",
  async (database) => {
    const engine = await startStubEngine({ reply: '{"n":1}' });
    const { app, call, worker, finished } = testApp(database, {
      worker: { pollMs: 20 },
    });
    const check = answerChecker();
    const problems: string[] = [];
    const checked = new Set<string>();
    /** Calls `path` and checks the answer against `template`'s operation. */
    const expect = async (
      method: string,
      path: string,
      template: string,
      status: number,
      body?: unknown,
      options?: { raw: boolean },
    ) => {
      const answer = await call(method, path, body, options);
      assert.equal(
        answer.status,
        status,
        `${method} ${path}: ${JSON.stringify(answer.json)}`,
      );
      problems.push(
        ...check(method.toLowerCase(), template, status, answer.json),
      );
      checked.add(`${method} ${template} ${status}`);
      return answer.json;
    };
    try {
      const suite = await expect("POST", "/api/suites", "/api/suites", 201, {
        name: "people",
        description: "two cases in two subsets",
        cases: [
          {
            key: "a",
            subset: "easy",
            schema: { type: "object", required: ["n"] },
          },
          {
            key: "b",
            subset: "hard",
            schema: { properties: { n: { type: "string" } } },
          },
        ],
      });
      await expect("POST", "/api/suites", "/api/suites", 200, {
        name: "people",
        description: "two cases in two subsets",
        cases: [
          {
            key: "a",
            subset: "easy",
            schema: { type: "object", required: ["n"] },
          },
          {
            key: "b",
            subset: "hard",
            schema: { properties: { n: { type: "string" } } },
          },
        ],
      });
      await expect(
        "POST",
        "/api/suites/import?name=imported&subset=x",
        "/api/suites/import",
        201,
        '{"json_schema":"{\\"type\\":\\"object\\"}","unique_id":"u1"}\n',
        { raw: true },
      );
      const target = await expect("POST", "/api/targets", "/api/targets", 201, {
        name: "stub",
        kind: "llamacpp",
        base_url: engine.url,
        mode: "json_schema",
        hardware: "a laptop",
        max_concurrency: 2,
      });
      const twin = await expect("POST", "/api/targets", "/api/targets", 201, {
        name: "stub-prompt",
        kind: "llamacpp",
        base_url: engine.url,
        mode: "prompt_only",
      });
      const body = { suite_id: suite.id, target_id: target.id, public: true };
      await expect("POST", "/api/runs?dry_run=1", "/api/runs", 200, body);
      // Queued before the worker starts: cancelled while it waits.
      const queued = await expect("POST", "/api/runs", "/api/runs", 202, body);
      await expect(
        "POST",
        `/api/runs/${queued.id}/cancel`,
        "/api/runs/{id}/cancel",
        200,
      );
      const run = await expect("POST", "/api/runs", "/api/runs", 202, body);
      const hidden = await expect("POST", "/api/runs", "/api/runs", 202, {
        suite_id: suite.id,
        target_id: twin.id,
      });
      assert.ok(hidden.share_url);
      worker.start();
      await finished(run.id);
      await finished(hidden.id);

      const runPath = "/api/runs/{id}";
      const report = await expect("GET", `/api/runs/${run.id}`, runPath, 200);
      assert.deepEqual(Object.keys(report.scores.by_subset).sort(), [
        "easy",
        "hard",
      ]);
      await expect("GET", `/api/runs/${hidden.id}`, runPath, 200);
      await expect("GET", "/api/runs", "/api/runs", 200);
      await expect(
        "GET",
        `/api/runs?suite_id=${suite.id}&status=done&limit=1`,
        "/api/runs",
        200,
      );
      await expect(
        "GET",
        `/api/runs/${run.id}/results`,
        `${runPath}/results`,
        200,
      );
      await expect(
        "GET",
        `/api/runs/${run.id}/results?outcome=valid`,
        `${runPath}/results`,
        200,
      );
      await expect(
        "GET",
        `/api/compare?a=${run.id}&b=${hidden.id}`,
        "/api/compare",
        200,
      );
      await expect(
        "GET",
        `/api/suites/${suite.id}/ranking`,
        "/api/suites/{id}/ranking",
        200,
      );
      await expect(
        "GET",
        "/api/leaderboard.json",
        "/api/leaderboard.json",
        200,
      );
      await expect(
        "GET",
        `/api/keywords.json?suite=${suite.id}`,
        "/api/keywords.json",
        200,
      );
      await expect("GET", "/api/health", "/api/health", 200);
      await expect("GET", "/api/suites", "/api/suites", 200);
      await expect("GET", `/api/suites/${suite.id}`, "/api/suites/{id}", 200);
      await expect("GET", "/api/targets", "/api/targets", 200);
      await expect("GET", "/api/targets/stub", "/api/targets/{id}", 200);
      await expect("POST", `/api/runs/${run.id}/hide`, `${runPath}/hide`, 200, {
        reason: "a test",
      });
      await expect(
        "POST",
        `/api/runs/${run.id}/unhide`,
        `${runPath}/unhide`,
        200,
      );
      await expect(
        "POST",
        `/api/runs/${run.id}/rejudge`,
        `${runPath}/rejudge`,
        201,
      );

      const schedule = await expect(
        "POST",
        "/api/schedules",
        "/api/schedules",
        201,
        {
          name: "nightly",
          cron: "0 3 * * *",
          suite_id: suite.id,
          target_ids: [target.id],
        },
      );
      const one = "/api/schedules/{id}";
      await expect("GET", "/api/schedules", "/api/schedules", 200);
      await expect("GET", `/api/schedules/${schedule.id}`, one, 200);
      await expect("PATCH", `/api/schedules/${schedule.id}`, one, 200, {
        enabled: false,
      });
      await expect("DELETE", `/api/schedules/${schedule.id}`, one, 200);

      const token = await expect("POST", "/api/tokens", "/api/tokens", 201, {
        name: "ci",
        scopes: ["write"],
      });
      await expect("GET", "/api/tokens", "/api/tokens", 200);
      await expect(
        "POST",
        `/api/tokens/${token.id}/rotate`,
        "/api/tokens/{id}/rotate",
        200,
      );
      await expect(
        "DELETE",
        `/api/tokens/${token.id}`,
        "/api/tokens/{id}",
        200,
      );
      const other = await expect("POST", "/api/tokens", "/api/tokens", 201, {
        name: "other",
        scopes: ["read"],
      });
      await expect(
        "POST",
        `/api/tokens/${other.id}/revoke`,
        "/api/tokens/{id}/revoke",
        200,
      );

      await expect("POST", "/api/validate", "/api/validate", 200, {
        schema: { type: "integer" },
        instances: [1, "x"],
      });
      await expect("POST", "/api/validate", "/api/validate", 200, {
        schema: { type: 3 },
        instances: [1],
      });

      // Errors: the one error body, on the statuses the document names.
      await expect("GET", `/api/runs/${crypto.randomUUID()}`, runPath, 404);
      await expect("GET", "/api/runs?limit=0", "/api/runs", 400);
      await expect("POST", "/api/targets", "/api/targets", 409, {
        name: "stub",
        kind: "llamacpp",
        base_url: engine.url,
        mode: "json_schema",
      });
      await expect(
        "POST",
        `/api/runs/${run.id}/cancel`,
        `${runPath}/cancel`,
        409,
      );
      await expect("POST", "/api/suites", "/api/suites", 400, { name: "x" });
      // An unknown suite or target in a body is a 400 that lists the names.
      await expect("POST", "/api/runs", "/api/runs", 400, {
        suite_id: suite.id,
        target_id: crypto.randomUUID(),
      });
      await expect("POST", "/api/schedules", "/api/schedules", 400, {
        cron: "0 3 * * *",
        suite_id: crypto.randomUUID(),
        target_ids: [target.id],
      });
      const nowhere = `?suite=${crypto.randomUUID()}`;
      await expect(
        "GET",
        `/api/keywords.json${nowhere}`,
        "/api/keywords.json",
        404,
      );
      const csv404 = await app.request(`/api/keywords.csv${nowhere}`);
      assert.equal(csv404.status, 404);
      assert.match(csv404.headers.get("content-type")!, /^text\/plain/);
      problems.push(
        ...check(
          "get",
          "/api/keywords.csv",
          404,
          await csv404.text(),
          "text/plain",
        ),
      );
      const anonymous = await app.request("/api/tokens");
      assert.equal(anonymous.status, 401);
      problems.push(
        ...check("get", "/api/tokens", 401, await anonymous.json()),
      );

      // The event stream of a finished run: its progress, then the report.
      const stream = await app.request(`/api/runs/${run.id}/events`);
      assert.equal(stream.headers.get("content-type"), "text/event-stream");
      const sent = events(await stream.text());
      assert.deepEqual(sent.map(([event]) => event), ["progress", "done"]);
      const component = (name: string) => `#/components/schemas/${name}`;
      problems.push(
        ...check(
          "get",
          component("run_event_progress"),
          200,
          JSON.parse(sent[0][1]),
        ),
        ...check("get", component("run_report"), 200, JSON.parse(sent[1][1])),
      );
      // The JSONL download: every line a result record.
      const jsonl =
        await (await app.request(`/api/runs/${run.id}/results.jsonl`)).text();
      const lines = jsonl.trim().split("\n");
      assert.equal(lines.length, 2);
      for (const line of lines) {
        problems.push(
          ...check("get", component("result_record"), 200, JSON.parse(line)),
        );
      }
      for (
        const path of [
          "/api/leaderboard.csv",
          `/api/runs/${run.id}/results.csv`,
          "/metrics",
          "/api/docs",
        ]
      ) {
        assert.equal((await app.request(path)).status, 200, path);
      }
    } finally {
      await worker.stop();
      await engine.stop();
    }
    assert.deepEqual(problems, []);
    assert.ok(checked.size >= 35, `${checked.size} answers checked`);
  },
);

dbTest(
  "the seeded board's answers validate too (quality column, hidden, private and running runs)",
  async (database) => {
    const fixture = await seedFixture(database);
    const { app, call } = testApp(database);
    const check = answerChecker();
    const problems: string[] = [];
    const expect = async (path: string, template: string) => {
      const answer = await call("GET", path);
      assert.equal(answer.status, 200, path);
      problems.push(...check("get", template, 200, answer.json));
      return answer.json;
    };
    const board = await expect(
      "/api/leaderboard.json",
      "/api/leaderboard.json",
    );
    assert.ok(board.items.some((row: { accuracy: unknown }) => row.accuracy));
    await expect(
      "/api/leaderboard.json?sort=ttft&dir=asc",
      "/api/leaderboard.json",
    );
    await expect("/api/runs?limit=500", "/api/runs");
    for (const run of Object.values(fixture.runs)) {
      await expect(`/api/runs/${run.id}`, "/api/runs/{id}");
      await expect(`/api/runs/${run.id}/results`, "/api/runs/{id}/results");
    }
    for (const suite of [fixture.alpha, fixture.beta]) {
      await expect(
        `/api/suites/${suite.id}/ranking`,
        "/api/suites/{id}/ranking",
      );
      await expect(
        `/api/keywords.json?suite=${suite.id}`,
        "/api/keywords.json",
      );
      await expect(`/api/suites/${suite.id}`, "/api/suites/{id}");
    }
    const { fastOld, fastNew } = fixture.runs;
    await expect(
      `/api/compare?a=${fastOld.id}&b=${fastNew.id}`,
      "/api/compare",
    );
    const jsonl = await (await app.request(
      `/api/runs/${fixture.runs.gpt.id}/results.jsonl`,
      { headers: ADMIN_HEADERS },
    )).text();
    for (const line of jsonl.trim().split("\n")) {
      problems.push(
        ...check(
          "get",
          "#/components/schemas/result_record",
          200,
          JSON.parse(line),
        ),
      );
    }
    assert.deepEqual(problems, []);
  },
);

dbTest(
  "a quality pair's answers validate (accuracy, the pair's report, its board rows)",
  async (database) => {
    const suite = qualitySuite(1, 1);
    const engine = await startStubEngine({
      reply: JSON.stringify({ reasoning: "so", answer: 1 }),
    });
    const { call, worker, finished } = testApp(database, {
      worker: { pollMs: 20 },
    });
    const check = answerChecker();
    const problems: string[] = [];
    worker.start();
    try {
      const posted = await call("POST", "/api/suites", suite);
      assert.equal(posted.status, 201, JSON.stringify(posted.json));
      const target = await call("POST", "/api/targets", {
        name: "stub",
        kind: "llamacpp",
        base_url: engine.url,
        mode: "json_schema",
      });
      const made = await call("POST", "/api/runs", {
        suite_id: posted.json.id,
        target_id: target.json.id,
        public: true,
        options: { quality_pair: true },
      });
      assert.equal(made.status, 202, JSON.stringify(made.json));
      problems.push(...check("post", "/api/runs", 202, made.json));
      assert.ok(made.json.pair_run_id);
      for (const id of [made.json.id, made.json.pair_run_id]) {
        const report = await finished(id);
        assert.ok(
          report.quality && report.scores.accuracy,
          JSON.stringify(report),
        );
        problems.push(...check("get", "/api/runs/{id}", 200, report));
      }
      const board = await call("GET", "/api/leaderboard.json");
      assert.ok(board.json.items.some((row: { pair: unknown }) => row.pair));
      problems.push(...check("get", "/api/leaderboard.json", 200, board.json));
    } finally {
      await worker.stop();
      await engine.stop();
    }
    assert.deepEqual(problems, []);
  },
);
