/**
 * The test tiers. Every `*_test.ts` under the `test.include` folders of
 * deno.json is in exactly one tier:
 *
 * - `fast` (`deno task test`): unit and PGlite tests, test files in
 *   parallel. The PGlite snapshot is built first, once.
 * - `e2e` (`deno task test:e2e`): the files that need a real llama-server or
 *   the browser (`E2E_FILES` in `test_tiers.ts`), then the real-PostgreSQL
 *   leg of every `dbTest` and `postgresTest` of the fast files. When
 *   `TEST_DATABASE_URL` is not set but PostgreSQL is installed, a throwaway
 *   cluster is started for it.
 * - `soak` (`deno task test:soak`): chaos, fuzz, load and bench --quick
 *   (`SOAK_FILES`).
 * - `all` (`deno task test:all`): everything `.ci/run` runs: the checks of
 *   `ok`, then the three tiers in a row.
 * - `ok` (`deno task ok`): `deno fmt --check`, `deno lint`,
 *   `deno check --doc .` (the code and its doc examples),
 *   `deno task check:layout` (the data flow and file sizes), then the fast
 *   tier.
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
import {
  type Counts,
  parseSummary,
  summaryLine,
  testFiles,
  type Tier,
  tierOf,
  TIERS,
} from "./test_tiers.ts";
import { exitOnHelp } from "../server/cli_help.ts";

/**
 * Tests that bound memory may collect garbage first (`globalThis.gc`), so
 * they measure what is kept, not what the collector has not reached yet.
 */
const GC_FLAG = "--v8-flags=--expose-gc";
const REPO = new URL("../", import.meta.url);

/** Runs one command, echoing its output, and returns its counts. */
async function leg(
  label: string,
  args: string[],
  env: Record<string, string>,
): Promise<Counts> {
  const files = args.filter((arg) => /_test\.tsx?$/.test(arg));
  const shown = args.filter((arg) => !files.includes(arg));
  console.log(
    `\n== ${label}: deno ${shown.join(" ")}${
      files.length ? ` (${files.length} test files)` : ""
    }`,
  );
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
    GC_FLAG,
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
        GC_FLAG,
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
        GC_FLAG,
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
    GC_FLAG,
    ...extra,
    ...files.filter((f) => tierOf(f) === "soak"),
  ], env);
}

async function checks(env: Record<string, string>): Promise<Counts> {
  const total = { passed: 0, failed: 0, ignored: 0 };
  const steps: [string, string[]][] = [
    ["fmt", ["fmt", "--check"]],
    ["lint", ["lint"]],
    // Type-checks the code and every JSDoc example in it.
    ["check", ["check", "--doc", "."]],
    ["check:layout", ["task", "check:layout"]],
  ];
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
  if (tier === "ok" || tier === "all") add(total, await checks(env));
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
  exitOnHelp(
    `usage: deno task test | test:e2e | test:soak | test:all | ok [deno test options]

test: the fast tier; test:e2e: llama-server, browser and real-PostgreSQL tests;
test:soak: chaos, fuzz, load and bench --quick; test:all: everything .ci/run
runs; ok: fmt, lint, check --doc, layout, then the fast tier. Exit status: 0
all passed, 1 a test failed.`,
  );
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
