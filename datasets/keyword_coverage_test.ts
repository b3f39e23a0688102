import assert from "node:assert/strict";
import {
  detectDraft,
  DRAFTS,
  META_SCHEMA_URI,
} from "../evaluators/validation/draft.ts";
import { SchemaValidator } from "../evaluators/validation/validate.ts";
import { readTestSuiteDir } from "./json_schema_test_suite.ts";
import { keywordCoverage, TEST_SUITE_REMOTES } from "./keyword_coverage.ts";
import { sharedPath } from "../evaluators/testing/shared_dir.ts";

const DIR = sharedPath("datasets/json-schema-test-suite");

interface RawGroup {
  description: string;
  schema: unknown;
  tests: { valid: boolean }[];
}

/** Every group of the five drafts, read straight from the files. */
async function readGroups(): Promise<Map<string, RawGroup>> {
  const groups = new Map<string, RawGroup>();
  for (const draft of DRAFTS) {
    for await (const entry of Deno.readDir(`${DIR}/tests/${draft}`)) {
      if (!entry.isFile || !entry.name.endsWith(".json")) continue;
      const list: RawGroup[] = JSON.parse(
        await Deno.readTextFile(`${DIR}/tests/${draft}/${entry.name}`),
      );
      list.forEach((g, i) =>
        groups.set(`${draft}/${entry.name.replace(/\.json$/, "")}/${i}`, g)
      );
    }
  }
  return groups;
}

Deno.test("keyword coverage: one case per group with a valid instance, remote ones skipped", async () => {
  const groups = await readGroups();
  const withValid = [...groups].filter(([, g]) => g.tests.some((t) => t.valid));
  const coverage = keywordCoverage((await readTestSuiteDir(DIR)).files);

  assert.equal(coverage.groups, groups.size);
  assert.equal(coverage.withoutValid, groups.size - withValid.length);
  assert.equal(
    coverage.cases.length + coverage.skipped.length,
    withValid.length,
  );
  const keys = new Set(coverage.cases.map((c) => c.key));
  const skipped = new Set(coverage.skipped.map((s) => s.key));
  for (const [key] of withValid) {
    assert.ok(keys.has(key) !== skipped.has(key), `${key}: case xor skipped`);
  }

  // Skipped groups all reach for the suite's remotes; every refRemote group
  // is among them; groups that only name localhost in their own $ids stay.
  for (const s of coverage.skipped) {
    assert.ok(
      JSON.stringify(groups.get(s.key)!.schema).includes(TEST_SUITE_REMOTES),
      s.key,
    );
    assert.match(s.reason, /http:\/\/localhost:1234\//);
  }
  for (const [key] of withValid) {
    if (key.includes("/refRemote/")) assert.ok(skipped.has(key), key);
  }
  for (
    const kept of [
      "draft4/ref/10",
      "draft7/ref/16",
      "draft2020-12/ref/11",
      "draft2020-12/anchor/1",
    ]
  ) {
    if (groups.has(kept)) assert.ok(keys.has(kept), kept);
  }
  const kinds = Object.groupBy(coverage.skipped, (s) => s.kind);
  console.log(
    `keyword coverage: ${groups.size} groups, ${withValid.length} with a valid instance, ${coverage.cases.length} cases, ${coverage.skipped.length} skipped (${
      kinds.remote_ref?.length ?? 0
    } $ref to remotes, ${
      kinds.remote_meta_schema?.length ?? 0
    } remote $schema)`,
  );

  for (const c of coverage.cases) {
    const [draft, file, index] = c.key.split("/");
    const group = groups.get(c.key)!;
    assert.equal(c.subset, draft);
    assert.deepEqual(c.tags, [draft, `keyword:${file}`]);
    assert.ok(Number.isInteger(Number(index)));
    assert.equal(
      c.prompt,
      `Generate a JSON instance for: ${group.description}`,
    );
    if (typeof group.schema === "boolean") {
      assert.equal(c.schema, group.schema);
      continue;
    }
    const schema = c.schema as Record<string, unknown>;
    const original = group.schema as Record<string, unknown>;
    assert.equal(
      schema.$schema,
      original.$schema ??
        META_SCHEMA_URI[draft as keyof typeof META_SCHEMA_URI],
    );
    assert.deepEqual({ ...schema, $schema: original.$schema }, {
      ...original,
      $schema: original.$schema,
    });
    if (original.$schema === undefined) {
      assert.equal(detectDraft(schema).draft, draft, c.key);
    }
  }
});

Deno.test("keyword coverage: the cases compile (the few that do not are Ajv's limits)", async () => {
  const coverage = keywordCoverage((await readTestSuiteDir(DIR)).files);
  const validator = new SchemaValidator();
  const failed = coverage.cases.flatMap((c) => {
    const compiled = validator.compile(c.schema);
    return compiled.ok
      ? []
      : [`${c.key}: ${compiled.kind}: ${compiled.reason.slice(0, 100)}`];
  });
  console.log(
    `keyword coverage: ${failed.length} of ${coverage.cases.length} do not compile\n${
      failed.map((f) => `  ${f}`).join("\n")
    }`,
  );
  assert.ok(failed.length <= coverage.cases.length / 100, failed.join("\n"));
});

Deno.test("keyword coverage: a boolean schema stays, a group with no valid instance makes no case", () => {
  const coverage = keywordCoverage([{
    draft: "draft6",
    name: "boolean_schema",
    path: "tests/draft6/boolean_schema.json",
    groups: [
      {
        description: "boolean schema 'true'",
        schema: true,
        tests: [{ description: "number", data: 1, valid: true }],
      },
      {
        description: "boolean schema 'false'",
        schema: false,
        tests: [{ description: "number", data: 1, valid: false }],
      },
    ],
  }]);
  assert.deepEqual(coverage.cases, [{
    key: "draft6/boolean_schema/0",
    schema: true,
    prompt: "Generate a JSON instance for: boolean schema 'true'",
    subset: "draft6",
    tags: ["draft6", "keyword:boolean_schema"],
  }]);
  assert.equal(coverage.withoutValid, 1);
});
