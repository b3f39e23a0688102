/**
 * The keyword coverage suite: the official JSON Schema Test Suite turned
 * into generation tasks. Each test group with at least one valid instance
 * becomes one case — "write an instance of this schema" is then known to
 * have an answer. The key is `<draft>/<file>/<group index>`, the subset the
 * draft, the tags the draft and `keyword:<file>`; an object schema without
 * `$schema` gets its draft's meta-schema URI, so that it is validated under
 * the draft it was written for.
 *
 * Groups that need the suite's remote documents (`http://localhost:1234/…`,
 * served by a test harness, never by us) are skipped, each with its reason.
 *
 * @example
 * ```ts
 * import { keywordCoverage } from "./keyword_coverage.ts";
 * import { readTestSuiteDir } from "./json_schema_test_suite.ts";
 * declare const dir: string; // a local copy of the suite
 * const coverage = keywordCoverage((await readTestSuiteDir(dir)).files);
 * coverage.cases[0].key; // "draft4/additionalItems/0"
 * coverage.skipped.length;
 * ```
 * @module
 */
import { META_SCHEMA_URI } from "../evaluators/validation/draft.ts";
import type { CaseInput } from "../evaluators/case.ts";
import { externalReferences } from "./external_refs.ts";
import type { TestSuiteFile } from "./json_schema_test_suite.ts";

/**
 * The suite's name.
 *
 * @example
 * ```ts
 * await fetch(`/api/suites?name=${KEYWORD_COVERAGE_SUITE}`);
 * ```
 */
export const KEYWORD_COVERAGE_SUITE = "json-schema-test-suite/keywords";

/**
 * Where the test suite's remote documents live (its harness serves
 * `remotes/` there).
 *
 * @example
 * ```ts
 * "http://localhost:1234/integer.json".startsWith(TEST_SUITE_REMOTES); // true
 * ```
 */
export const TEST_SUITE_REMOTES = "http://localhost:1234/";

/**
 * A group left out, and why.
 *
 * @example
 * ```ts
 * const s: SkippedGroup = { key: "draft7/refRemote/0", kind: "remote_ref", reason: "$ref to http://localhost:1234/integer.json" };
 * ```
 */
export interface SkippedGroup {
  key: string;
  /** `remote_ref`: a `$ref`-like keyword; `remote_meta_schema`: `$schema`. */
  kind: "remote_ref" | "remote_meta_schema";
  reason: string;
}

/**
 * The cases, and what was left out.
 *
 * @example
 * ```ts
 * import type { TestSuiteFile } from "./json_schema_test_suite.ts";
 * declare const files: TestSuiteFile[];
 * const { cases, skipped, withoutValid, groups } = keywordCoverage(files);
 * ```
 */
export interface KeywordCoverage {
  cases: CaseInput[];
  skipped: SkippedGroup[];
  /** Groups with no valid instance (no case to make). */
  withoutValid: number;
  /** Every group read. */
  groups: number;
}

/**
 * A case's prompt, from its group's description.
 *
 * @example
 * ```ts
 * coveragePrompt("minLength validation"); // "Generate a JSON instance for: minLength validation"
 * ```
 */
export function coveragePrompt(description: string): string {
  return `Generate a JSON instance for: ${description}`;
}

/**
 * Builds the keyword coverage cases from the suite's test files.
 *
 * @example
 * ```ts
 * const { cases } = keywordCoverage([{ draft: "draft7", name: "type", path: "tests/draft7/type.json", groups: [
 *   { description: "integer type matches integers", schema: { type: "integer" }, tests: [{ description: "1", data: 1, valid: true }] },
 * ] }]);
 * cases[0]; // { key: "draft7/type/0", schema: { $schema: "http://json-schema.org/draft-07/schema#", type: "integer" }, ... }
 * ```
 */
export function keywordCoverage(files: TestSuiteFile[]): KeywordCoverage {
  const coverage: KeywordCoverage = {
    cases: [],
    skipped: [],
    withoutValid: 0,
    groups: 0,
  };
  for (const file of files) {
    file.groups.forEach((group, index) => {
      coverage.groups++;
      const key = `${file.draft}/${file.name}/${index}`;
      if (!group.tests.some((t) => t.valid === true)) {
        coverage.withoutValid++;
        return;
      }
      const remote = externalReferences(group.schema, file.draft).find((r) =>
        r.resolved?.startsWith(TEST_SUITE_REMOTES)
      );
      if (remote) {
        const metaSchema = remote.keyword === "$schema";
        coverage.skipped.push({
          key,
          kind: metaSchema ? "remote_meta_schema" : "remote_ref",
          reason: `${remote.keyword} ${
            metaSchema ? "names the remote meta-schema" : "to the remote"
          } ${remote.resolved}${remote.pointer ? ` at ${remote.pointer}` : ""}`,
        });
        return;
      }
      const schema = typeof group.schema === "object" &&
          group.schema !== null && !("$schema" in group.schema)
        ? { $schema: META_SCHEMA_URI[file.draft], ...group.schema }
        : group.schema;
      coverage.cases.push({
        key,
        schema,
        prompt: coveragePrompt(group.description),
        subset: file.draft,
        tags: [file.draft, `keyword:${file.name}`],
      });
    });
  }
  return coverage;
}
