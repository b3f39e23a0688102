/**
 * Which tier each test file is in, and how `deno test` summaries are read
 * and summed: the data of `scripts/run_tests.ts`.
 *
 * @example
 * ```ts
 * import { testFiles, tierOf } from "./test_tiers.ts";
 * for (const file of await testFiles()) console.log(tierOf(file), file);
 * ```
 * @module
 */
const REPO = new URL("../", import.meta.url);

/**
 * The tiers, and `ok`.
 *
 * @example
 * ```ts
 * import { TIERS } from "./test_tiers.ts";
 * console.log(TIERS.join(" ")); // "fast e2e soak all ok"
 * ```
 */
export const TIERS = ["fast", "e2e", "soak", "all", "ok"] as const;

/**
 * A tier (or `ok`).
 *
 * @example
 * ```ts
 * import type { Tier } from "./test_tiers.ts";
 * const tier: Tier = "fast";
 * ```
 */
export type Tier = typeof TIERS[number];

/**
 * The test files that need a real llama-server, real PostgreSQL or the
 * browser: the `e2e` tier.
 *
 * @example
 * ```ts
 * import { E2E_FILES } from "./test_tiers.ts";
 * console.log(E2E_FILES.includes("scripts/browser/browser_test.ts")); // true
 * ```
 */
export const E2E_FILES: readonly string[] = [
  "evaluators/targets/llamacpp_test.ts",
  "evaluators/targets/logprobs_llama_test.ts",
  "server/routes/distortion_llama_test.ts",
  "evaluators/targets/providers_llama_test.ts",
  "scripts/browser/browser_test.ts",
  "scripts/browser/api_docs_test.ts",
  "evaluators/targets/testing/llama_server_test.ts",
  "evaluators/targets/testing/bigram_llama_test.ts",
  "scripts/run/main_test.ts",
  "scripts/run/matrix_test.ts",
  "server/routes/measurement_test.ts",
  "server/routes/runs_llama_test.ts",
  "server/worker/engine_outage_llama_test.ts",
  "server/worker/engine_crash_llama_test.ts",
];

/**
 * The long tests: chaos (and the PGlite restart), fuzz, load and bench
 * --quick, the `soak` tier.
 *
 * @example
 * ```ts
 * import { SOAK_FILES } from "./test_tiers.ts";
 * console.log(SOAK_FILES.length); // 5
 * ```
 */
export const SOAK_FILES: readonly string[] = [
  "scripts/bench/bench_test.ts",
  "scripts/bench/load_test.ts",
  "scripts/chaos/chaos_test.ts",
  "scripts/chaos/pglite_restart_test.ts",
  "scripts/fuzz/fuzz_test.ts",
];

/**
 * The tier of a test file, by its path from the repository root.
 *
 * @example
 * ```ts
 * import { tierOf } from "./test_tiers.ts";
 * tierOf("scripts/chaos/chaos_test.ts"); // "soak"
 * tierOf("server/env_test.ts"); // "fast"
 * ```
 */
export function tierOf(file: string): "fast" | "e2e" | "soak" {
  if (E2E_FILES.includes(file)) return "e2e";
  if (SOAK_FILES.includes(file)) return "soak";
  return "fast";
}

async function walk(dir: URL, prefix: string, out: string[]): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) {
        continue;
      }
      await walk(new URL(`${entry.name}/`, dir), `${path}/`, out);
    } else if (/_test\.tsx?$/.test(entry.name)) out.push(path);
  }
}

/**
 * Every test file `deno test` would run: `*_test.ts(x)` under the
 * `test.include` folders of deno.json, as paths from the repository root,
 * sorted.
 *
 * @example
 * ```ts
 * import { testFiles } from "./test_tiers.ts";
 * console.log((await testFiles()).length);
 * ```
 */
export async function testFiles(): Promise<string[]> {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", REPO)),
  ) as { test?: { include?: string[] } };
  const files: string[] = [];
  for (const folder of config.test?.include ?? ["."]) {
    const prefix = folder.endsWith("/") ? folder : `${folder}/`;
    await walk(new URL(prefix, REPO), prefix, files);
  }
  return files.sort();
}

/**
 * What one `deno test` (or check) reported.
 *
 * @example
 * ```ts
 * import type { Counts } from "./test_tiers.ts";
 * const counts: Counts = { passed: 3, failed: 0, ignored: 1 };
 * ```
 */
export interface Counts {
  passed: number;
  failed: number;
  ignored: number;
}

/** Colour codes, which deno test writes even into a pipe. */
// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * The counts of the last summary line in `deno test` output, or null.
 *
 * @example
 * ```ts
 * import { parseSummary } from "./test_tiers.ts";
 * parseSummary("ok | 3 passed (2 steps) | 0 failed | 1 ignored (5s)");
 * // { passed: 3, failed: 0, ignored: 1 }
 * ```
 */
export function parseSummary(output: string): Counts | null {
  let found: Counts | null = null;
  for (const line of output.replace(ANSI, "").split("\n")) {
    const m =
      /^(?:ok|FAILED) \| (\d+) passed(?: \([^)]*\))? \| (\d+) failed(?: \([^)]*\))?(?: \| (\d+) ignored)?/
        .exec(line.trim());
    if (m) {
      found = {
        passed: Number(m[1]),
        failed: Number(m[2]),
        ignored: Number(m[3] ?? 0),
      };
    }
  }
  return found;
}

/**
 * The summed summary line: `ok | N passed | N failed | N ignored`, or
 * `FAILED | …` when anything failed.
 *
 * @example
 * ```ts
 * import { summaryLine } from "./test_tiers.ts";
 * summaryLine({ passed: 2, failed: 1, ignored: 0 });
 * // "FAILED | 2 passed | 1 failed | 0 ignored"
 * ```
 */
export function summaryLine(counts: Counts): string {
  return `${
    counts.failed ? "FAILED" : "ok"
  } | ${counts.passed} passed | ${counts.failed} failed | ${counts.ignored} ignored`;
}
