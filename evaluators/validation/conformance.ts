/**
 * Runs the official JSON Schema Test Suite against {@link SchemaValidator}
 * and lists every disagreement. Used by the test that guards validation,
 * and usable by hand: `deno run -A evaluators/validation/conformance.ts DIR`.
 *
 * @example
 * ```ts
 * import { runTestSuite } from "./conformance.ts";
 * const report = await runTestSuite("path/to/json-schema-test-suite", "draft7");
 * console.log(report.agreed, "/", report.total);
 * ```
 * @module
 */
import { type Draft, DRAFTS } from "./draft.ts";
import { SchemaValidator } from "./validate.ts";

/** One test whose verdict differs from the suite's. */
export interface Disagreement {
  draft: Draft;
  file: string;
  group: string;
  test: string;
  expected: boolean;
  /** What the validator said: valid, invalid, or invalid_schema with why. */
  got: string;
}

/** Agreement for one draft. */
export interface DraftReport {
  draft: Draft;
  total: number;
  agreed: number;
  disagreements: Disagreement[];
}

interface TestGroup {
  description: string;
  schema: unknown;
  tests: { description: string; data: unknown; valid: boolean }[];
}

const REMOTE_BASE = "http://localhost:1234/";
const DRAFT_FOLDERS = [
  "draft3",
  "draft4",
  "draft6",
  "draft7",
  "draft2019-09",
  "draft2020-12",
];

async function jsonFiles(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const relative = `${prefix}${entry.name}`;
    if (entry.isDirectory) {
      found.push(...await jsonFiles(`${dir}/${entry.name}`, `${relative}/`));
    } else if (entry.name.endsWith(".json")) {
      found.push(relative);
    }
  }
  return found.sort();
}

/**
 * The suite's `remotes/` documents that `draft` may reach, keyed by the URI
 * the suite expects (`http://localhost:1234/...`).
 *
 * @example
 * ```ts
 * declare const dir: string; // a checkout of the JSON-Schema-Test-Suite
 * const remotes = await loadRemotes(dir, "draft2020-12");
 * ```
 */
export async function loadRemotes(
  suiteDir: string,
  draft: Draft,
): Promise<Record<string, unknown>> {
  const remotes: Record<string, unknown> = {};
  for (const file of await jsonFiles(`${suiteDir}/remotes`)) {
    const folder = file.split("/")[0];
    if (DRAFT_FOLDERS.includes(folder) && folder !== draft) continue;
    remotes[`${REMOTE_BASE}${file}`] = JSON.parse(
      await Deno.readTextFile(`${suiteDir}/remotes/${file}`),
    );
  }
  return remotes;
}

/**
 * Runs every required test (not `optional/`) of one draft.
 *
 * @example
 * ```ts
 * declare const dir: string; // a checkout of the JSON-Schema-Test-Suite
 * const { agreed, total } = await runTestSuite(dir, "draft4");
 * ```
 */
export async function runTestSuite(
  suiteDir: string,
  draft: Draft,
): Promise<DraftReport> {
  const validator = new SchemaValidator({
    remotes: await loadRemotes(suiteDir, draft),
  });
  const report: DraftReport = { draft, total: 0, agreed: 0, disagreements: [] };
  const folder = `${suiteDir}/tests/${draft}`;
  for await (const entry of Deno.readDir(folder)) {
    if (!entry.isFile || !entry.name.endsWith(".json")) continue;
    const groups = JSON.parse(
      await Deno.readTextFile(`${folder}/${entry.name}`),
    ) as TestGroup[];
    for (const group of groups) {
      const compiled = validator.compile(group.schema, { draft });
      for (const test of group.tests) {
        report.total++;
        let got: string;
        if (!compiled.ok) got = `invalid_schema: ${compiled.reason}`;
        else got = compiled.check(test.data).status;
        if (got === (test.valid ? "valid" : "invalid")) {
          report.agreed++;
        } else {
          report.disagreements.push({
            draft,
            file: entry.name,
            group: group.description,
            test: test.description,
            expected: test.valid,
            got,
          });
        }
      }
    }
  }
  return report;
}

if (import.meta.main) {
  const dir = Deno.args[0];
  if (!dir) {
    console.error("usage: json_schema_test_suite.ts SUITE_DIR");
    Deno.exit(2);
  }
  for (const draft of DRAFTS) {
    const r = await runTestSuite(dir, draft);
    console.log(`${draft}: ${r.agreed}/${r.total}`);
    for (const d of r.disagreements) {
      console.log(
        `  ${d.file} | ${d.group} | ${d.test} | expected ${d.expected} got ${d.got}`,
      );
    }
  }
}
