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
 * When a server holds the embedded database (PGlite allows one process at
 * a time), the suites are prepared here and sent through that server
 * (`POST /api/suites`, source kept; `holding_server.ts`), with
 * `EVAL_TOKEN`, else `ADMIN_TOKEN`, else `DATA_DIR/admin.token`; with
 * none, one line says so (exit 2).
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
import { DATA_ONLY, openServices } from "../server/boot.ts";
import { DataDirLockedError } from "../server/db/data_dir_lock.ts";
import { saveSuite } from "../server/db/queries/suites.ts";
import { type PreparedSuite, prepareSuite } from "../server/suites/prepare.ts";
import {
  HolderError,
  refusedTokenMessage,
  throughHolder,
} from "./holding_server.ts";
import { suiteBody } from "./suite_body.ts";
import { type Env, EnvError, readEnv } from "../server/env.ts";
import { type Cli, fail, parseCli, USAGE } from "./import_args.ts";
import { embeddedWarnings, printWarnings } from "./import_warnings.ts";

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

/** A saved suite, as the database or the server answers it. */
interface Saved {
  suite: { id: string; name: string; version: number; caseCount: number };
  created: boolean;
}

/** Where prepared suites go: the database, or the server holding it. */
type Save = (prepared: PreparedSuite) => Promise<Saved>;

/** One subset, saved. */
interface ImportedSubset extends Saved {
  subset: string;
  ms: number;
}

/** Saves each prepared subset in turn; calls `report` after each. */
async function saveSubsets(
  save: Save,
  subsets: SubsetSuite[],
  report: (done: ImportedSubset) => void,
): Promise<ImportedSubset[]> {
  const imported: ImportedSubset[] = [];
  for (const { subset, suite: prepared } of subsets) {
    const started = performance.now();
    const { suite, created } = await save(prepared);
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
  save: Save,
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
    imported = await saveSubsets(save, hub.suites, report);
    revision = hub.revision;
    const duplicates = hub.suites.reduce((n, s) => n + s.duplicates, 0);
    if (duplicates) {
      console.log(
        `${duplicates} rows left out: same unique_id and schema as in an earlier split`,
      );
    }
  } else {
    imported = await saveSubsets(
      save,
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
  save: Save,
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
  const { suite, created } = await save(read.suite);
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
  save: Save,
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
  const { suite, created } = await save(prepared);
  console.log(
    `${
      created ? "created" : "exists "
    } ${suite.name} v${suite.version}: ${suite.caseCount} cases, id ${suite.id}`,
  );
}

/** Saves through the server at `url` with `token`, the source kept. */
function throughServer(url: string, token: string): Save {
  return async (prepared) => {
    const res = await fetch(`${url}/api/suites`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(suiteBody(prepared)),
      signal: AbortSignal.timeout(600_000),
    });
    const json = await res.json().catch(() => ({}));
    if (res.status === 401 || res.status === 403) {
      throw new HolderError(
        refusedTokenMessage(
          url,
          res.status,
          json?.error?.message ?? "no reason given",
        ),
      );
    }
    if (res.status !== 200 && res.status !== 201) {
      throw new Error(
        `the server at ${url} answered POST /api/suites with HTTP ${res.status}${
          json?.error?.message ? `: ${json.error.message}` : ""
        }`,
      );
    }
    printWarnings(prepared.name, json.warnings ?? []);
    return {
      created: res.status === 201,
      suite: {
        id: json.id,
        name: json.name,
        version: json.version,
        caseCount: json.case_count,
      },
    };
  };
}

/** The database `env` names, else (it is held) the server holding it. */
async function openSave(
  env: Env,
): Promise<{ save: Save; close(): Promise<void> }> {
  try {
    const services = await openServices(env, DATA_ONLY);
    const checker = embeddedWarnings();
    return {
      save: async (prepared) => {
        const saved = await saveSuite(services.database, prepared);
        printWarnings(prepared.name, await checker.check(prepared));
        return saved;
      },
      close: () => {
        checker.close();
        return services.close();
      },
    };
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    let holder;
    try {
      holder = await throughHolder(error, env.dataDir);
    } catch (why) {
      console.error(`error: ${(why as Error).message}`);
      Deno.exit(why instanceof HolderError ? 2 : 1);
    }
    console.error(
      `${env.dataDir} is held by the server at ${holder.url}: sending the suites through its API (token from ${holder.from})`,
    );
    return {
      save: throughServer(holder.url, holder.token),
      close: () => Promise.resolve(),
    };
  }
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
  const { save, close } = await openSave(env);
  try {
    if (cli.dataset === "jsonschemabench") {
      await importBench(cli, save, env);
    } else if (cli.dataset === "quality" || cli.dataset === "gsm8k") {
      await importQuality(cli, save, env);
    } else {
      await importTestSuite(cli, save, env);
    }
  } catch (error) {
    console.error(`import failed: ${(error as Error).message}`);
    Deno.exitCode = 1;
  } finally {
    await close();
  }
}

if (import.meta.main) await main();
