/**
 * The keyword coverage suite (`json-schema-test-suite/keywords`) from a
 * local copy of the JSON Schema Test Suite or from GitHub, prepared for
 * storing (the caller saves it). Content-addressed: the same tests give the
 * same hash wherever they were read from, so saving them again creates
 * nothing new.
 *
 * @example
 * ```ts
 * import { keywordCoverageSuite } from "./import_keyword_coverage.ts";
 * const limits = { maxCasesPerSuite: 20_000, maxSchemaBytes: 1 << 20, maxSchemaDepth: 64 };
 * const { suite } = await keywordCoverageSuite({ from: "github", ref: "main" }, limits);
 * suite.name; // "json-schema-test-suite/keywords"
 * ```
 * @module
 */
import {
  type PreparedSuite,
  prepareSuiteOrThrow,
  type SuiteLimits,
} from "../evaluators/case.ts";
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
 * import type { CoverageImportOptions } from "./import_keyword_coverage.ts";
 * const options: CoverageImportOptions = { from: "github", ref: "main" };
 * ```
 */
export interface CoverageImportOptions extends GitHubSuiteOptions {
  from: string;
}

/**
 * The suite, with what it was built from.
 *
 * @example
 * ```ts
 * import type { CoverageSuite } from "./import_keyword_coverage.ts";
 * declare const result: CoverageSuite;
 * console.log(result.suite.cases.length, result.coverage.skipped.length);
 * ```
 */
export interface CoverageSuite {
  suite: PreparedSuite;
  /** The test suite as read (files, commit). */
  testSuite: TestSuite;
  coverage: KeywordCoverage;
}

/**
 * Reads the test suite and builds the keyword coverage cases as one suite,
 * with the commit (GitHub) or directory in its `source`. Throws a
 * `SuiteProblemError` when the cases break the limits.
 *
 * @example
 * ```ts
 * import { keywordCoverageSuite } from "./import_keyword_coverage.ts";
 * import type { SuiteLimits } from "../evaluators/case.ts";
 * declare const limits: SuiteLimits;
 * const { suite, coverage } = await keywordCoverageSuite({ from: "../JSON-Schema-Test-Suite" }, limits);
 * console.log(suite.cases.length, coverage.skipped.length);
 * ```
 */
export async function keywordCoverageSuite(
  options: CoverageImportOptions,
  limits: SuiteLimits,
): Promise<CoverageSuite> {
  const testSuite = options.from === "github"
    ? await fetchTestSuiteGitHub(options)
    : await readTestSuiteDir(options.from);
  const coverage = keywordCoverage(testSuite.files);
  const drafts = [...new Set(testSuite.files.map((f) => f.draft))];
  const suite = prepareSuiteOrThrow(
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
  return { suite, testSuite, coverage };
}
