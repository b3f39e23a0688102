/**
 * The test tiers. Every `*_test.ts` under the `test.include` folders of
 * deno.json is in exactly one tier:
 *
 * - `fast` (`deno task test`): unit and PGlite tests, files in parallel, in
 *   a minute or two. The PGlite snapshot is built first, once.
 * - `e2e` (`deno task test:e2e`): the files that need a real llama-server or
 *   the browser ({@link E2E_FILES}), then the real-PostgreSQL leg of every
 *   `dbTest` of the fast files. When `TEST_DATABASE_URL` is not set but
 *   PostgreSQL is installed, a throwaway cluster is started for it.
 * - `soak` (`deno task test:soak`): chaos, fuzz, load and bench --quick
 *   ({@link SOAK_FILES}).
 * - `all` (`deno task test:all`): the three in a row.
 * - `ok` (`deno task ok`): `deno fmt --check`, `deno lint`, `deno check .`,
 *   `deno task check:layout` when deno.json has it, then the fast tier.
 *
 * The last line printed sums every leg as `deno test` does, `ok | N passed
 * | N failed | N ignored` or `FAILED | …` (a leg that ends without a summary,
 * as a failed `deno fmt --check` does, counts as one failure); the exit
 * status is non-zero when anything failed. Extra arguments go to every
 * `deno test`.
 *
 * @example
 * ```sh
 * deno task test
 * deno task test --filter suites
 * deno task test:all
 * ```
 * @module
 */
import {
  type Cluster,
  findPostgresBin,
  startCluster,
} from "./dev/pg_cluster.ts";

const REPO = new URL("../", import.meta.url);

/**
 * The tiers, and `ok`.
 *
 * @example
 * ```ts
 * import { TIERS } from "./run_tests.ts";
 * console.log(TIERS.join(" ")); // "fast e2e soak all ok"
 * ```
 */
export const TIERS = ["fast", "e2e", "soak", "all", "ok"] as const;

/**
 * A tier (or `ok`).
 *
 * @example
 * ```ts
 * import type { Tier } from "./run_tests.ts";
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
 * import { E2E_FILES } from "./run_tests.ts";
 * console.log(E2E_FILES.includes("scripts/browser/browser_test.ts")); // true
 * ```
 */
export const E2E_FILES: readonly string[] = [
  "evaluators/targets/llamacpp_test.ts",
  "evaluators/targets/providers_llama_test.ts",
  "scripts/browser/browser_test.ts",
  "scripts/dev/llama_server_test.ts",
  "scripts/run/main_test.ts",
  "server/routes/measurement_test.ts",
  "server/routes/runs_llama_test.ts",
];

/**
 * The long tests: chaos, fuzz, load and bench --quick, the `soak` tier.
 *
 * @example
 * ```ts
 * import { SOAK_FILES } from "./run_tests.ts";
 * console.log(SOAK_FILES.length); // 4
 * ```
 */
export const SOAK_FILES: readonly string[] = [
  "scripts/bench/bench_test.ts",
  "scripts/bench/load_test.ts",
  "scripts/chaos/chaos_test.ts",
  "scripts/fuzz/fuzz_test.ts",
];

/**
 * The tier of a test file, by its path from the repository root.
 *
 * @example
 * ```ts
 * import { tierOf } from "./run_tests.ts";
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
 * import { testFiles } from "./run_tests.ts";
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
 * import type { Counts } from "./run_tests.ts";
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
 * import { parseSummary } from "./run_tests.ts";
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
 * import { summaryLine } from "./run_tests.ts";
 * summaryLine({ passed: 2, failed: 1, ignored: 0 });
 * // "FAILED | 2 passed | 1 failed | 0 ignored"
 * ```
 */
export function summaryLine(counts: Counts): string {
  return `${
    counts.failed ? "FAILED" : "ok"
  } | ${counts.passed} passed | ${counts.failed} failed | ${counts.ignored} ignored`;
}

/** Runs one command, echoing its output, and returns its counts. */
async function leg(
  label: string,
  args: string[],
  env: Record<string, string>,
): Promise<Counts> {
  console.log(`\n== ${label}: deno ${args.join(" ")}`);
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env,
    cwd: new URL(".", REPO),
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stop = () => child.kill("SIGTERM");
  Deno.addSignalListener("SIGINT", stop);
  const decoder = new TextDecoder();
  let output = "";
  for await (const chunk of child.stdout) {
    await Deno.stdout.write(chunk);
    output += decoder.decode(chunk, { stream: true });
    // Only the tail can hold the last summary; keep memory bounded.
    if (output.length > 1_000_000) output = output.slice(-100_000);
  }
  const { code } = await child.status;
  Deno.removeSignalListener("SIGINT", stop);
  const counts = parseSummary(output) ?? { passed: 0, failed: 0, ignored: 0 };
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`== ${label}: ${summaryLine(counts)} (${seconds} s)`);
  return counts;
}

