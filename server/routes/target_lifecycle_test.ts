// Issue 18, item 4: a target changes in place only where stored results do
// not depend on it (PATCH), is copied for anything else, and is retired
// (off the lists, the hints and the board, history kept); suites retire too.
import assert from "node:assert/strict";
import { dbTest } from "../testing/database.ts";
import { testApp } from "../testing/api.ts";
import { seedRun, seedSuite } from "../testing/seed.ts";
import { getTarget } from "../db/queries/targets.ts";
import { answerChecker } from "../testing/openapi.ts";

const TARGET = {
  name: "typo-target",
  kind: "openai-compatible",
  base_url: "http://127.0.0.1:9/v1",
  model: "m",
  mode: "json_schema",
  params: { temperature: 0 },
};

dbTest(
  "targets: PATCH renames, copy makes a new target for a meaning change, retire takes it off the list and the board",
  async (database) => {
    const { call, app } = testApp(database);
    const made = (await call("POST", "/api/targets", TARGET)).json;

    const renamed = await call("PATCH", `/api/targets/${made.id}`, {
      name: "tiny-local",
      description: "the tiny model",
      max_concurrency: 2,
    });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.json));
    assert.equal(renamed.json.name, "tiny-local");
    assert.equal(renamed.json.description, "the tiny model");
    assert.equal(renamed.json.max_concurrency, 2);
    assert.equal(
      (await call("GET", "/api/targets/tiny-local")).json.id,
      made.id,
    );

    const meaning = await call("PATCH", `/api/targets/${made.id}`, {
      model: "other",
    });
    assert.equal(meaning.status, 400);
    assert.equal(meaning.json.error.code, "changes_meaning");
    assert.match(meaning.json.error.message, /copy/);

    const copy = await call("POST", `/api/targets/tiny-local/copy`, {
      name: "tiny-local-prompt",
      mode: "prompt_only",
    });
    assert.equal(copy.status, 201, JSON.stringify(copy.json));
    assert.notEqual(copy.json.id, made.id);
    assert.equal(copy.json.mode, "prompt_only");
    assert.equal(copy.json.model, "m");
    assert.deepEqual(copy.json.params, { temperature: 0 });
    const taken = await call("POST", `/api/targets/${made.id}/copy`, {
      name: "tiny-local",
    });
    assert.equal(taken.status, 409);
    const clash = await call("PATCH", `/api/targets/${copy.json.id}`, {
      name: "tiny-local",
    });
    assert.equal(clash.status, 409);

    // On the board before, off it after; its run stays readable.
    const suite = await seedSuite(database, "s", [
      { key: "a", schema: { type: "object" } },
    ]);
    const run = await seedRun(database, {
      suite,
      target: (await getTarget(database, made.id))!,
      results: () => ({ outcome: "valid" }),
    });
    const board = async () =>
      (await (await app.request("/api/leaderboard.json")).json()).items
        .length;
    assert.equal(await board(), 1);
    const retired = await call("POST", `/api/targets/${made.id}/retire`);
    assert.equal(retired.status, 200);
    assert.ok(retired.json.retired_at);
    assert.equal(await board(), 0);
    const names = (await call("GET", "/api/targets")).json.items.map((
      t: { name: string },
    ) => t.name);
    assert.deepEqual(names, ["tiny-local-prompt"]);
    const all = (await call("GET", "/api/targets?retired=true")).json.items;
    assert.equal(all.length, 2);
    assert.equal((await call("GET", `/api/runs/${run.id}`)).status, 200);
    // A refusal's hint no longer offers it.
    const hint = await call("POST", "/api/runs", {
      suite: "s",
      target: "tiny",
    });
    assert.doesNotMatch(hint.json.error.message, /"tiny-local"|tiny-local,/);
    assert.match(hint.json.error.message, /tiny-local-prompt/);

    const back = await call("POST", `/api/targets/${made.id}/unretire`);
    assert.equal(back.json.retired_at, null);
    assert.equal(await board(), 1);

    // Every answer is the one the OpenAPI document describes.
    const check = answerChecker();
    const answers: [string, string, { status: number; json: unknown }][] = [
      ["patch", "/api/targets/{id}", renamed],
      ["patch", "/api/targets/{id}", meaning],
      ["post", "/api/targets/{id}/copy", copy],
      ["post", "/api/targets/{id}/copy", taken],
      ["post", "/api/targets/{id}/retire", retired],
      ["post", "/api/targets/{id}/unretire", back],
      ["post", "/api/runs", hint],
    ];
    for (const [method, path, answer] of answers) {
      assert.deepEqual(check(method, path, answer.status, answer.json), []);
    }
  },
);

dbTest(
  "suites: retire takes a version off the list and the board, its runs kept",
  async (database) => {
    const { call, app } = testApp(database);
    const suite = await seedSuite(database, "old-suite", [
      { key: "a", schema: { type: "object" } },
    ]);
    const target = (await call("POST", "/api/targets", TARGET)).json;
    const run = await seedRun(database, {
      suite,
      target: (await getTarget(database, target.id))!,
      results: () => ({ outcome: "valid" }),
    });
    const retired = await call("POST", `/api/suites/${suite.id}/retire`);
    assert.equal(retired.status, 200);
    assert.ok(retired.json.retired_at);
    assert.equal((await call("GET", "/api/suites")).json.items.length, 0);
    assert.equal(
      (await call("GET", "/api/suites?retired=true")).json.items.length,
      1,
    );
    const board = await (await app.request("/api/leaderboard.json")).json();
    assert.equal(board.items.length, 0);
    assert.equal((await call("GET", `/api/runs/${run.id}`)).status, 200);
    assert.equal(
      (await call("POST", "/api/suites/nope/retire")).status,
      404,
    );
  },
);
