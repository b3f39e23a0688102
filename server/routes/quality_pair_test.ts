// Issue 14, item 5: quality everywhere it is promised. A quality pair run
// on a stub engine finishes; the board (its page, JSON and CSV) shows the
// constrained row and the twin's row, each with its accuracy and interval,
// and sorts by quality; the constrained run's page shows both accuracies,
// the paired difference, McNemar's p, the cases only one side got right
// and the link to its twin.
import assert from "node:assert/strict";
import { qualitySuite } from "../../datasets/quality/suite.ts";
import {
  chatStream,
  startProviderStub,
} from "../../evaluators/targets/testing/provider_stub.ts";
import { caseHref } from "../pages/case_list.tsx";
import { formatInterval, formatPercent } from "../pages/format.ts";
import { dbTest } from "../testing/database.ts";
import { testApp } from "../testing/api.ts";

interface Proportion {
  value: number;
  low: number;
  high: number;
  n: number;
}

dbTest(
  "quality pair: both rows on the board with accuracy, sorted by quality; the run page compares them",
  async (database) => {
    const suite = qualitySuite(1, 2);
    const n = suite.cases.length;
    assert.equal(n, 6);
    const keys = suite.cases.map((c) => c.key);
    /** The case a request is for: the one whose prompt it carries. */
    const caseOf = (body: Record<string, unknown> | null) => {
      const messages = body?.messages as { content: string }[];
      const text = messages.map((m) => m.content).join("\n");
      const found = suite.cases.findIndex((c) => text.includes(c.prompt));
      if (found < 0) throw new Error(`no case's prompt in: ${text}`);
      return found;
    };
    // Constrained: case 0 is not JSON (wrong, and off empirical coverage),
    // the rest right. The twin: all valid JSON, cases 1 and 2 answered
    // wrong. So the twin ranks first on coverage, the constrained run on
    // quality (5/6 against 4/6).
    const stub = await startProviderStub((req) => {
      const i = caseOf(req.body);
      const task = suite.cases[i].task;
      const constrained = req.body?.response_format !== undefined;
      if (constrained && i === 0) return chatStream("not json at all");
      const wrong = !constrained && (i === 1 || i === 2);
      const answer = !wrong
        ? task.expected
        : typeof task.expected === "number"
        ? task.expected + 1
        : `${task.expected}zz`;
      return chatStream(JSON.stringify({ reasoning: "so", answer }));
    });
    const { app, worker, call, finished } = testApp(database, {
      worker: { pollMs: 50 },
    });
    worker.start();
    try {
      const posted = await call("POST", "/api/suites", suite);
      assert.equal(posted.status, 201, JSON.stringify(posted.json));
      const target = await call("POST", "/api/targets", {
        name: "stub",
        kind: "openai-compatible",
        base_url: `${stub.url}/v1`,
        mode: "json_schema",
      });
      const made = await call("POST", "/api/runs", {
        suite_id: posted.json.id,
        target_id: target.json.id,
        public: true,
        options: { quality_pair: true },
      });
      assert.equal(made.status, 202, JSON.stringify(made.json));
      const constrained = await finished(made.json.id);
      const twin = await finished(made.json.pair_run_id);
      for (const run of [constrained, twin]) {
        assert.equal(run.status, "done");
        assert.equal(run.partial, false, run.partial_reason);
      }
      assert.equal(constrained.progress.by_outcome.invalid_json, 1);
      assert.equal(constrained.scores.accuracy.n, n);
      assert.equal(constrained.scores.accuracy.value, 5 / 6);
      assert.equal(twin.scores.accuracy.value, 4 / 6);

      // The board's JSON: both rows, each with its accuracy and interval.
      const items = (await call("GET", "/api/leaderboard.json")).json
        .items as {
          run_id: string;
          target: { mode: string };
          accuracy: Proportion | null;
        }[];
      assert.equal(items.length, 2, JSON.stringify(items));
      const byRun = new Map(items.map((i) => [i.run_id, i]));
      const expected = new Map<string, Proportion>([
        [constrained.id, constrained.scores.accuracy],
        [twin.id, twin.scores.accuracy],
      ]);
      for (const [id, accuracy] of expected) {
        const row = byRun.get(id);
        assert.ok(row, `${id} is not on the board`);
        assert.deepEqual(row.accuracy, accuracy);
        assert.ok(accuracy.low < accuracy.value);
        assert.ok(accuracy.value < accuracy.high);
      }
      assert.equal(byRun.get(twin.id)?.target.mode, "prompt_only");

      // The CSV carries it too.
      const csv = (await (await app.request("/api/leaderboard.csv")).text())
        .trim().split("\r\n").map((line) => line.split(","));
      const header = csv[0];
      const column = header.indexOf("accuracy");
      assert.ok(column >= 0, header.join(","));
      assert.equal(header[column + 1], "accuracy_low");
      for (const line of csv.slice(1)) {
        const id = header.indexOf("run_id");
        const accuracy = expected.get(line[id])!;
        assert.equal(Number(line[column]), accuracy.value);
        assert.equal(Number(line[column + 1]), accuracy.low);
        assert.equal(Number(line[column + 2]), accuracy.high);
        assert.equal(Number(line[column + 3]), accuracy.n);
      }

      // The page: the Quality column shows each accuracy with its interval.
      const board = await (await app.request("/")).text();
      for (const accuracy of expected.values()) {
        assert.ok(
          board.includes(formatPercent(accuracy.value)),
          `the board lacks ${formatPercent(accuracy.value)}`,
        );
        assert.ok(board.includes(formatInterval(accuracy)));
      }
      // By coverage, the twin is first; by quality, the constrained run,
      // and the other way round when asked.
      const order = async (query: string) => {
        const html = await (await app.request(`/${query}`)).text();
        // Each row's compare box names its run (the twin's row also links
        // to the constrained run).
        const at = (id: string) => html.indexOf(`name="run" value="${id}"`);
        assert.ok(at(constrained.id) >= 0 && at(twin.id) >= 0);
        return at(constrained.id) < at(twin.id)
          ? ["constrained", "twin"]
          : ["twin", "constrained"];
      };
      assert.deepEqual(await order("?sort=empirical"), ["twin", "constrained"]);
      assert.deepEqual(await order("?sort=quality"), ["constrained", "twin"]);
      assert.deepEqual(await order("?sort=quality&dir=asc"), [
        "twin",
        "constrained",
      ]);
      const sortedJson = async (query: string) =>
        ((await call("GET", `/api/leaderboard.json${query}`)).json.items as {
          run_id: string;
        }[]).map((i) => i.run_id);
      assert.deepEqual(await sortedJson("?sort=quality"), [
        constrained.id,
        twin.id,
      ]);

      // The constrained run's page: both accuracies, the difference, p,
      // the cases only one side got right and the twin's link.
      const page = await (await app.request(`/runs/${constrained.id}`)).text();
      assert.match(page, /Quality \(accuracy\)/);
      const field = (id: string) => {
        const m = new RegExp(`<dd id="${id}">([\\s\\S]*?)</dd>`).exec(page);
        assert.ok(m, `the run page has no #${id}`);
        return m[1];
      };
      assert.ok(field("accuracy-constrained").startsWith("83.3%"));
      assert.ok(
        field("accuracy-constrained").includes(
          formatInterval(constrained.scores.accuracy),
        ),
      );
      assert.ok(field("accuracy-prompt-only").startsWith("66.7%"));
      assert.match(field("accuracy-difference"), /^\+16\.7 pp \[.+ to .+\]$/);
      // 2 against 1 discordant cases: the exact two-sided p is 1.
      assert.match(field("mcnemar-p"), /^1\.0000/);
      const report = (await call("GET", `/api/runs/${constrained.id}`)).json;
      assert.deepEqual(report.quality.only_constrained_right, [
        keys[1],
        keys[2],
      ]);
      assert.deepEqual(report.quality.only_prompt_only_right, [keys[0]]);
      const section = (id: string) =>
        new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(page)
          ?.[1] ?? "";
      for (const key of [keys[1], keys[2]]) {
        const links = section("only-constrained-right");
        assert.ok(links.includes(`href="${caseHref(constrained.id, key)}"`));
        assert.ok(links.includes(`href="${caseHref(twin.id, key)}"`));
      }
      assert.ok(
        section("only-prompt-only-right").includes(
          `href="${caseHref(constrained.id, keys[0])}"`,
        ),
      );
      assert.match(
        page,
        new RegExp(`<a href="/runs/${twin.id}" id="twin-link">`),
      );
      // A listed case's page answers.
      const casePage = await app.request(caseHref(constrained.id, keys[1]));
      assert.equal(casePage.status, 200);
      await casePage.body?.cancel();

      // The twin's page shows the same pair and links back.
      const twinPage = await (await app.request(`/runs/${twin.id}`)).text();
      assert.ok(twinPage.includes('id="accuracy-difference"'));
      assert.match(
        twinPage,
        new RegExp(`<a href="/runs/${constrained.id}" id="twin-link">`),
      );
    } finally {
      await worker.stop();
      await stub.stop();
    }
  },
);
