/**
 * `deno task import`: loads datasets into the database named by the
 * environment (`DATABASE_URL`, or PGlite in `DATA_DIR`).
 *
 * ```sh
 * deno task import jsonschemabench --from DIR|hub [--split S] [--subsets A,B] [--limit N]
 * deno task import json-schema-test-suite --from DIR|github [--ref REF]
 * ```
 *
 * `--from hub` and `--from github` fetch over the network at run time;
 * everything is fetched and checked before anything is saved.
 *
 * With the embedded database, stop the server first: PGlite allows one
 * process at a time. (Or post the files to `POST /api/suites/import`.)
 *
 * @example
 * ```sh
 * deno task import jsonschemabench --from ../shared/datasets/jsonschemabench --subsets Glaiveai2K --limit 100
 * deno task import jsonschemabench --from hub --split test
 * deno task import json-schema-test-suite --from github --ref main
 * ```
 * @module
 */
import {
  jsonSchemaBenchHubSuites,
  jsonSchemaBenchSuites,
  type SubsetSuite,
} from "../datasets/import_jsonschemabench.ts";
import { keywordCoverageSuite } from "../datasets/import_keyword_coverage.ts";
import { fetchGsm8k } from "../datasets/quality/gsm8k.ts";
import { qualityCases, qualitySuite } from "../datasets/quality/suite.ts";
import type { Database } from "../server/db/client.ts";
import { DATA_ONLY, openServicesOrExit } from "../server/boot.ts";
import { saveSuite, type SuiteRow } from "../server/db/queries/suites.ts";
import { prepareSuite } from "../server/suites/prepare.ts";
import { type Env, EnvError, readEnv } from "../server/env.ts";
import { type Cli, fail, parseCli, USAGE } from "./import_args.ts";

