/**
 * Imports JSONSchemaBench, one suite per subset, from a local directory of
 * per-subset JSONL files (hub record format) or from the Hugging Face hub.
 * A suite is named `jsonschemabench/<Subset>`, or
 * `jsonschemabench/<Subset>/<split>` when only one split of the hub's is
 * taken. Content-addressed, so importing again creates nothing new.
 *
 * @example
 * ```ts
 * import { importJsonSchemaBench } from "./import_jsonschemabench.ts";
 * import type { Database } from "../server/db/client.ts";
 * import type { SuiteLimits } from "../server/suites/prepare.ts";
 * declare const database: Database;
 * declare const limits: SuiteLimits;
 * const results = await importJsonSchemaBench(database, { dir: "./jsb", subsets: ["Glaiveai2K"] }, limits);
 * results[0].created; // true the first time, false after
 * ```
 * @module
 */
import type { Database } from "../server/db/client.ts";
import { saveSuite, type SuiteRow } from "../server/db/queries/suites.ts";
import { prepareSuite, type SuiteLimits } from "../server/suites/prepare.ts";
import { readSubsetDir } from "./jsonschemabench.ts";
import {
  type FetchHubOptions,
  fetchJsonSchemaBench,
} from "./jsonschemabench_hub.ts";

/**
 * What to import from a directory.
 *
 * @example
 * ```ts
 * const options: ImportOptions = { dir: "./jsb", subsets: ["Snowplow"], limit: 10 };
 * ```
 */
export interface ImportOptions {
  /** The directory holding `<Subset>.jsonl` files. */
  dir: string;
  /** Subsets to import; all files in `dir` when empty. */
  subsets?: string[];
  /** Keep only the first N cases of each subset. */
  limit?: number;
}

/**
 * One imported subset.
 *
 * @example
 * ```ts
 * const line = (s: ImportedSubset) => `${s.created ? "created" : "exists"} ${s.suite.name}`;
 * ```
 */
export interface ImportedSubset {
  subset: string;
  suite: SuiteRow;
  created: boolean;
  ms: number;
}

/**
 * The suite name for a subset (and a split, when only one is taken).
 *
 * @example
 * ```ts
 * suiteNameFor("Snowplow"); // "jsonschemabench/Snowplow"
 * suiteNameFor("Snowplow", "test"); // "jsonschemabench/Snowplow/test"
 * ```
 */
export const suiteNameFor = (subset: string, split?: string) =>
  `jsonschemabench/${subset}${split ? `/${split}` : ""}`;

/**
 * Imports each subset of a directory as one suite; calls `progress` after
 * each.
 *
 * @example
 * ```ts
 * import type { Database } from "../server/db/client.ts";
 * import type { SuiteLimits } from "../server/suites/prepare.ts";
 * declare const database: Database;
 * declare const dir: string;
 * declare const limits: SuiteLimits;
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

/**
 * What to import from the hub: {@link FetchHubOptions} (`subsets`, `split`,
 * `limit`, the API roots, `fetch`, `onProgress` …).
 *
 * @example
 * ```ts
 * const options: HubImportOptions = { split: "test", subsets: ["Snowplow"] };
 * ```
 */
export type HubImportOptions = FetchHubOptions;

/**
 * What a hub import did: the dataset's revision and each subset's suite.
 *
 * @example
 * ```ts
 * import type { Database } from "../server/db/client.ts";
 * import type { SuiteLimits } from "../server/suites/prepare.ts";
 * declare const database: Database;
 * declare const limits: SuiteLimits;
 * const { revision, imported } = await importJsonSchemaBenchHub(database, {}, limits);
 * ```
 */
export interface HubImport {
  revision: string;
  imported: (ImportedSubset & { duplicates: number })[];
}

/**
 * Fetches JSONSchemaBench from the hub and saves one suite per subset, with
 * `source: { kind: "jsonschemabench", from: "hub", split, revision, … }`
 * (`split` is `"all"` for the whole dataset). Every subset is fetched and
 * checked before the first is saved, so a failed fetch saves nothing.
 *
 * @example
 * ```ts
 * import type { Database } from "../server/db/client.ts";
 * import type { SuiteLimits } from "../server/suites/prepare.ts";
 * declare const database: Database;
 * declare const limits: SuiteLimits;
 * const { imported } = await importJsonSchemaBenchHub(database, { split: "test" }, limits);
 * imported[0].suite.name; // "jsonschemabench/Glaiveai2K/test"
 * ```
 */
export async function importJsonSchemaBenchHub(
  database: Database,
  options: HubImportOptions,
  limits: SuiteLimits,
  progress: (done: ImportedSubset) => void = () => {},
): Promise<HubImport> {
  const bench = await fetchJsonSchemaBench(options);
  const prepared = bench.subsets.map((subset) =>
    prepareSuite(
      {
        name: suiteNameFor(subset.subset, options.split),
        description: `JSONSchemaBench, subset ${subset.subset}, ${
          options.split ? `split ${options.split}` : "every split"
        }${
          options.limit ? ` (first ${options.limit})` : ""
        }, from the hub at revision ${bench.revision.slice(0, 12)}`,
        cases: subset.cases,
      },
      {
        kind: "jsonschemabench",
        from: "hub",
        dataset: bench.dataset,
        subset: subset.subset,
        split: options.split ?? "all",
        revision: bench.revision,
        rows: Object.fromEntries(subset.splits.map((s) => [s.split, s.rows])),
        ...(subset.duplicates ? { duplicates: subset.duplicates } : {}),
        ...(options.limit ? { limit: options.limit } : {}),
      },
      limits,
    )
  );
  const imported: HubImport["imported"] = [];
  for (const [index, suite] of prepared.entries()) {
    const started = performance.now();
    const saved = await saveSuite(database, suite);
    const done = {
      subset: bench.subsets[index].subset,
      ...saved,
      ms: performance.now() - started,
      duplicates: bench.subsets[index].duplicates,
    };
    imported.push(done);
    progress(done);
  }
  return { revision: bench.revision, imported };
}
