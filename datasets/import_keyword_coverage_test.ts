import assert from "node:assert/strict";
import { keywordCoverageSuite } from "./import_keyword_coverage.ts";
import { sharedPath } from "../evaluators/testing/shared_dir.ts";
import { FIXTURE_SHA, startGitHub } from "./testing/test_github_server.ts";
import { SUITE_LIMITS } from "./testing/suite_limits.ts";

const DIR = sharedPath("datasets/json-schema-test-suite");

/** Every file under tests/ of the shared copy, by its path in the suite. */
async function suiteFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = async (relative: string) => {
    for await (const entry of Deno.readDir(`${DIR}/${relative}`)) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else files[path] = await Deno.readTextFile(`${DIR}/${path}`);
    }
  };
  await walk("tests");
  return files;
}

Deno.test("keyword coverage import: from a directory, again, then from GitHub", async () => {
  const limits = SUITE_LIMITS;
  const first = await keywordCoverageSuite({ from: DIR }, limits);
  assert.equal(first.suite.name, "json-schema-test-suite/keywords");
  assert.equal(first.suite.cases.length, first.coverage.cases.length);
  assert.deepEqual(first.suite.source, {
    kind: "json-schema-test-suite",
    from: "directory",
    path: DIR,
    drafts: ["draft4", "draft6", "draft7", "draft2019-09", "draft2020-12"],
    groups: first.coverage.groups,
    without_valid: first.coverage.withoutValid,
    skipped: first.coverage.skipped.length,
  });
  const cases = first.suite.cases;
  assert.equal(cases[0].key, "draft4/additionalItems/0");
  assert.equal(cases[0].draft, "draft4");
  assert.deepEqual(cases[0].tags, ["draft4", "keyword:additionalItems"]);

  // Content-addressed: the same tests give the same hash (saving them again
  // creates nothing new).
  const again = await keywordCoverageSuite({ from: DIR }, limits);
  assert.equal(again.suite.hash, first.suite.hash);

  // The same tests served by GitHub: the same content.
  const files = await suiteFiles();
  {
    await using github = startGitHub(files);
    const remote = await keywordCoverageSuite({
      from: "github",
      apiUrl: github.apiUrl,
      rawUrl: github.rawUrl,
    }, limits);
    assert.equal(remote.testSuite.revision, FIXTURE_SHA);
    assert.equal(remote.suite.hash, first.suite.hash);
    assert.equal(
      github.requests.filter((r) => r.path.startsWith("/raw/")).length,
      remote.testSuite.files.length,
      "optional/ is not fetched",
    );
  }

  // A changed test file at another commit: new content, with its revision.
  const changed = JSON.parse(files["tests/draft7/type.json"]);
  changed[0].description = "integer type matches integers (changed)";
  {
    await using github = startGitHub({
      ...files,
      "tests/draft7/type.json": JSON.stringify(changed),
    }, { refs: ["v2"] });
    const next = await keywordCoverageSuite({
      from: "github",
      ref: "v2",
      apiUrl: github.apiUrl,
      rawUrl: github.rawUrl,
    }, limits);
    assert.notEqual(next.suite.hash, first.suite.hash);
    assert.equal(next.suite.name, first.suite.name);
    assert.equal(next.suite.source.from, "github");
    assert.equal(next.suite.source.ref, "v2");
    assert.equal(next.suite.source.revision, FIXTURE_SHA);
    assert.equal(
      next.suite.source.repository,
      "json-schema-org/JSON-Schema-Test-Suite",
    );
  }
});