/** A progress line on stderr: redrawn in place on a terminal, every 5 s otherwise. */
function progressLine(): { show(line: string): void; end(): void } {
  const tty = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  let last = 0;
  let drawn = false;
  return {
    show(line) {
      if (tty) {
        Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${line}`));
        drawn = true;
        return;
      }
      const now = performance.now();
      if (last === 0 || now - last >= 5000) {
        console.error(line);
        last = now;
      }
    },
    end() {
      if (drawn) Deno.stderr.writeSync(encoder.encode("\n"));
      drawn = false;
    },
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One subset, saved. */
interface ImportedSubset {
  subset: string;
  suite: SuiteRow;
  created: boolean;
  ms: number;
}

/** Saves each prepared subset in turn; calls `report` after each. */
async function saveSubsets(
  database: Database,
  subsets: SubsetSuite[],
  report: (done: ImportedSubset) => void,
): Promise<ImportedSubset[]> {
  const imported: ImportedSubset[] = [];
  for (const { subset, suite: prepared } of subsets) {
    const started = performance.now();
    const { suite, created } = await saveSuite(database, prepared);
    const done = { subset, suite, created, ms: performance.now() - started };
    imported.push(done);
    report(done);
  }
  return imported;
}

function suiteLine(s: ImportedSubset): string {
  return `${
    s.created ? "created" : "exists "
  } ${s.suite.name} v${s.suite.version}: ${s.suite.caseCount} cases (${
    seconds(s.ms)
  }) id ${s.suite.id}`;
}

async function importBench(
  cli: Cli,
  database: Database,
  env: Env,
): Promise<void> {
  const started = performance.now();
  let cases = 0;
  const report = (s: ImportedSubset) => {
    cases += s.suite.caseCount;
    console.log(suiteLine(s));
  };
  let imported: ImportedSubset[];
  let revision = "";
  if (cli.from === "hub") {
    const line = progressLine();
    let hub;
    try {
      hub = await jsonSchemaBenchHubSuites({
        subsets: cli.subsets,
        split: cli.split,
        limit: cli.limit,
        onProgress: (p) =>
          line.show(
            `fetching from the hub: ${p.done}/${p.total} pages, ${p.rows} rows, ${
              seconds(performance.now() - started)
            }`,
          ),
      }, env);
    } finally {
      line.end();
    }
    imported = await saveSubsets(database, hub.suites, report);
    revision = hub.revision;
    const duplicates = hub.suites.reduce((n, s) => n + s.duplicates, 0);
    if (duplicates) {
      console.log(
        `${duplicates} rows left out: same unique_id and schema as in an earlier split`,
      );
    }
  } else {
    imported = await saveSubsets(
      database,
      await jsonSchemaBenchSuites(
        { dir: cli.from, subsets: cli.subsets, limit: cli.limit },
        env,
      ),
      report,
    );
  }
  const created = imported.filter((s) => s.created).length;
  console.log(
    `${imported.length} subsets, ${cases} cases, ${created} new suites in ${
      seconds(performance.now() - started)
    }${revision ? ` (revision ${revision})` : ""}`,
  );
}

async function importTestSuite(
  cli: Cli,
  database: Database,
  env: Env,
): Promise<void> {
  const started = performance.now();
  const line = progressLine();
  let read;
  try {
    read = await keywordCoverageSuite({
      from: cli.from,
      ref: cli.ref,
      onProgress: (p) =>
        line.show(
          `fetching from GitHub: ${p.done}/${p.total} files, ${
            seconds(performance.now() - started)
          }`,
        ),
    }, env);
  } finally {
    line.end();
  }
  const { coverage, testSuite } = read;
  const { suite, created } = await saveSuite(database, read.suite);
  console.log(
    `${
      created ? "created" : "exists "
    } ${suite.name} v${suite.version}: ${suite.caseCount} cases (${
      seconds(performance.now() - started)
    }) id ${suite.id}`,
  );
  const byKind = new Map<string, number>();
  for (const s of coverage.skipped) {
    byKind.set(s.kind, (byKind.get(s.kind) ?? 0) + 1);
  }
  const why = [...byKind].map(([kind, n]) =>
    `${n} ${
      kind === "remote_ref"
        ? "refer to the suite's remote documents"
        : "name a remote meta-schema"
    }`
  ).join(", ");
  console.log(
    `${testSuite.files.length} files, ${coverage.groups} groups: ${coverage.cases.length} cases, ${coverage.withoutValid} without a valid instance, ${coverage.skipped.length} skipped${
      why ? ` (${why})` : ""
    }${testSuite.revision ? `; revision ${testSuite.revision}` : ""}`,
  );
}

async function importQuality(
  cli: Cli,
  database: Database,
  env: Env,
): Promise<void> {
  const input = cli.dataset === "quality"
    ? qualitySuite(cli.seed ?? 1, cli.perFamily ?? 20)
    : {
      name: `gsm8k/${cli.split ?? "test"}${
        cli.limit ? `/first-${cli.limit}` : ""
      }`,
      description: `GSM8K (openai/gsm8k, config main, ${
        cli.split ?? "test"
      } split) as quality tasks`,
      cases: qualityCases(
        await fetchGsm8k({
          split: (cli.split ?? "test") as "train" | "test",
          limit: cli.limit,
        }),
      ),
    };
  const prepared = prepareSuite(input, {
    kind: cli.dataset,
    ...(cli.seed !== undefined ? { seed: cli.seed } : {}),
  }, env);
  const { suite, created } = await saveSuite(database, prepared);
  console.log(
    `${
      created ? "created" : "exists "
    } ${suite.name} v${suite.version}: ${suite.caseCount} cases, id ${suite.id}`,
  );
}

async function main(): Promise<void> {
  const cli = parseCli();
  if (!cli) {
    console.log(USAGE);
    return;
  }
  let env;
  try {
    env = readEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      fail(`configuration error: ${error.message}`);
    }
    throw error;
  }
  const services = await openServicesOrExit(env, DATA_ONLY);
  const database = services.database;
  try {
    if (cli.dataset === "jsonschemabench") {
      await importBench(cli, database, env);
    } else if (cli.dataset === "quality" || cli.dataset === "gsm8k") {
      await importQuality(cli, database, env);
    } else {
      await importTestSuite(cli, database, env);
    }
  } catch (error) {
    console.error(`import failed: ${(error as Error).message}`);
    Deno.exitCode = 1;
  } finally {
    await services.close();
  }
}

if (import.meta.main) await main();
