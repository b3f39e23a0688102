import assert from "node:assert/strict";
import {
  fetchTestSuiteGitHub,
  parseTestFile,
  readTestSuiteDir,
} from "./json_schema_test_suite.ts";
import { FIXTURE_SHA, startGitHub } from "./testing/test_github_server.ts";

const group = (description: string, valid: boolean[]) =>
  JSON.stringify([{
    description,
    schema: { type: "integer" },
    tests: valid.map((v, i) => ({ description: `t${i}`, data: i, valid: v })),
  }]);

const FILES = {
  "README.md": "# suite",
  "tests/draft7/type.json": group("integer", [true, false]),
  "tests/draft7/enum.json": group("enum", [false]),
  "tests/draft7/optional/bignum.json": group("bignum", [true]),
  "tests/draft2020-12/minimum.json": group("minimum", [true]),
  "tests/draft4/maxLength.json": group("maxLength", [true]),
  "tests/draft3/type.json": group("draft 3", [true]),
  "tests/latest/type.json": group("latest", [true]),
  "remotes/integer.json": '{"type": "integer"}',
};

Deno.test("GitHub: the ref becomes a commit; only tests/<draft>/*.json of the five drafts are fetched", async () => {
  await using github = startGitHub(FILES);
  const seen: number[] = [];
  const suite = await fetchTestSuiteGitHub({
    apiUrl: github.apiUrl,
    rawUrl: github.rawUrl,
    onProgress: (p) => seen.push(p.done),
  });
  assert.equal(suite.revision, FIXTURE_SHA);
  assert.equal(suite.ref, "main");
  assert.equal(suite.from, "github");
  assert.equal(suite.location, "json-schema-org/JSON-Schema-Test-Suite");
  assert.deepEqual(suite.files.map((f) => f.path), [
    "tests/draft4/maxLength.json",
    "tests/draft7/enum.json",
    "tests/draft7/type.json",
    "tests/draft2020-12/minimum.json",
  ]);
  assert.deepEqual(suite.files.map((f) => [f.draft, f.name]), [
    ["draft4", "maxLength"],
    ["draft7", "enum"],
    ["draft7", "type"],
    ["draft2020-12", "minimum"],
  ]);
  assert.equal(suite.files[2].groups[0].tests[0].valid, true);
  assert.deepEqual(seen, [0, 1, 2, 3, 4]);
  const raw = github.requests.filter((r) => r.path.startsWith("/raw/"));
  assert.ok(
    raw.every((r) => r.path.includes(`/${FIXTURE_SHA}/`)),
    "files are read at the resolved commit",
  );
  assert.equal(raw.length, 4);
});

Deno.test("GitHub: an unknown ref, a failing file and a bad file are clear errors", async () => {
  {
    await using github = startGitHub(FILES, {
      rawStatus: { "tests/draft7/enum.json": 503 },
    });
    const roots = { apiUrl: github.apiUrl, rawUrl: github.rawUrl };
    await assert.rejects(
      () => fetchTestSuiteGitHub({ ...roots, ref: "nope" }),
      /commits\/nope: HTTP 422 Unprocessable Entity: No commit found for SHA: nope/,
    );
    await assert.rejects(
      () =>
        fetchTestSuiteGitHub({
          ...roots,
          retry: { retries: 1, baseDelayMs: 1 },
        }),
      /tests\/draft7\/enum\.json: HTTP 503 Service Unavailable after 2 tries: raw failure/,
    );
  }
  {
    await using github = startGitHub({
      ...FILES,
      "tests/draft6/const.json": '[{"description": "no tests", "schema": {}}]',
    });
    await assert.rejects(
      () =>
        fetchTestSuiteGitHub({ apiUrl: github.apiUrl, rawUrl: github.rawUrl }),
      /tests\/draft6\/const\.json: group 0 has no tests array/,
    );
  }
});

Deno.test("parseTestFile names the file and group at fault", () => {
  assert.throws(() => parseTestFile("{", "a.json"), /a\.json: not JSON/);
  assert.throws(
    () => parseTestFile('{"description": "x"}', "a.json"),
    /a\.json: not an array of groups/,
  );
  assert.throws(
    () =>
      parseTestFile(
        '[{"description": "ok", "schema": true, "tests": []}, {"description": "d", "schema": 3, "tests": []}]',
        "a.json",
      ),
    /a\.json: group 1 has no schema object or boolean/,
  );
  assert.throws(
    () =>
      parseTestFile(
        '[{"description": "d", "schema": {}, "tests": [{"data": 1}]}]',
        "a.json",
      ),
    /a\.json: group 0, test 0 has no boolean "valid"/,
  );
});

Deno.test("readTestSuiteDir: a directory without tests/<draft> is an error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      () => readTestSuiteDir(dir),
      /holds no tests\/<draft>\/\*\.json for draft4, draft6, draft7, draft2019-09, draft2020-12/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
