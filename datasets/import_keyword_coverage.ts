/**
 * Imports the keyword coverage suite (`json-schema-test-suite/keywords`)
 * from a local copy of the JSON Schema Test Suite or from GitHub.
 * Content-addressed: importing the same tests again creates nothing new,
 * wherever they were read from.
 *
 * @example
 * ```ts
 * import { importKeywordCoverage } from "./import_keyword_coverage.ts";
 * import type { Database } from "../server/db/client.ts";
 * import type { SuiteLimits } from "../server/suites/prepare.ts";
 * declare const database: Database;
 * declare const limits: SuiteLimits;
 * const result = await importKeywordCoverage(database, { from: "github", ref: "main" }, limits);
 * result.created; // true the first time
 * ```
 * @module
 */
import type { Database } from "../server/db/client.ts";
import { saveSuite, type SuiteRow } from "../server/db/queries/suites.ts";
import { prepareSuite, type SuiteLimits } from "../server/suites/prepare.ts";
import {
  fetchTestSuiteGitHub,
  type GitHubSuiteOptions,
  readTestSuiteDir,
  type TestSuite,
} from "./json_schema_test_suite.ts";
import {
  KEYWORD_COVERAGE_SUITE,
  type KeywordCoverage,
  keywordCoverage,
} from "./keyword_coverage.ts";

/**
 * Where to read the suite from: `from` is a directory, or `"github"` (then
 * the {@link GitHubSuiteOptions} apply).
 *
 * @example
 * ```ts
 * const options: CoverageImportOptions = { from: "github", ref: "main" };
 * ```
 */
export interface CoverageImportOptions extends GitHubSuiteOptions {
  from: string;
}

/**
 * What an import did.
 *
 * @example
 * ```ts
 * import type { Database } from "../server/db/client.ts";
 * import type { SuiteLimits } from "../server/suites/prepare.ts";
 * declare const database: Database;
 * declare const dir: string;
 * declare const limits: SuiteLimits;
 * const { suite, created, coverage } = await importKeywordCoverage(database, { from: dir }, limits);
 * ```
 */
export interface ImportedCoverage {
  suite: SuiteRow;
  created: boolean;
  /** The test suite as read (files, commit). */
  testSuite: TestSuite;
  coverage: KeywordCoverage;
  ms: number;
}

/**
 * Reads the test suite, builds the keyword coverage cases and saves them as
 * one suite, with the commit (GitHub) or directory in its `source`.
 *
 * @example
 * ```ts
 * import type { Database } from "../server/db/client.ts";
 * import type { SuiteLimits } from "../server/suites/prepare.ts";
 * declare const database: Database;
 * declare const limits: SuiteLimits;
 * const { suite, coverage } = await importKeywordCoverage(database, { from: "../JSON-Schema-Test-Suite" }, limits);
 * console.log(suite.caseCount, coverage.skipped.length);
 * ```
 */
export async function importKeywordCoverage(
  database: Database,
  options: CoverageImportOptions,
  limits: SuiteLimits,
): Promise<ImportedCoverage> {
  const started = performance.now();
  const testSuite = options.from === "github"
    ? await fetchTestSuiteGitHub(options)
    : await readTestSuiteDir(options.from);
  const coverage = keywordCoverage(testSuite.files);
  const drafts = [...new Set(testSuite.files.map((f) => f.draft))];
  const prepared = prepareSuite(
    {
      name: KEYWORD_COVERAGE_SUITE,
      description:
        `The JSON Schema Test Suite as generation tasks: one case per test group with a valid instance (${
          drafts.join(", ")
        }; ${coverage.skipped.length} groups needing remote documents left out)`,
      cases: coverage.cases,
    },
    {
      kind: "json-schema-test-suite",
      from: testSuite.from,
      ...(testSuite.from === "github"
        ? {
          repository: testSuite.location,
          ref: testSuite.ref,
          revision: testSuite.revision,
        }
        : { path: testSuite.location }),
      drafts,
      groups: coverage.groups,
      without_valid: coverage.withoutValid,
      skipped: coverage.skipped.length,
    },
    limits,
  );
  const { suite, created } = await saveSuite(database, prepared);
  return {
    suite,
    created,
    testSuite,
    coverage,
    ms: performance.now() - started,
  };
}
