/**
 * `deno task import`: loads datasets into the database named by the
 * environment (`DATABASE_URL`, or PGlite in `DATA_DIR`).
 *
 * ```sh
 * deno task import jsonschemabench --from DIR [--subsets A,B] [--limit N]
 * ```
 *
 * With the embedded database, stop the server first: PGlite allows one
 * process at a time. (Or post the files to `POST /api/suites/import`.)
 *
 * @example
 * ```sh
 * deno task import jsonschemabench --from ../shared/datasets/jsonschemabench --subsets Glaiveai2K --limit 100
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { importJsonSchemaBench } from "../datasets/import_jsonschemabench.ts";
import { openDatabase } from "../server/db/client.ts";
import { migrateDatabase } from "../server/db/migrate.ts";
import { EnvError, readEnv } from "../server/env.ts";

const USAGE =
  `usage: deno task import jsonschemabench --from DIR [--subsets A,B] [--limit N]

  --from DIR      a directory of <Subset>.jsonl files in the hub record format
                  ({"unique_id", "json_schema"} per line)
  --subsets A,B   only these subsets (default: every .jsonl file in DIR)
  --limit N       only the first N cases of each subset`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  Deno.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        from: { type: "string" },
        subsets: { type: "string" },
        limit: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals[0] !== "jsonschemabench") {
    fail(`unknown dataset "${positionals[0] ?? ""}"`);
  }
  if (!values.from) {
    fail("--from DIR is required (fetching from the hub is not built yet)");
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    fail("--limit must be a positive whole number");
  }
  const subsets = values.subsets?.split(",").map((s) => s.trim()).filter(
    Boolean,
  );

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
    const started = performance.now();
    let cases = 0;
    const imported = await importJsonSchemaBench(
      database,
      { dir: values.from, subsets, limit },
      env,
      (s) => {
        cases += s.suite.caseCount;
        console.log(
          `${
            s.created ? "created" : "exists "
          } ${s.suite.name} v${s.suite.version}: ${s.suite.caseCount} cases (${
            (s.ms / 1000).toFixed(1)
          } s) id ${s.suite.id}`,
        );
      },
    );
    const created = imported.filter((s) => s.created).length;
    console.log(
      `${imported.length} subsets, ${cases} cases, ${created} new suites in ${
        ((performance.now() - started) / 1000).toFixed(1)
      } s`,
    );
  } catch (error) {
    console.error(`import failed: ${(error as Error).message}`);
    Deno.exitCode = 1;
  } finally {
    await database.close();
  }
}

if (import.meta.main) await main();
