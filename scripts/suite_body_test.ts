// What `deno task import` sends through a holding server is a body the API
// takes: the importers' sources (a list of drafts, rows per split) included.
import assert from "node:assert/strict";
import { keywordCoverageSuite } from "../datasets/import_keyword_coverage.ts";
import { jsonSchemaBenchSuites } from "../datasets/import_jsonschemabench.ts";
import { SUITE_LIMITS } from "../datasets/testing/suite_limits.ts";
import { sharedPath } from "../evaluators/testing/shared_dir.ts";
import { checkBody } from "../server/http/request_body.ts";
import { suiteBody } from "./suite_body.ts";

Deno.test("suiteBody: the importers' suites are bodies POST /api/suites takes", async () => {
  const coverage = await keywordCoverageSuite(
    { from: sharedPath("datasets/json-schema-test-suite") },
    SUITE_LIMITS,
  );
  const body = suiteBody(coverage.suite);
  assert.ok(Array.isArray((body.source as { drafts: unknown }).drafts));
  checkBody("suite_create", body);

  const [bench] = await jsonSchemaBenchSuites({
    dir: sharedPath("datasets/jsonschemabench"),
    subsets: ["Glaiveai2K"],
    limit: 3,
  }, SUITE_LIMITS);
  checkBody("suite_create", suiteBody(bench.suite));
  // The hub's source keeps its rows per split as a map.
  checkBody("suite_create", {
    ...suiteBody(bench.suite),
    source: {
      kind: "jsonschemabench",
      from: "hub",
      rows: { train: 1000, test: 400 },
    },
  });
  // Deeper nesting is still refused.
  assert.throws(() =>
    checkBody("suite_create", {
      ...suiteBody(bench.suite),
      source: { kind: "x", rows: { train: { a: 1 } } },
    })
  );
});
