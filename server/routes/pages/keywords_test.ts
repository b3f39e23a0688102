// The keyword × engine matrix from seeded runs, on PGlite and PostgreSQL:
// a cell in each state (refused, unsound, adapted, coverage), a
// prompt_only column that shows coverage only, the start-up backfill
// (idempotent), and the downloads.
import assert from "node:assert/strict";
import type { Database } from "../../db/client.ts";
import {
  backfillKeywordStats,
  keywordStatsOf,
} from "../../db/queries/keyword_stats.ts";
import { startStubEngine } from "../../../evaluators/targets/testing/stub_engine.ts";
import { dbTest } from "../../testing/database.ts";
import { testApp } from "../../testing/api.ts";
import {
  type SeedResult,
  seedRun,
  seedSuite,
  seedTarget,
} from "../../testing/seed.ts";

const NUMBER = {
  type: "object",
  properties: { a: { type: "integer", minimum: 0 } },
};
const REF = { $ref: "#/$defs/x", $defs: { x: { type: "string" } } };

async function seedMatrix(database: Database) {
  const suite = await seedSuite(database, "kw", [
    { key: "n1", schema: NUMBER },
    { key: "n2", schema: NUMBER },
    { key: "n3", schema: NUMBER },
    { key: "n4", schema: NUMBER },
    { key: "r1", schema: REF },
    { key: "r2", schema: REF },
    { key: "e1", schema: { type: "string", format: "email" } },
    { key: "d1", schema: { type: "string", format: "date" } },
  ]);
  const violated = (keyword: string): SeedResult => ({
    outcome: "schema_violation",
    errors: [{
      keyword,
      instance_path: "/a",
      schema_path: `#/properties/a/${keyword}`,
      message: "no",
    }],
    failingKeywords: [keyword],
  });
  const valid: SeedResult = { outcome: "valid" };
  const llama = await seedTarget(database, { name: "llama-schema" });
  const gpt = await seedTarget(database, {
    name: "gpt-strict",
    kind: "openai",
    model: "gpt-x",
  });
  const prompt = await seedTarget(database, {
    name: "llama-prompt",
    mode: "prompt_only",
  });
  const runs = {
    llama: await seedRun(database, {
      suite,
      target: llama,
      results: (key) =>
        key === "n1" || key === "n2"
          ? violated("minimum")
          : key.startsWith("r")
          ? { outcome: "unsupported_schema" }
          : key === "d1"
          ? violated("format")
          : valid,
    }),
    gpt: await seedRun(database, {
      suite,
      target: gpt,
      // The adapt step drops `format` for this provider.
      results: (key) =>
        key === "e1" || key === "d1"
          ? { outcome: "valid", sentSchema: { type: "string" } }
          : valid,
    }),
    prompt: await seedRun(database, {
      suite,
      target: prompt,
      results: (key) =>
        key.startsWith("n") ? violated("minimum") : { outcome: "invalid_json" },
    }),
  };
  return { suite, runs };
}

/** Each cell's state and text, by keyword and then target. */
function cells(html: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const table = html.slice(html.indexOf('id="keyword-matrix"'));
  for (const [, row] of table.matchAll(/<tr>(.*?)<\/tr>/gs)) {
    const keyword = row.match(/<th scope="row"><code>([^<]+)<\/code>/)?.[1];
    if (!keyword) continue;
    out.set(
      keyword,
      [...row.matchAll(/<td class="cell ([^"]+)"[^>]*>([^<]*)/g)].map((m) =>
        `${m[1]}:${m[2]}`
      ),
    );
  }
  return out;
}

