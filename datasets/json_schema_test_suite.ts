/**
 * The official JSON Schema Test Suite's test files, read from a local copy
 * (a directory holding `tests/<draft>/*.json`) or fetched at run time from
 * its GitHub repository at a branch, tag or commit: the REST API resolves
 * the ref to a commit and lists the tree, and each file comes from the raw
 * contents host at that commit. Only the drafts the validator implements
 * (`tests/draft4` … `tests/draft2020-12`), never `optional/`.
 *
 * @example
 * ```ts
 * import { fetchTestSuiteGitHub, readTestSuiteDir } from "./json_schema_test_suite.ts";
 * const local = await readTestSuiteDir("../JSON-Schema-Test-Suite");
 * const remote = await fetchTestSuiteGitHub({ ref: "main" });
 * remote.revision; // the commit
 * ```
 * @module
 */
import { type Draft, DRAFTS } from "../evaluators/validation/draft.ts";
import { fetchJson, type RetryOptions } from "./fetch_json.ts";
import { mapConcurrent } from "./map_concurrent.ts";

/**
 * The GitHub REST API root.
 *
 * @example
 * ```ts
 * `${GITHUB_API_URL}/repos/${TEST_SUITE_REPOSITORY}/commits/main`;
 * ```
 */
export const GITHUB_API_URL = "https://api.github.com";

/**
 * The root GitHub serves raw file contents from.
 *
 * @example
 * ```ts
 * declare const sha: string; // a commit of the suite
 * `${GITHUB_RAW_URL}/${TEST_SUITE_REPOSITORY}/${sha}/tests/draft7/type.json`;
 * ```
 */
export const GITHUB_RAW_URL = "https://raw.githubusercontent.com";

/**
 * The test suite's repository.
 *
 * @example
 * ```ts
 * await fetchTestSuiteGitHub({ repository: TEST_SUITE_REPOSITORY });
 * ```
 */
export const TEST_SUITE_REPOSITORY = "json-schema-org/JSON-Schema-Test-Suite";

/**
 * One test: an instance and whether it is valid.
 *
 * @example
 * ```ts
 * const test: SuiteTest = { description: "a string", data: "x", valid: true };
 * ```
 */
export interface SuiteTest {
  description: string;
  data: unknown;
  valid: boolean;
}

/**
 * One test group: a schema and the tests run against it.
 *
 * @example
 * ```ts
 * const group: TestGroup = { description: "type", schema: { type: "string" }, tests: [] };
 * ```
 */
export interface TestGroup {
  description: string;
  schema: unknown;
  tests: SuiteTest[];
}

/**
 * One test file of one draft.
 *
 * @example
 * ```ts
 * const file: TestSuiteFile = { draft: "draft7", name: "type", path: "tests/draft7/type.json", groups: [] };
 * ```
 */
export interface TestSuiteFile {
  draft: Draft;
  /** The file name without `.json` (the keyword it tests, mostly). */
  name: string;
  /** The path inside the suite, `tests/<draft>/<name>.json`. */
  path: string;
  groups: TestGroup[];
}

/**
 * The test files of a copy of the suite, and where they came from.
 *
 * @example
 * ```ts
 * const suite: TestSuite = { from: "github", location: "json-schema-org/JSON-Schema-Test-Suite", ref: "main", revision: "44401e0…", files: [] };
 * ```
 */
export interface TestSuite {
  from: "directory" | "github";
  /** The directory, or the repository `owner/name`. */
  location: string;
  /** The ref asked for (GitHub only). */
  ref?: string;
  /** The commit (GitHub only; a directory has none). */
  revision: string | null;
  /** Drafts in {@link DRAFTS} order, files by name. */
  files: TestSuiteFile[];
}

/**
 * How far a GitHub fetch has come: files done out of all.
 *
 * @example
 * ```ts
 * const onProgress = (p: SuiteProgress) => console.error(`${p.done}/${p.total} files`);
 * ```
 */
export interface SuiteProgress {
  done: number;
  total: number;
}

/**
 * Where and how to fetch the suite from GitHub.
 *
 * @example
 * ```ts
 * const options: GitHubSuiteOptions = { ref: "main", concurrency: 8 };
 * ```
 */
export interface GitHubSuiteOptions {
  /** A branch, tag or commit (default `main`). */
  ref?: string;
  /** `owner/name` (default {@link TEST_SUITE_REPOSITORY}). */
  repository?: string;
  /** Default {@link GITHUB_API_URL}. */
  apiUrl?: string;
  /** Default {@link GITHUB_RAW_URL}. */
  rawUrl?: string;
  fetch?: typeof fetch;
  /** Files fetched at once (default 8). */
  concurrency?: number;
  retry?: RetryOptions;
  onProgress?: (progress: SuiteProgress) => void;
}

const FILE_PATH = new RegExp(
  `^tests/(${DRAFTS.join("|")})/([^/]+)\\.json$`,
);

/**
 * Parses one test file, checking its shape. Throws naming the file and the
 * group at fault.
 *
 * @example
 * ```ts
 * parseTestFile('[{"description":"d","schema":true,"tests":[]}]', "tests/draft7/x.json").length; // 1
 * ```
 */
