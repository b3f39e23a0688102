// Issue 18, item 7: the README checked against behaviour. Every command of
// its task table answers --help with its usage and exit 0 (before it opens
// anything: each runs on an empty DATA_DIR of its own), and the health
// example is what a fresh server answers.
import assert from "node:assert/strict";
import { testApp } from "../server/testing/api.ts";
import { openTestDatabase } from "../server/testing/database.ts";
import { USAGE as RUN_USAGE } from "./run/args.ts";

const README = await Deno.readTextFile(
  new URL("../README.md", import.meta.url),
);

/** The task names of the README's task table (`deno task NAME …` cells). */
function tableTasks(): string[] {
  const start = README.indexOf("## Tasks");
  const table = README.slice(start, README.indexOf("\n### ", start));
  const names = new Set<string>();
  for (const line of table.split("\n")) {
    if (!line.startsWith("| `deno task")) continue;
    const cell = line.split(" | ")[0];
    for (const m of cell.matchAll(/deno task ([\w:-]+)/g)) names.add(m[1]);
  }
  return [...names];
}

Deno.test("README: the task table lists import quality and import gsm8k", () => {
  const table = README.slice(README.indexOf("## Tasks"));
  assert.match(table, /\| `deno task import quality/);
  assert.match(table, /\| `deno task import gsm8k/);
});

Deno.test(
  "README: every command of the task table answers --help and exits 0",
  async () => {
    const tasks = tableTasks();
    assert.ok(tasks.length >= 20, `only ${tasks.length}: ${tasks}`);
    const failures: string[] = [];
    const dataDir = await Deno.makeTempDir({ prefix: "readme-help-" });
    try {
      const queue = [...tasks];
      const one = async () => {
        for (let task = queue.shift(); task; task = queue.shift()) {
          const out = await new Deno.Command(Deno.execPath(), {
            args: ["task", "-q", task, "--help"],
            env: { DATA_DIR: dataDir, NO_COLOR: "1" },
            stdin: "null",
            stdout: "piped",
            stderr: "piped",
            signal: AbortSignal.timeout(120_000),
          }).output();
          const text = new TextDecoder().decode(out.stdout) +
            new TextDecoder().decode(out.stderr);
          if (out.code !== 0 || !/usage/i.test(text)) {
            failures.push(`${task}: exit ${out.code}: ${text.slice(0, 300)}`);
          }
        }
      };
      await Promise.all([one(), one(), one()]);
      // --help opened nothing: the data directory is still empty.
      const left = [];
      for await (const entry of Deno.readDir(dataDir)) left.push(entry.name);
      assert.deepEqual(left, [], "a --help wrote into DATA_DIR");
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
    assert.deepEqual(failures, []);
  },
);

Deno.test("README: the health example is a fresh server's answer", async () => {
  const example = /### `GET \/api\/health`\n\n```json\n([\s\S]*?)\n```/.exec(
    README,
  );
  assert.ok(example, "the README has a health example");
  const database = await openTestDatabase("pglite");
  try {
    const { app } = testApp(database);
    const res = await app.request("/api/health");
    assert.deepEqual(JSON.parse(example[1]), await res.json());
  } finally {
    await database.close();
  }
});

Deno.test("README: the run usage names exactly the flags deno task run takes", () => {
  const block = /### `deno task run`\n\n```\n([\s\S]*?)\n```/.exec(README);
  assert.ok(block, "the README has a run usage block");
  const flags = (text: string) =>
    [...new Set(text.match(/--[a-z][a-z-]*/g) ?? [])].filter((f) =>
      f !== "--help"
    ).sort();
  assert.deepEqual(flags(block[1]), flags(RUN_USAGE));
});
