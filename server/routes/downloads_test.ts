// The downloads through the whole app, on seeded data, on PGlite and on a
// real PostgreSQL: valid JSON, CSV and JSONL with the right row counts.
import assert from "node:assert/strict";
import type { Database } from "../db/client.ts";
import { dbTest } from "../testing/database.ts";
import { SCRIPT, seedFixture } from "../testing/fixture.ts";
import { seedRun, seedSuite } from "../testing/seed.ts";
import { csvField, csvLine, csvText } from "../http/csv.ts";
import { testApp } from "../testing/api.ts";

async function setup(database: Database) {
  const { app } = testApp(database);
  const fixture = await seedFixture(database);
  const get = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  return { fixture, get };
}

/** A strict RFC 4180 reader: rows of fields; throws on a malformed file. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
        if (![",", "\r", undefined].includes(text[i])) {
          throw new Error(`text after a closing quote at ${i}`);
        }
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"') {
      if (field !== "") throw new Error(`a quote inside a field at ${i}`);
      quoted = true;
      i++;
    } else if (ch === ",") {
      row.push(field);
      field = "";
      i++;
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 2;
    } else if (ch === "\n" || ch === "\r") {
      throw new Error(`a bare line break at ${i}`);
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new Error("an unclosed quote");
  if (field !== "" || row.length > 0) throw new Error("no final CRLF");
  return rows;
}

Deno.test("csv fields are quoted and formulas neutralised", () => {
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField('a "b", c'), '"a ""b"", c"');
  assert.equal(csvField("line\nbreak"), '"line\nbreak"');
  assert.equal(csvField(null), "");
  assert.equal(csvField(0.5), "0.5");
  assert.equal(csvField(false), "false");
  assert.equal(csvText("=1+1"), "'=1+1");
  assert.equal(csvText("-2"), "'-2");
  assert.equal(csvText("{}"), "{}");
  assert.deepEqual(parseCsv(csvLine(["a,b", 'x"y', "z\r\nw", null])), [[
    "a,b",
    'x"y',
    "z\r\nw",
    "",
  ]]);
});

dbTest(
  "leaderboard.json and .csv: the board's rows and filters",
  async (database) => {
    const { fixture, get } = await setup(database);
    const json = await get("/api/leaderboard.json");
    assert.equal(json.status, 200);
    assert.match(json.headers.get("content-type")!, /^application\/json/);
    const board = JSON.parse(json.text);
    assert.equal(board.items.length, 5);
    assert.equal(board.hidden_runs, 1);
    assert.equal(board.next_cursor, null);
    assert.ok(
      !board.items.some((i: { target: { name: string } }) =>
        i.target.name === "secret"
      ),
    );
    const gpt = board.items.find((i: { target: { name: string } }) =>
      i.target.name === "gpt-x"
    );
    assert.equal(gpt.run_id, fixture.runs.gpt.id);
    assert.equal(gpt.empirical_coverage.value, 0.75);
    assert.equal(gpt.empirical_coverage.n, 4);
    assert.equal(gpt.accuracy.value, 0.75);
    assert.equal(gpt.cost_per_1k_cases_usd.toFixed(6), "1.000000");
    assert.equal(gpt.engine.model, "gpt-x-2025");
    // Same filters and order as the page; no pages.
    const sorted = JSON.parse(
      (await get(
        `/api/leaderboard.json?suite=${fixture.alpha.id}&sort=ttft&page=2&per_page=1`,
      )).text,
    );
    assert.deepEqual(
      sorted.items.map((i: { target: { name: string } }) => i.target.name),
      ["prompt-llama", "fast-llama", "hidden-llama", "gpt-x"],
    );
    const openai = JSON.parse(
      (await get("/api/leaderboard.json?kind=openai")).text,
    );
    assert.equal(openai.items.length, 1);

    const csv = await get("/api/leaderboard.csv");
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.match(csv.headers.get("content-disposition")!, /attachment/);
    const rows = parseCsv(csv.text);
    assert.equal(rows.length, 1 + 5);
    const header = rows[0];
    assert.ok(rows.every((r) => r.length === header.length));
    const at = (row: string[], name: string) => row[header.indexOf(name)];
    const gptRow = rows.find((r) => at(r, "target") === "gpt-x")!;
    assert.equal(at(gptRow, "empirical_coverage"), "0.75");
    assert.equal(at(gptRow, "kind"), "openai");
    assert.equal(
      parseCsv((await get("/api/leaderboard.csv?mode=prompt_only")).text)
        .length,
      2,
    );
  },
);

dbTest(
  "results.jsonl and .csv: every result of a run, streamed",
  async (database) => {
    const { fixture, get } = await setup(database);
    const run = fixture.runs.gpt;
    const jsonl = await get(`/api/runs/${run.id}/results.jsonl`);
    assert.equal(jsonl.status, 200);
    assert.match(jsonl.headers.get("content-type")!, /^application\/x-ndjson/);
    const lines = jsonl.text.split("\n");
    assert.equal(lines.pop(), "");
    assert.equal(lines.length, 4);
    const records = lines.map((l) => JSON.parse(l));
    assert.deepEqual(records.map((r) => r.key), [
      "k1",
      "k2",
      "nested/k3",
      "k4",
    ]);
    assert.equal(records[0].outcome, "schema_violation");
    assert.equal(JSON.parse(records[0].raw_output).name, SCRIPT);
    assert.equal(records[0].errors[0].instance_path, "/name");
    assert.ok(records.every((r) => r.run_id === run.id));

    const csv = await get(`/api/runs/${run.id}/results.csv`);
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
    const rows = parseCsv(csv.text);
    assert.equal(rows.length, 1 + 4);
    const header = rows[0];
    assert.ok(rows.every((r) => r.length === header.length));
    const raw = rows[1][header.indexOf("raw_output")];
    assert.equal(JSON.parse(raw).name, SCRIPT); // commas and quotes survive
    assert.equal(rows[1][header.indexOf("failing_keywords")], "type");

    // A running run: pending results are included, with no outcome.
    const running = await get(
      `/api/runs/${fixture.runs.running.id}/results.jsonl`,
    );
    assert.equal(running.text.trim().split("\n").length, 2);
    assert.equal(
      (await get(`/api/runs/${crypto.randomUUID()}/results.jsonl`)).status,
      404,
    );
    assert.equal(
      (await get(`/api/runs/${crypto.randomUUID()}/results.csv`)).status,
      404,
    );
  },
);

dbTest("results.jsonl: more results than one batch", async (database) => {
  const { fixture, get } = await setup(database);
  const suite = await seedSuite(
    database,
    "wide",
    Array.from({ length: 1203 }, (_, i) => ({ key: `c${i}`, schema: {} })),
  );
  const run = await seedRun(database, {
    suite,
    target: fixture.targets.fast,
    results: (_key, i) => i % 2 ? { outcome: "valid", rawOutput: "{}" } : null,
  });
  const text = (await get(`/api/runs/${run.id}/results.jsonl`)).text;
  const keys = text.trim().split("\n").map((l) => JSON.parse(l).key);
  assert.equal(keys.length, 1203);
  assert.equal(new Set(keys).size, 1203);
  assert.equal(keys[1202], "c1202");
  const csv = parseCsv((await get(`/api/runs/${run.id}/results.csv`)).text);
  assert.equal(csv.length, 1 + 1203);
});
