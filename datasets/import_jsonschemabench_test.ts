import assert from "node:assert/strict";
import { jsonSchemaBenchSuites } from "./import_jsonschemabench.ts";
import { JSONSCHEMABENCH_SUBSETS } from "./jsonschemabench.ts";
import { sharedPath } from "../evaluators/testing/shared_dir.ts";
import { SUITE_LIMITS } from "./testing/suite_limits.ts";

const DIR = sharedPath("datasets/jsonschemabench");

async function lineCount(path: string): Promise<number> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((line) => line.trim() !== "").length;
}

Deno.test("import: all ten JSONSchemaBench subsets, then again the same", async () => {
  const started = performance.now();
  const first = await jsonSchemaBenchSuites({ dir: DIR }, SUITE_LIMITS);
  const seconds = (performance.now() - started) / 1000;
  assert.deepEqual(
    first.map((s) => s.subset).sort(),
    [...JSONSCHEMABENCH_SUBSETS].sort(),
  );
  let total = 0;
  for (const { subset, suite } of first) {
    const lines = await lineCount(`${DIR}/${subset}.jsonl`);
    assert.equal(suite.name, `jsonschemabench/${subset}`);
    assert.equal(suite.cases.length, lines, subset);
    assert.deepEqual(suite.source, {
      kind: "jsonschemabench",
      from: "directory",
      subset,
    });
    total += lines;
  }
  console.log(
    `prepared ${total} cases from 10 subsets in ${seconds.toFixed(1)} s`,
  );

  // Content-addressed: reading again gives the same hashes (saving them
  // again creates nothing new).
  const second = await jsonSchemaBenchSuites({ dir: DIR }, SUITE_LIMITS);
  assert.deepEqual(
    second.map((s) => s.suite.hash),
    first.map((s) => s.suite.hash),
  );
});

Deno.test("import: --subsets and --limit pick cases, and a missing subset is named", async () => {
  const some = await jsonSchemaBenchSuites({
    dir: DIR,
    subsets: ["Snowplow", "Glaiveai2K"],
    limit: 7,
  }, SUITE_LIMITS);
  assert.deepEqual(some.map((s) => [s.suite.name, s.suite.cases.length]), [
    ["jsonschemabench/Snowplow", 7],
    ["jsonschemabench/Glaiveai2K", 7],
  ]);
  assert.equal(some[0].suite.source.limit, 7);
  await assert.rejects(
    () => jsonSchemaBenchSuites({ dir: DIR, subsets: ["Nope"] }, SUITE_LIMITS),
    /Nope\.jsonl/,
  );
});

Deno.test("import: a subset over the limits is a problem naming the limit", async () => {
  await assert.rejects(
    () =>
      jsonSchemaBenchSuites({ dir: DIR, subsets: ["Snowplow"], limit: 7 }, {
        ...SUITE_LIMITS,
        maxCasesPerSuite: 5,
      }),
    /7 cases; the limit is 5 \(MAX_CASES_PER_SUITE\)/,
  );
});

Deno.test("import: an empty subset file says so plainly, and nothing is prepared", async () => {
  const dir = await Deno.makeTempDir({ prefix: "empty_subset_" });
  try {
    await Deno.writeTextFile(`${dir}/Empty.jsonl`, "\n");
    await assert.rejects(
      () => jsonSchemaBenchSuites({ dir }, SUITE_LIMITS),
      /^Error: Empty\.jsonl in .* holds no cases: nothing was imported$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
