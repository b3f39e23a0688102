/**
 * JSONSchemaBench as suites, one per subset, from a local directory of
 * per-subset JSONL files (hub record format) or from the Hugging Face hub,
 * prepared for storing (the caller saves them). A suite is named
 * `jsonschemabench/<Subset>`, or `jsonschemabench/<Subset>/<split>` when
 * only one split of the hub's is taken. Content-addressed: the same cases
 * give the same hash, so saving them again creates nothing new.
 *
 * @example
 * ```ts
 * import { jsonSchemaBenchSuites } from "./import_jsonschemabench.ts";
 * const limits = { maxCasesPerSuite: 20_000, maxSchemaBytes: 1 << 20, maxSchemaDepth: 64 };
 * const suites = await jsonSchemaBenchSuites({ dir: "./jsb", subsets: ["Glaiveai2K"] }, limits);
 * suites[0].suite.name; // "jsonschemabench/Glaiveai2K"
 * ```
 * @module
 */
import {
  type PreparedSuite,
  prepareSuiteOrThrow,
  type SuiteLimits,
} from "../evaluators/case.ts";
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
 * import type { ImportOptions } from "./import_jsonschemabench.ts";
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
 * One subset, prepared as a suite.
 *
 * @example
 * ```ts
 * import type { SubsetSuite } from "./import_jsonschemabench.ts";
 * const line = (s: SubsetSuite) => `${s.subset}: ${s.suite.cases.length} cases`;
 * ```
 */
export interface SubsetSuite {
  subset: string;
  suite: PreparedSuite;
}

/**
 * The suite name for a subset (and a split, when only one is taken).
 *
 * @example
 * ```ts
 * import { suiteNameFor } from "./import_jsonschemabench.ts";
 * suiteNameFor("Snowplow"); // "jsonschemabench/Snowplow"
 * suiteNameFor("Snowplow", "test"); // "jsonschemabench/Snowplow/test"
 * ```
 */
export const suiteNameFor = (subset: string, split?: string): string =>
  `jsonschemabench/${subset}${split ? `/${split}` : ""}`;

/**
 * Each subset of a directory as one suite, with
 * `source: { kind: "jsonschemabench", from: "directory", subset, limit? }`.
 * Throws a `SuiteProblemError` when a subset breaks the limits.
 *
 * @example
 * ```ts
 * import { jsonSchemaBenchSuites } from "./import_jsonschemabench.ts";
 * import type { SuiteLimits } from "../evaluators/case.ts";
 * declare const limits: SuiteLimits;
 * const suites = await jsonSchemaBenchSuites({ dir: "./jsb", limit: 100 }, limits);
 * ```
 */
export async function jsonSchemaBenchSuites(
  options: ImportOptions,
  limits: SuiteLimits,
): Promise<SubsetSuite[]> {
  const files = await readSubsetDir(options.dir, options);
  const empty = files.filter((file) => file.cases.length === 0);
  if (empty.length) {
    throw new Error(
      `${empty.map((f) => `${f.subset}.jsonl`).join(", ")} in ${options.dir} ${
        empty.length > 1 ? "hold" : "holds"
      } no cases: nothing was imported`,
    );
  }
  return files.map((file) => ({
    subset: file.subset,
    suite: prepareSuiteOrThrow(
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
    ),
  }));
}

/**
 * What to import from the hub: {@link FetchHubOptions} (`subsets`, `split`,
 * `limit`, the API roots, `fetch`, `onProgress` …).
 *
 * @example
 * ```ts
 * import type { HubImportOptions } from "./import_jsonschemabench.ts";
 * const options: HubImportOptions = { split: "test", subsets: ["Snowplow"] };
 * ```
 */
export type HubImportOptions = FetchHubOptions;

/**
 * What the hub gave: the dataset's revision and each subset's suite, with
 * the rows left out as repeats of an earlier split.
 *
 * @example
 * ```ts
 * import type { HubSuites } from "./import_jsonschemabench.ts";
 * declare const hub: HubSuites;
 * const left = hub.suites.reduce((n, s) => n + s.duplicates, 0);
 * ```
 */
export interface HubSuites {
  revision: string;
  suites: (SubsetSuite & { duplicates: number })[];
}

/**
 * Fetches JSONSchemaBench from the hub as one suite per subset, with
 * `source: { kind: "jsonschemabench", from: "hub", split, revision, … }`
 * (`split` is `"all"` for the whole dataset). Every subset is fetched and
 * checked before any is returned, so a failed fetch gives nothing to save.
 *
 * @example
 * ```ts
 * import { jsonSchemaBenchHubSuites } from "./import_jsonschemabench.ts";
 * import type { SuiteLimits } from "../evaluators/case.ts";
 * declare const limits: SuiteLimits;
 * const { suites } = await jsonSchemaBenchHubSuites({ split: "test" }, limits);
 * suites[0].suite.name; // "jsonschemabench/Glaiveai2K/test"
 * ```
 */
export async function jsonSchemaBenchHubSuites(
  options: HubImportOptions,
  limits: SuiteLimits,
): Promise<HubSuites> {
  const bench = await fetchJsonSchemaBench(options);
  const empty = bench.subsets.filter((subset) => subset.cases.length === 0);
  if (empty.length) {
    throw new Error(
      `the hub gave no cases for ${empty.map((s) => s.subset).join(", ")}${
        options.split ? ` (split ${options.split})` : ""
      }: nothing was imported`,
    );
  }
  const suites = bench.subsets.map((subset) => ({
    subset: subset.subset,
    duplicates: subset.duplicates,
    suite: prepareSuiteOrThrow(
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
    ),
  }));
  return { revision: bench.revision, suites };
}
