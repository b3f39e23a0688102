/**
 * The suites the project ships in `schemas/suites/<name>/`: a `suite.json`
 * (`{ name, description }`) and one file per case (`{ description, tags,
 * schema, valid, invalid }`; the examples serve the project's own tests).
 * Loaded at start-up; being content-addressed, loading again adds nothing
 * unless a file changed, which makes a new version.
 *
 * @example
 * ```ts
 * import { loadBuiltinSuites } from "./builtin.ts";
 * import type { Database } from "../db/client.ts";
 * import type { Env } from "../env.ts";
 * declare const database: Database;
 * declare const env: Env;
 * const loaded = await loadBuiltinSuites(database, env);
 * loaded[0].name; // "smoke"
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";
import type { Database } from "../db/client.ts";
import { saveSuite, type SuiteRow } from "../db/queries/suites.ts";
import { type CaseInput, prepareSuite, type SuiteLimits } from "./prepare.ts";

/** The folder holding the built-in suites. */
export const BUILTIN_DIR = fileURLToPath(
  new URL("../../schemas/suites", import.meta.url),
);

interface CaseFile {
  description?: string;
  tags?: string[];
  schema: unknown;
  prompt?: string;
}

/**
 * Reads one built-in suite folder into a suite input.
 *
 * @example
 * ```ts
 * const { name, cases } = await readBuiltinSuite(`${BUILTIN_DIR}/smoke`);
 * ```
 */
export async function readBuiltinSuite(
  dir: string,
): Promise<{ name: string; description?: string; cases: CaseInput[] }> {
  const meta = JSON.parse(await Deno.readTextFile(`${dir}/suite.json`)) as {
    name: string;
    description?: string;
  };
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && /^\d+_.*\.json$/.test(entry.name)) {
      files.push(entry.name);
    }
  }
  files.sort();
  const cases: CaseInput[] = [];
  for (const file of files) {
    const data = JSON.parse(
      await Deno.readTextFile(`${dir}/${file}`),
    ) as CaseFile;
    cases.push({
      key: file.slice(0, -".json".length),
      schema: data.schema,
      tags: data.tags ?? [],
      ...(data.prompt ? { prompt: data.prompt } : {}),
    });
  }
  return { name: meta.name, description: meta.description, cases };
}

/**
 * Stores every built-in suite not yet stored; returns them all.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * await loadBuiltinSuites(database, { maxCasesPerSuite: 1000, maxSchemaBytes: 1e6, maxSchemaDepth: 64 });
 * ```
 */
export async function loadBuiltinSuites(
  database: Database,
  limits: SuiteLimits,
  root = BUILTIN_DIR,
): Promise<SuiteRow[]> {
  const loaded: SuiteRow[] = [];
  const dirs: string[] = [];
  for await (const entry of Deno.readDir(root)) {
    if (entry.isDirectory) dirs.push(entry.name);
  }
  for (const dir of dirs.sort()) {
    const input = await readBuiltinSuite(`${root}/${dir}`);
    const prepared = prepareSuite(
      input,
      { kind: "builtin", folder: dir },
      limits,
    );
    loaded.push((await saveSuite(database, prepared)).suite);
  }
  return loaded;
}
