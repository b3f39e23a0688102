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
import { parseArgs } from "node:util";
import {
  type ImportedSubset,
  importJsonSchemaBench,
  importJsonSchemaBenchHub,
} from "../datasets/import_jsonschemabench.ts";
import { importKeywordCoverage } from "../datasets/import_keyword_coverage.ts";
import { HUB_SPLITS, type HubSplit } from "../datasets/jsonschemabench_hub.ts";
import { fetchGsm8k } from "../datasets/quality/gsm8k.ts";
import { qualityCases, qualitySuite } from "../datasets/quality/suite.ts";
import { type Database, openDatabase } from "../server/db/client.ts";
import { saveSuite } from "../server/db/queries/suites.ts";
import { prepareSuite } from "../server/suites/prepare.ts";
import { migrateDatabase } from "../server/db/migrate.ts";
import { type Env, EnvError, readEnv } from "../server/env.ts";

const USAGE =
  `usage: deno task import jsonschemabench --from DIR|hub [--split S] [--subsets A,B] [--limit N]
       deno task import json-schema-test-suite --from DIR|github [--ref REF]
       deno task import quality [--seed N] [--per-family N]
       deno task import gsm8k [--split train|test] [--limit N]

jsonschemabench: one suite per subset, named jsonschemabench/<Subset>
(jsonschemabench/<Subset>/<split> when --split takes one split of the hub's)
  --from DIR      a directory of <Subset>.jsonl files in the hub record format
                  ({"unique_id", "json_schema"} per line)
  --from hub      fetch epfl-dlab/JSONSchemaBench from the Hugging Face hub
                  (network: the hub API for the revision, the dataset
                  viewer's API for the rows, 4 requests at a time)
  --split S       with --from hub: only train, val or test (the paper
                  reports on test; default: every split)
  --subsets A,B   only these subsets (default: every .jsonl file in DIR, or
                  the ten subsets of the hub's dataset, one config each)
  --limit N       only the first N cases of each subset

json-schema-test-suite: the keyword coverage suite json-schema-test-suite/keywords,
one case per test group with a valid instance (draft4 to draft2020-12)
  --from DIR      a copy of json-schema-org/JSON-Schema-Test-Suite
                  (tests/<draft>/*.json)
  --from github   fetch it from GitHub (network: the REST API for the commit
                  and file list, then each test file's raw contents)
  --ref REF       with --from github: a branch, tag or commit (default main)

quality: the project's own quality tasks (last-letter concatenation,
shuffled objects, arithmetic word problems) with known answers, generated
from a seed; suite quality/seed-<N>/n-<per family>
  --seed N        the generator's seed (default 1)
  --per-family N  tasks of each family (default 20)

gsm8k: openai/gsm8k from the Hugging Face hub as a quality suite
  --split S       train or test (default test)
  --limit N       only the first N problems (network: the dataset viewer's API)

A directory named "hub" or "github" is given as ./hub or ./github.`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  Deno.exit(2);
}

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

function suiteLine(s: ImportedSubset): string {
  return `${
    s.created ? "created" : "exists "
  } ${s.suite.name} v${s.suite.version}: ${s.suite.caseCount} cases (${
    seconds(s.ms)
  }) id ${s.suite.id}`;
}

interface Cli {
  dataset: "jsonschemabench" | "json-schema-test-suite" | "quality" | "gsm8k";
  seed?: number;
  perFamily?: number;
  from: string;
  split?: HubSplit;
  subsets?: string[];
  limit?: number;
  ref?: string;
}

function parseCli(): Cli | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        from: { type: "string" },
        split: { type: "string" },
        subsets: { type: "string" },
        limit: { type: "string" },
        ref: { type: "string" },
        seed: { type: "string" },
        "per-family": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  const dataset = positionals[0];
  if (dataset === "quality" || dataset === "gsm8k") {
    const int = (raw: string | undefined, name: string, fallback?: number) => {
      if (raw === undefined) return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < (name === "seed" ? 0 : 1)) {
        fail(`--${name} must be a whole number`);
      }
      return n;
    };
    if (dataset === "quality") {
      return {
        dataset,
        from: "generator",
        seed: int(values.seed, "seed", 1),
        perFamily: int(values["per-family"], "per-family", 20),
      };
    }
    if (
      values.split !== undefined && values.split !== "train" &&
      values.split !== "test"
    ) fail("--split is train or test");
    return {
      dataset,
      from: "hub",
      split: values.split as HubSplit | undefined,
      limit: int(values.limit, "limit"),
    };
  }
  if (dataset !== "jsonschemabench" && dataset !== "json-schema-test-suite") {
    fail(`unknown dataset "${dataset ?? ""}"`);
  }
  if (positionals.length > 1) {
    fail(`unexpected argument "${positionals[1]}"`);
  }
  if (!values.from) {
    fail(
      dataset === "jsonschemabench"
        ? "--from DIR|hub is required"
        : "--from DIR|github is required",
    );
  }
  if (dataset === "json-schema-test-suite") {
    for (const option of ["split", "subsets", "limit"] as const) {
      if (values[option] !== undefined) {
        fail(`--${option} is for jsonschemabench only`);
      }
    }
    if (values.ref !== undefined && values.from !== "github") {
      fail("--ref goes with --from github");
    }
    return { dataset, from: values.from, ref: values.ref };
  }
  if (values.ref !== undefined) fail("--ref is for json-schema-test-suite");
  if (values.split !== undefined) {
    if (values.from !== "hub") fail("--split goes with --from hub");
    if (!(HUB_SPLITS as readonly string[]).includes(values.split)) {
      fail(`--split must be one of ${HUB_SPLITS.join(", ")}`);
    }
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    fail("--limit must be a positive whole number");
  }
  const subsets = values.subsets?.split(",").map((s) => s.trim()).filter(
    Boolean,
  );
  return {
    dataset,
    from: values.from,
    split: values.split as HubSplit | undefined,
    subsets,
    limit,
  };
}

async function importBench(
  cli: Cli,
  database: Awaited<ReturnType<typeof openDatabase>>,
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
    try {
      const hub = await importJsonSchemaBenchHub(
        database,
        {
          subsets: cli.subsets,
          split: cli.split,
          limit: cli.limit,
          onProgress: (p) =>
            line.show(
              `fetching from the hub: ${p.done}/${p.total} pages, ${p.rows} rows, ${
                seconds(performance.now() - started)
              }`,
            ),
        },
        env,
        (s) => {
          line.end();
          report(s);
        },
      );
      imported = hub.imported;
      revision = hub.revision;
      const duplicates = hub.imported.reduce((n, s) => n + s.duplicates, 0);
      if (duplicates) {
        console.log(
          `${duplicates} rows left out: same unique_id and schema as in an earlier split`,
        );
      }
    } finally {
      line.end();
    }
  } else {
    imported = await importJsonSchemaBench(
      database,
      { dir: cli.from, subsets: cli.subsets, limit: cli.limit },
      env,
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
  database: Awaited<ReturnType<typeof openDatabase>>,
  env: Env,
): Promise<void> {
  const started = performance.now();
  const line = progressLine();
  let result;
  try {
    result = await importKeywordCoverage(database, {
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
  const { suite, created, coverage, testSuite } = result;
  console.log(
    `${
      created ? "created" : "exists "
    } ${suite.name} v${suite.version}: ${suite.caseCount} cases (${
      seconds(result.ms)
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
  const database = await openDatabase({
    url: env.databaseUrl,
    dataDir: env.dataDir,
  });
  try {
    await migrateDatabase(database);
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
    await database.close();
  }
}

if (import.meta.main) await main();
