/**
 * Imports JSONSchemaBench from a local directory of per-subset JSONL files
 * (hub record format): one suite per subset, named
 * `jsonschemabench/<Subset>`. Content-addressed, so importing again creates
 * nothing new.
 *
 * @example
 * ```ts
 * import { importJsonSchemaBench } from "./import_jsonschemabench.ts";
 * const results = await importJsonSchemaBench(database, { dir: "./jsb", subsets: ["Glaiveai2K"] }, limits);
 * results[0].created; // true the first time, false after
 * ```
 * @module
 */
import type { Database } from "../server/db/client.ts";
import { saveSuite, type SuiteRow } from "../server/db/queries/suites.ts";
import { prepareSuite, type SuiteLimits } from "../server/suite_input.ts";
import { readSubsetDir } from "./jsonschemabench.ts";

/** What to import. */
export interface ImportOptions {
  /** The directory holding `<Subset>.jsonl` files. */
  dir: string;
  /** Subsets to import; all files in `dir` when empty. */
  subsets?: string[];
  /** Keep only the first N cases of each subset. */
  limit?: number;
}

/** One imported subset. */
export interface ImportedSubset {
  subset: string;
  suite: SuiteRow;
  created: boolean;
  ms: number;
}

/** The suite name for a subset. */
export const suiteNameFor = (subset: string) => `jsonschemabench/${subset}`;

/**
 * Imports each subset as one suite; calls `progress` after each.
 *
 * @example
 * ```ts
 * await importJsonSchemaBench(database, { dir }, limits, (s) => console.log(s.subset));
 * ```
 */
export async function importJsonSchemaBench(
  database: Database,
  options: ImportOptions,
  limits: SuiteLimits,
  progress: (done: ImportedSubset) => void = () => {},
): Promise<ImportedSubset[]> {
  const files = await readSubsetDir(options.dir, options);
  const imported: ImportedSubset[] = [];
  for (const file of files) {
    const started = performance.now();
    const prepared = prepareSuite(
      {
        name: suiteNameFor(file.subset),
        description: `JSONSchemaBench, subset ${file.subset}${
          options.limit ? ` (first ${options.limit})` : ""
        }`,
        cases: file.cases,
      },
      {
        kind: "jsonschemabench",
        from: "directory",
        subset: file.subset,
        ...(options.limit ? { limit: options.limit } : {}),
      },
      limits,
    );
    const { suite, created } = await saveSuite(database, prepared);
    const done = {
      subset: file.subset,
      suite,
      created,
      ms: performance.now() - started,
    };
    imported.push(done);
    progress(done);
  }
  return imported;
}
