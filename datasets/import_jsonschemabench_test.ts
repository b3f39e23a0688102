import assert from "node:assert/strict";
import { countCases } from "../server/db/queries/suites.ts";
import { dbTest } from "../server/testing/database.ts";
import { readEnv } from "../server/env.ts";
import { importJsonSchemaBench } from "./import_jsonschemabench.ts";
import { JSONSCHEMABENCH_SUBSETS } from "./jsonschemabench.ts";
import { sharedPath } from "./shared_dir.ts";

const DIR = sharedPath("datasets/jsonschemabench");

async function lineCount(path: string): Promise<number> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((line) => line.trim() !== "").length;
}

dbTest(
  "import: all ten JSONSchemaBench subsets, then again",
  async (database) => {
    const limits = readEnv({});
    const started = performance.now();
    const first = await importJsonSchemaBench(database, { dir: DIR }, limits);
    const seconds = (performance.now() - started) / 1000;
    assert.deepEqual(
      first.map((s) => s.subset).sort(),
      [...JSONSCHEMABENCH_SUBSETS].sort(),
    );
    let total = 0;
    for (const imported of first) {
      assert.equal(imported.created, true);
      const lines = await lineCount(`${DIR}/${imported.subset}.jsonl`);
      assert.equal(imported.suite.caseCount, lines, imported.subset);
      total += lines;
    }
    assert.equal(await countCases(database), total);
    console.log(
      `imported ${total} cases from 10 subsets in ${
        seconds.toFixed(1)
      } s (${database.kind})`,
    );

    const second = await importJsonSchemaBench(database, { dir: DIR }, limits);
    assert.ok(second.every((s) => !s.created));
    assert.deepEqual(
      second.map((s) => s.suite.id),
      first.map((s) => s.suite.id),
    );
    assert.equal(await countCases(database), total);
  },
);

dbTest(
  "import: --subsets and --limit pick cases, and a missing subset is named",
  async (database) => {
    const limits = readEnv({});
    const some = await importJsonSchemaBench(database, {
      dir: DIR,
      subsets: ["Snowplow", "Glaiveai2K"],
      limit: 7,
    }, limits);
    assert.deepEqual(some.map((s) => [s.suite.name, s.suite.caseCount]), [
      ["jsonschemabench/Snowplow", 7],
      ["jsonschemabench/Glaiveai2K", 7],
    ]);
    await assert.rejects(
      () =>
        importJsonSchemaBench(
          database,
          { dir: DIR, subsets: ["Nope"] },
          limits,
        ),
      /Nope\.jsonl/,
    );
  },
);