export function parseTestFile(text: string, path: string): TestGroup[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not JSON (${(error as Error).message})`);
  }
  return checkGroups(body, path);
}

/** Checks the shape of a parsed test file. */
function checkGroups(body: unknown, path: string): TestGroup[] {
  if (!Array.isArray(body)) throw new Error(`${path}: not an array of groups`);
  return body.map((group, index): TestGroup => {
    const at = `${path}: group ${index}`;
    if (typeof group !== "object" || group === null || Array.isArray(group)) {
      throw new Error(`${at} is not an object`);
    }
    const { description, schema, tests } = group as Record<string, unknown>;
    if (typeof description !== "string") {
      throw new Error(`${at} has no description`);
    }
    const isSchema = typeof schema === "boolean" ||
      (typeof schema === "object" && schema !== null && !Array.isArray(schema));
    if (!isSchema) throw new Error(`${at} has no schema object or boolean`);
    if (!Array.isArray(tests)) throw new Error(`${at} has no tests array`);
    const checked = tests.map((test, t): SuiteTest => {
      const record =
        (typeof test === "object" && test !== null ? test : {}) as Record<
          string,
          unknown
        >;
      if (typeof record.valid !== "boolean") {
        throw new Error(`${at}, test ${t} has no boolean "valid"`);
      }
      return {
        description: String(record.description ?? ""),
        data: record.data,
        valid: record.valid,
      };
    });
    return { description, schema, tests: checked };
  });
}

function byDraftThenName(a: TestSuiteFile, b: TestSuiteFile): number {
  const draft = DRAFTS.indexOf(a.draft) - DRAFTS.indexOf(b.draft);
  return draft !== 0 ? draft : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Reads `tests/<draft>/*.json` of a local copy of the suite. Throws when the
 * directory holds none.
 *
 * @example
 * ```ts
 * import { sharedPath } from "../evaluators/testing/shared_dir.ts";
 * const suite = await readTestSuiteDir(sharedPath("datasets/json-schema-test-suite"));
 * suite.files[0].path; // "tests/draft4/additionalItems.json"
 * ```
 */
export async function readTestSuiteDir(dir: string): Promise<TestSuite> {
  const root = dir.replace(/\/$/, "");
  const files: TestSuiteFile[] = [];
  for (const draft of DRAFTS) {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(`${root}/tests/${draft}`));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    for (const entry of entries) {
      if (!entry.isFile || !entry.name.endsWith(".json")) continue;
      const path = `tests/${draft}/${entry.name}`;
      const groups = parseTestFile(
        await Deno.readTextFile(`${root}/${path}`),
        `${root}/${path}`,
      );
      files.push({ draft, name: entry.name.slice(0, -5), path, groups });
    }
  }
  if (files.length === 0) {
    throw new Error(
      `${root} holds no tests/<draft>/*.json for ${
        DRAFTS.join(", ")
      } (expected a copy of ${TEST_SUITE_REPOSITORY})`,
    );
  }
  return {
    from: "directory",
    location: root,
    revision: null,
    files: files.sort(byDraftThenName),
  };
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/**
 * Fetches the suite's test files from GitHub at `ref` (default `main`),
 * recording the commit it resolved to. Network: two REST API calls, then
 * one raw download per file.
 *
 * @example
 * ```ts
 * const suite = await fetchTestSuiteGitHub({ ref: "main", onProgress: (p) => console.log(p.done) });
 * ```
 */
export async function fetchTestSuiteGitHub(
  options: GitHubSuiteOptions = {},
): Promise<TestSuite> {
  const ref = options.ref ?? "main";
  const repository = options.repository ?? TEST_SUITE_REPOSITORY;
  const api = (options.apiUrl ?? GITHUB_API_URL).replace(/\/$/, "");
  const raw = (options.rawUrl ?? GITHUB_RAW_URL).replace(/\/$/, "");
  const http = {
    fetch: options.fetch,
    retry: options.retry,
    headers: { accept: "application/vnd.github+json" },
  };
  const commitUrl = `${api}/repos/${repository}/commits/${encodePath(ref)}`;
  const commit = await fetchJson(commitUrl, http);
  const sha = (commit as { sha?: unknown } | null)?.sha;
  if (typeof sha !== "string" || sha === "") {
    throw new Error(`GET ${commitUrl}: unexpected answer (no sha)`);
  }
  const treeUrl = `${api}/repos/${repository}/git/trees/${sha}?recursive=1`;
  const tree = await fetchJson(treeUrl, http) as {
    tree?: unknown;
    truncated?: unknown;
  } | null;
  if (!tree || !Array.isArray(tree.tree)) {
    throw new Error(`GET ${treeUrl}: unexpected answer (no tree)`);
  }
  if (tree.truncated === true) {
    throw new Error(
      `GET ${treeUrl}: GitHub truncated the file list, so the suite cannot be listed whole; use a local copy (--from DIR)`,
    );
  }
  const wanted: { draft: Draft; name: string; path: string }[] = [];
  for (const entry of tree.tree as unknown[]) {
    const { path, type } = (entry ?? {}) as Record<string, unknown>;
    if (type !== "blob" || typeof path !== "string") continue;
    const match = FILE_PATH.exec(path);
    if (match) {
      wanted.push({ draft: match[1] as Draft, name: match[2], path });
    }
  }
  if (wanted.length === 0) {
    throw new Error(
      `${repository} at ${ref} (${sha}) holds no tests/<draft>/*.json for ${
        DRAFTS.join(", ")
      }`,
    );
  }
  const progress = { done: 0, total: wanted.length };
  options.onProgress?.({ ...progress });
  const files = await mapConcurrent(
    wanted,
    options.concurrency ?? 8,
    async (file): Promise<TestSuiteFile> => {
      const url = `${raw}/${repository}/${sha}/${encodePath(file.path)}`;
      const body = await fetchJson(url, { ...http, headers: undefined });
      const groups = checkGroups(body, url);
      progress.done++;
      options.onProgress?.({ ...progress });
      return { ...file, groups };
    },
  );
  return {
    from: "github",
    location: repository,
    ref,
    revision: sha,
    files: files.sort(byDraftThenName),
  };
}
