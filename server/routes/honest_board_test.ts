// Issue 14, item 1: a board row is the latest finished public run of a
// target that ran the whole suite with the target's own settings. Partial
// runs finish after the full one and stay off the board, marked in the
// target's history; a quality pair's twin is a row of its own.
import assert from "node:assert/strict";
import {
  chatStream,
  jsonError,
  startProviderStub,
} from "../../evaluators/targets/testing/provider_stub.ts";
import { dbTest } from "../testing/database.ts";
import { type Caller, testApp } from "../testing/api.ts";

const CASES = 4;

/** The case a request is for: the `const` of its schema. */
function caseOf(body: Record<string, unknown> | null): number {
  const messages = body?.messages as { content: string }[];
  return Number(/"const":(\d+)/.exec(messages.at(-1)!.content)![1]);
}

async function setup(call: Caller, url: string) {
  const suite = await call("POST", "/api/suites", {
    name: "honest",
    cases: Array.from({ length: CASES }, (_, i) => ({
      key: `c${i}`,
      schema: {
        type: "object",
        properties: { n: { const: i } },
        required: ["n"],
      },
    })),
  });
  const target = await call("POST", "/api/targets", {
    name: "stub",
    kind: "openai-compatible",
    base_url: `${url}/v1`,
    mode: "json_schema",
  });
  return { suiteId: suite.json.id as string, targetId: target.json.id };
}

async function boardItems(call: Caller) {
  return (await call("GET", "/api/leaderboard.json")).json.items as {
    run_id: string;
    target: { id: string; name: string; mode: string };
    validation: string;
    pair: { role: string; run_id: string } | null;
    cases: number;
  }[];
}