dbTest(
  "keyword matrix: refused, unsound, adapted, coverage, prompt_only",
  async (database) => {
    const { app } = testApp(database);
    const { suite, runs } = await seedMatrix(database);
    // Seeded runs finish without the worker: the backfill tallies them, once.
    assert.equal(await backfillKeywordStats(database), 3);
    assert.equal(await backfillKeywordStats(database), 0);

    const res = await app.request(`/keywords?suite=${suite.id}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    // Columns in board order (rank, then the name): gpt and llama-schema
    // tie on coverage intervals, prompt last.
    const heads = [
      ...html.matchAll(/<th scope="col"><a href="\/runs\/([^"]+)">/g),
    ]
      .map((m) => m[1]);
    assert.equal(heads.length, 3);
    const col = (runId: string) => heads.indexOf(runId);
    const grid = cells(html);
    const at = (keyword: string, runId: string) =>
      grid.get(keyword)?.[col(runId)] ?? "missing";
    // Refused: every case using $ref was unsupported_schema on llama.
    assert.equal(at("$ref", runs.llama.id), "cell-refused:refused");
    // Unsound: 2 of 4 cases violated minimum on a constraining target.
    assert.equal(at("minimum", runs.llama.id), "cell-unsound:unsound");
    // Adapted: the provider was sent the schema without format: email.
    assert.equal(at("format:email", runs.gpt.id), "cell-adapted:adapted");
    // Coverage: gpt got every minimum case right (the darkest step).
    assert.equal(at("minimum", runs.gpt.id), "heat-8:100%");
    // One violation of a format value is below the unsound bar: coverage.
    assert.equal(at("format:date", runs.llama.id), "heat-0:0%");
    // prompt_only: four violations, still coverage only.
    assert.equal(at("minimum", runs.prompt.id), "heat-0:0%");
    // Rows grouped as the spec groups them, a row per format value.
    const groups = [...html.matchAll(/<th scope="rowgroup"[^>]*>([^<]+)</g)]
      .map((m) => m[1]);
    assert.deepEqual(groups, [
      "applicators",
      "validation",
      "formats",
      "references",
    ]);
    assert.ok(grid.has("format:email") && grid.has("format:date"));
    assert.ok(!grid.has("format"), "a bare format row beside the values");
    // n and the interval are in the cell's text for screen readers.
    assert.match(
      html,
      /heat-8" data-state="coverage" title="minimum on gpt-strict: empirical coverage 100\.0% \[51\.0–100\.0\], n=4/,
    );
    // Linked from the board and from each run.
    const board = await (await app.request(`/?suite=${suite.id}`)).text();
    assert.ok(board.includes(`href="/keywords?suite=${suite.id}"`));
    const report = await (await app.request(`/runs/${runs.llama.id}`)).text();
    assert.ok(report.includes(`href="/keywords?suite=${suite.id}"`));

    // The downloads: one record per (keyword, target).
    const json =
      await (await app.request(`/api/keywords.json?suite=${suite.id}`))
        .json();
    const record = json.items.find((r: { keyword: string; run_id: string }) =>
      r.keyword === "minimum" && r.run_id === runs.llama.id
    );
    assert.equal(record.state, "unsound");
    assert.equal(record.violations, 2);
    assert.equal(json.thresholds.unsound_min_cases, 2);
    const csv = await (await app.request(`/api/keywords.csv?suite=${suite.id}`))
      .text();
    assert.match(csv, /^group,keyword,target,/);
    assert.match(csv, /\r\nreferences,\$ref,llama-schema,[^\r]*,refused,2,/);
    // No such suite: 404.
    assert.equal((await app.request("/keywords?suite=nope")).status, 404);
  },
);

dbTest(
  "keyword matrix: a run the worker finishes is tallied at once",
  async (database) => {
    const engine = await startStubEngine({ reply: '{"a": -1}' });
    const { app, worker, call, finished } = testApp(database);
    worker.start();
    try {
      const suite = await call("POST", "/api/suites", {
        name: "tallied",
        cases: ["x", "y"].map((key) => ({ key, schema: NUMBER })),
      });
      const target = await call("POST", "/api/targets", {
        name: "stub-llama",
        kind: "llamacpp",
        base_url: engine.url,
        mode: "json_schema",
      });
      const run = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
        public: true,
      });
      assert.equal(run.status, 202, JSON.stringify(run.json));
      assert.equal((await finished(run.json.id, 30_000)).status, "done");
      // No backfill ran: the worker's finish stored the tally.
      const stats = await keywordStatsOf(database, [run.json.id]);
      assert.deepEqual(stats.get(run.json.id)?.minimum, {
        cases: 2,
        e: 2,
        valid: 0,
        unsupported: 0,
        violations: 2,
        adapted: 0,
      });
      assert.equal(await backfillKeywordStats(database), 0);
      const html = await (await app.request(`/keywords?suite=${suite.json.id}`))
        .text();
      assert.match(html, /data-state="unsound"/);
    } finally {
      await worker.stop();
      await engine.stop();
    }
  },
);
