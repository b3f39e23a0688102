/**
 * A stand-in for GitHub in tests: the REST API's commit and recursive tree
 * answers under `/api`, raw file contents under `/raw`, for one repository
 * whose files are given as a path → text map.
 *
 * @example
 * ```ts
 * import { startGitHub } from "./test_github_server.ts";
 * import { fetchTestSuiteGitHub } from "../json_schema_test_suite.ts";
 * await using github = startGitHub({ "tests/draft7/type.json": "[]" });
 * await fetchTestSuiteGitHub({ apiUrl: github.apiUrl, rawUrl: github.rawUrl });
 * ```
 * @module
 */
import { type Fixture, startFixture } from "./test_http_server.ts";

/**
 * The commit every ref resolves to.
 *
 * @example
 * ```ts
 * import type { TestSuite } from "../json_schema_test_suite.ts";
 * declare const suite: TestSuite; // read from the fixture
 * suite.revision === FIXTURE_SHA; // true
 * ```
 */
export const FIXTURE_SHA = "44401e0c046704b476ec9d2e2fccdaee618f259d";

/**
 * A running GitHub fixture.
 *
 * @example
 * ```ts
 * const { apiUrl, rawUrl } = startGitHub({});
 * ```
 */
export interface GitHubFixture extends Fixture {
  apiUrl: string;
  rawUrl: string;
}

/**
 * Serves `files` as `json-schema-org/JSON-Schema-Test-Suite` at
 * {@link FIXTURE_SHA}; `rawStatus` may make one path fail.
 *
 * @example
 * ```ts
 * declare const files: Record<string, string>;
 * await using github = startGitHub(files, { rawStatus: { "tests/draft7/type.json": 500 } });
 * ```
 */
export function startGitHub(
  files: Record<string, string>,
  options: { rawStatus?: Record<string, number>; refs?: string[] } = {},
): GitHubFixture {
  const repo = "json-schema-org/JSON-Schema-Test-Suite";
  const refs = options.refs ?? ["main"];
  const folders = new Set<string>();
  for (const path of Object.keys(files)) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      folders.add(parts.slice(0, i).join("/"));
    }
  }
  const fixture = startFixture((url) => {
    const path = decodeURIComponent(url.pathname);
    const commit = path.match(new RegExp(`^/api/repos/${repo}/commits/(.+)$`));
    if (commit) {
      return refs.includes(commit[1]) || commit[1] === FIXTURE_SHA
        ? Response.json({ sha: FIXTURE_SHA, commit: { message: "fixture" } })
        : Response.json({ message: `No commit found for SHA: ${commit[1]}` }, {
          status: 422,
        });
    }
    if (
      path === `/api/repos/${repo}/git/trees/${FIXTURE_SHA}` &&
      url.searchParams.get("recursive") === "1"
    ) {
      return Response.json({
        sha: FIXTURE_SHA,
        tree: [
          ...[...folders].map((p) => ({
            path: p,
            mode: "040000",
            type: "tree",
            sha: "0".repeat(40),
          })),
          ...Object.entries(files).map(([p, text]) => ({
            path: p,
            mode: "100644",
            type: "blob",
            sha: "1".repeat(40),
            size: text.length,
          })),
        ],
        truncated: false,
      });
    }
    const rawPrefix = `/raw/${repo}/${FIXTURE_SHA}/`;
    if (path.startsWith(rawPrefix)) {
      const file = path.slice(rawPrefix.length);
      const status = options.rawStatus?.[file];
      if (status) return new Response("raw failure", { status });
      if (file in files) {
        return new Response(files[file], {
          headers: { "content-type": "text/plain; charset=utf-8" },
        });
      }
    }
    return new Response("404: Not Found", { status: 404 });
  });
  return Object.assign(fixture, {
    apiUrl: `${fixture.url}/api`,
    rawUrl: `${fixture.url}/raw`,
  });
}