dbTest(
  "board: partial runs finishing after the full one stay off the board, marked in the history",
  async (database) => {
    // Case 3 fails with a server error while `failing` is set.
    let failing = false;
    const stub = await startProviderStub((req) => {
      const n = caseOf(req.body);
      if (failing && n === 3) {
        return jsonError(500, "The server had an error.", {}, "server_error");
      }
      return chatStream(JSON.stringify({ n }));
    });
    const { app, worker, call, finished } = testApp(database, {
      worker: { pollMs: 50, backoffMs: 10 },
    });
    worker.start();
    try {
      const { suiteId, targetId } = await setup(call, stub.url);
      const runWith = async (options: Record<string, unknown>) => {
        const made = await call("POST", "/api/runs", {
          suite_id: suiteId,
          target_id: targetId,
          public: true,
          options,
        });
        assert.equal(made.status, 202, JSON.stringify(made.json));
        return await finished(made.json.id);
      };
      const full = await runWith({});
      assert.equal(full.status, "done");
      assert.equal(full.partial, false);
      assert.equal(full.partial_reason, null);

      const limited = await runWith({ limit: 2 });
      const shorter = await runWith({ max_tokens: 64 });
      failing = true;
      const lossy = await runWith({ retries: 0 });
      failing = false;
      assert.equal(lossy.progress.by_outcome.infra_error, 1);
      const expected: [typeof full, RegExp][] = [
        [limited, /^ran 2 of the suite's 4 cases$/],
        [shorter, /^overrides the target's max_tokens$/],
        [lossy, /^1 of 4 cases infra_error or skipped \(over 5%\)$/],
      ];
      for (const [run, reason] of expected) {
        assert.equal(run.status, "done");
        assert.equal(run.partial, true, run.id);
        assert.match(run.partial_reason, reason);
        // Each partial run finished after the full one.
        assert.ok(run.finished_at > full.finished_at);
      }

      // The board (its JSON, its CSV and its page) keeps the full run.
      const items = await boardItems(call);
      assert.deepEqual(items.map((i) => i.run_id), [full.id]);
      assert.equal(items[0].cases, CASES);
      const csv = await (await app.request("/api/leaderboard.csv")).text();
      assert.equal(csv.trim().split("\r\n").length, 2, csv);
      assert.ok(csv.includes(full.id));
      const page = await (await app.request("/")).text();
      assert.ok(page.includes(`/runs/${full.id}`));
      for (const [run] of expected) {
        assert.ok(!page.includes(run.id), `${run.id} is on the board`);
        assert.ok(!csv.includes(run.id));
      }
      // Nor in the suite's ranking.
      const ranking = await call("GET", `/api/suites/${suiteId}/ranking`);
      assert.deepEqual(
        ranking.json.items.map((i: { run_id: string }) => i.run_id),
        [full.id],
      );

      // The history shows all four, the partial ones marked with why.
      const history = await call("GET", `/api/runs?target_id=${targetId}`);
      const listed = new Map<string, { partial: boolean }>(
        history.json.items.map((
          r: { id: string; partial: boolean },
        ) => [r.id, r]),
      );
      assert.equal(listed.size, 4);
      assert.equal(listed.get(full.id)?.partial, false);
      for (const [run] of expected) {
        assert.equal(listed.get(run.id)?.partial, true);
      }
      const targetPage = await (await app.request(`/targets/${targetId}`))
        .text();
      for (const [run, reason] of expected) {
        assert.ok(targetPage.includes(`/runs/${run.id}`));
        const words = reason.source.slice(1, -1).replaceAll("\\", "")
          .replaceAll("'", "&#39;");
        assert.ok(
          targetPage.includes(`partial: ${words}`),
          `the target page does not say "partial: ${words}"`,
        );
      }
      assert.ok(targetPage.includes(`/runs/${full.id}`));
      // Its own report says so too; the full run's does not.
      for (const [run] of expected) {
        const page = await (await app.request(`/runs/${run.id}`)).text();
        assert.match(
          page,
          /id="partial-notice"[^<]*Partial run, not on the leaderboard: /,
        );
      }
      const fullPage = await (await app.request(`/runs/${full.id}`)).text();
      assert.ok(!fullPage.includes('id="partial-notice"'));
    } finally {
      await worker.stop();
      await stub.stop();
    }
  },
);

dbTest(
  "board: a quality pair's twin runs under its own prompt_only target, a row of its own",
  async (database) => {
    const stub = await startProviderStub((req) =>
      chatStream(JSON.stringify({ n: caseOf(req.body) }))
    );
    const { app, worker, call, finished } = testApp(database, {
      worker: { pollMs: 50 },
    });
    worker.start();
    try {
      const { suiteId, targetId } = await setup(call, stub.url);
      const pair = async () => {
        const made = await call("POST", "/api/runs", {
          suite_id: suiteId,
          target_id: targetId,
          public: true,
          options: { quality_pair: true },
        });
        assert.equal(made.status, 202, JSON.stringify(made.json));
        const constrained = await finished(made.json.id);
        const twin = await finished(made.json.pair_run_id);
        return { constrained, twin };
      };
      const first = await pair();
      assert.equal(first.constrained.target_id, targetId);
      assert.notEqual(first.twin.target_id, targetId);
      assert.equal(first.twin.options.mode, "prompt_only");
      assert.equal(first.twin.options.pair_run_id, first.constrained.id);
      assert.equal(first.constrained.options.pair_run_id, first.twin.id);
      const twinTarget = await call(
        "GET",
        `/api/targets/${first.twin.target_id}`,
      );
      assert.equal(twinTarget.json.name, "stub (prompt_only)");
      assert.equal(twinTarget.json.mode, "prompt_only");
      assert.equal(twinTarget.json.kind, "openai-compatible");
      assert.equal(twinTarget.json.base_url, `${stub.url}/v1`);

      // A second pair reuses the twin target; its runs are the new rows.
      const second = await pair();
      assert.equal(second.twin.target_id, first.twin.target_id);
      const items = await boardItems(call);
      assert.equal(items.length, 2, JSON.stringify(items));
      const byMode = Object.fromEntries(items.map((i) => [i.target.mode, i]));
      assert.equal(byMode.json_schema.run_id, second.constrained.id);
      assert.equal(byMode.json_schema.target.name, "stub");
      assert.equal(byMode.prompt_only.run_id, second.twin.id);
      assert.equal(byMode.prompt_only.target.name, "stub (prompt_only)");
      assert.deepEqual(byMode.prompt_only.pair, {
        role: "prompt_only",
        run_id: second.constrained.id,
      });
      const page = await (await app.request("/")).text();
      assert.ok(page.includes("stub (prompt_only)"));
      assert.ok(page.includes("quality twin of"));

      // The constrained target's history holds no twin.
      const history = await call("GET", `/api/runs?target_id=${targetId}`);
      assert.deepEqual(
        history.json.items.map((r: { options: { mode: string } }) =>
          r.options.mode
        ),
        ["json_schema", "json_schema"],
      );
    } finally {
      await worker.stop();
      await stub.stop();
    }
  },
);