function add(total: Counts, counts: Counts): void {
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.ignored += counts.ignored;
}

async function fast(
  files: string[],
  extra: string[],
  env: Record<string, string>,
): Promise<Counts> {
  // Built once here, so the parallel test processes only read it.
  const { pgliteSnapshotFile } = await import(
    "../server/testing/database.ts"
  );
  await pgliteSnapshotFile();
  return await leg("fast tier", [
    "test",
    "-A",
    "--parallel",
    ...extra,
    ...files.filter((f) => tierOf(f) === "fast"),
  ], { ...env, TEST_BACKENDS: "pglite" });
}

async function e2e(
  files: string[],
  extra: string[],
  env: Record<string, string>,
): Promise<Counts> {
  const total = { passed: 0, failed: 0, ignored: 0 };
  let cluster: Cluster | undefined;
  const legEnv = { ...env };
  if (!legEnv.TEST_DATABASE_URL) {
    const bin = await findPostgresBin();
    if (bin) {
      cluster = await startCluster(bin);
      legEnv.TEST_DATABASE_URL = cluster.url;
      console.log(
        `real-PostgreSQL leg: throwaway cluster from ${bin} on port ${cluster.port}`,
      );
    } else {
      console.log(
        "real-PostgreSQL leg IGNORED: no TEST_DATABASE_URL and PostgreSQL is not installed",
      );
    }
  } else {
    console.log("real-PostgreSQL leg: TEST_DATABASE_URL");
  }
  try {
    add(
      total,
      await leg("e2e tier: engines and browser", [
        "test",
        "-A",
        ...extra,
        ...files.filter((f) => tierOf(f) === "e2e"),
      ], legEnv),
    );
    const dbFiles: string[] = [];
    for (const file of files.filter((f) => tierOf(f) === "fast")) {
      const text = await Deno.readTextFile(new URL(file, REPO));
      if (/\b(dbTest|postgresTest)\(/.test(text)) dbFiles.push(file);
    }
    add(
      total,
      await leg("e2e tier: the real-PostgreSQL leg of the fast tier", [
        "test",
        "-A",
        "--parallel",
        "--filter",
        "[postgres]",
        ...extra,
        ...dbFiles,
      ], { ...legEnv, TEST_BACKENDS: "postgres" }),
    );
  } finally {
    await cluster?.stop();
  }
  return total;
}

async function soak(
  files: string[],
  extra: string[],
  env: Record<string, string>,
): Promise<Counts> {
  return await leg("soak tier", [
    "test",
    "-A",
    ...extra,
    ...files.filter((f) => tierOf(f) === "soak"),
  ], env);
}

async function checks(env: Record<string, string>): Promise<Counts> {
  const total = { passed: 0, failed: 0, ignored: 0 };
  const config = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", REPO)),
  ) as { tasks?: Record<string, string> };
  const steps: [string, string[]][] = [
    ["fmt", ["fmt", "--check"]],
    ["lint", ["lint"]],
    ["check", ["check", "."]],
  ];
  if (config.tasks?.["check:layout"]) {
    steps.push(["check:layout", ["task", "check:layout"]]);
  }
  for (const [label, args] of steps) {
    const counts = await leg(label, args, env);
    // A check is one test of its own: it passed or it failed.
    add(total, counts.failed ? counts : { passed: 1, failed: 0, ignored: 0 });
  }
  return total;
}

/**
 * Runs `tier` with `extra` arguments for `deno test`; returns the summed
 * counts.
 *
 * @example
 * ```ts
 * import { runTier } from "./run_tests.ts";
 * const counts = await runTier("fast", ["--filter", "suites"]);
 * console.log(counts.failed);
 * ```
 */
export async function runTier(tier: Tier, extra: string[]): Promise<Counts> {
  const env = Deno.env.toObject();
  const files = await testFiles();
  const total = { passed: 0, failed: 0, ignored: 0 };
  if (tier === "ok") add(total, await checks(env));
  if (tier === "fast" || tier === "all" || tier === "ok") {
    add(total, await fast(files, extra, env));
  }
  if (tier === "e2e" || tier === "all") {
    add(total, await e2e(files, extra, env));
  }
  if (tier === "soak" || tier === "all") {
    add(total, await soak(files, extra, env));
  }
  return total;
}

if (import.meta.main) {
  const [first, ...rest] = Deno.args;
  const named = (TIERS as readonly string[]).includes(first ?? "");
  const tier = (named ? first : "fast") as Tier;
  const extra = named ? rest : Deno.args;
  const started = performance.now();
  const total = await runTier(tier, extra);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`\n${tier}: ${seconds} s`);
  console.log(summaryLine(total));
  Deno.exit(total.failed ? 1 : 0);
}
