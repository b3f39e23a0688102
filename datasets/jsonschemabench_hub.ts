/**
 * JSONSchemaBench fetched at run time from the Hugging Face hub, through the
 * dataset viewer's API ({@link ./hub_viewer.ts}: `/splits` lists each config
 * (one per subset) and its splits, `/rows` serves pages of at most 100
 * rows). The dataset's commit (the hub API's `sha`) is read before and
 * after, and the fetch fails if it moved in between.
 *
 * Pages are fetched a few at a time; 429 and 5xx answers are tried again
 * (see {@link ./fetch_json.ts}). The viewer truncates very large cells: such a row
 * is asked for again on its own, and if it is still truncated the fetch
 * fails naming it — a schema is never imported cut short. Each row is then
 * parsed as a case; a row repeated in a later split (same id and schema) is
 * counted as a duplicate and left out.
 *
 * @example
 * ```ts
 * import { fetchJsonSchemaBench } from "./jsonschemabench_hub.ts";
 * const bench = await fetchJsonSchemaBench({ subsets: ["Snowplow"], split: "test" });
 * bench.revision; // the dataset's commit
 * bench.subsets[0].cases.length;
 * ```
 * @module
 */
import type { CaseInput } from "../evaluators/case.ts";
import type { RetryOptions } from "./fetch_json.ts";
import { DATASET_VIEWER_URL, HUB_URL } from "./hub_urls.ts";
import {
  fetchSplitRows,
  type HubProgress,
  hubRevision,
  listSplits,
  MAX_PAGE,
  splitKey,
  type SplitRows,
} from "./hub_viewer.ts";
import { JSONSCHEMABENCH_SUBSETS, parseHubJsonl } from "./jsonschemabench.ts";

/**
 * JSONSchemaBench's id on the hub.
 *
 * @example
 * ```ts
 * await fetchJsonSchemaBench({ dataset: JSONSCHEMABENCH_DATASET });
 * ```
 */
export const JSONSCHEMABENCH_DATASET = "epfl-dlab/JSONSchemaBench";

/**
 * The splits of every subset, in the order a whole-dataset import keeps.
 *
 * @example
 * ```ts
 * HUB_SPLITS.includes("test"); // true
 * ```
 */
export const HUB_SPLITS = ["train", "val", "test"] as const;

/**
 * One of {@link HUB_SPLITS}.
 *
 * @example
 * ```ts
 * const split: HubSplit = "test";
 * ```
 */
export type HubSplit = typeof HUB_SPLITS[number];

/**
 * What to fetch, and from where.
 *
 * @example
 * ```ts
 * const options: FetchHubOptions = { subsets: ["Kubernetes"], split: "test", limit: 50 };
 * ```
 */
export interface FetchHubOptions {
  /** The dataset id (default {@link JSONSCHEMABENCH_DATASET}). */
  dataset?: string;
  /** Configs to fetch, one per subset (default: the ten subsets). */
  subsets?: string[];
  /** One split only; every split of each subset when absent. */
  split?: HubSplit;
  /** Keep only the first N rows of each subset (splits in order). */
  limit?: number;
  /** The dataset viewer API root (default {@link DATASET_VIEWER_URL}). */
  baseUrl?: string;
  /** The hub root (default {@link HUB_URL}). */
  hubUrl?: string;
  fetch?: typeof fetch;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Rows per page, at most 100 (default 100). */
  pageSize?: number;
  retry?: RetryOptions;
  onProgress?: (progress: HubProgress) => void;
}

/**
 * One fetched subset.
 *
 * @example
 * ```ts
 * const s: HubSubset = { subset: "Snowplow", splits: [{ split: "test", rows: 1 }], cases: [], duplicates: 0 };
 * ```
 */
export interface HubSubset {
  subset: string;
  /** The rows taken from each split, in order. */
  splits: { split: string; rows: number }[];
  /** Each tagged `split:<name>`, `subset` set to the subset. */
  cases: CaseInput[];
  /** Rows left out because an earlier split held the same id and schema. */
  duplicates: number;
}

/**
 * A fetched dataset.
 *
 * @example
 * ```ts
 * const { revision, subsets } = await fetchJsonSchemaBench({});
 * ```
 */
export interface HubDataset {
  dataset: string;
  /** The dataset's commit on the hub. */
  revision: string;
  subsets: HubSubset[];
}

/**
 * Fetches JSONSchemaBench (or some subsets, one split, the first rows) from
 * the hub. Nothing is returned unless every wanted row came back whole and
 * parsed: the errors name the config, split and row.
 *
 * @example
 * ```ts
 * const bench = await fetchJsonSchemaBench({ subsets: ["Glaiveai2K"], limit: 10 });
 * bench.subsets[0].cases[0].tags; // ["split:train"]
 * ```
 */
export async function fetchJsonSchemaBench(
  options: FetchHubOptions = {},
): Promise<HubDataset> {
  const dataset = options.dataset ?? JSONSCHEMABENCH_DATASET;
  const base = (options.baseUrl ?? DATASET_VIEWER_URL).replace(/\/$/, "");
  const hubUrl = (options.hubUrl ?? HUB_URL).replace(/\/$/, "");
  const pageSize = Math.min(MAX_PAGE, Math.max(1, options.pageSize ?? 100));
  const concurrency = options.concurrency ?? 4;
  const limit = options.limit ?? Infinity;
  const http = { fetch: options.fetch, retry: options.retry };
  const wanted = options.subsets?.length
    ? [...new Set(options.subsets)]
    : [...JSONSCHEMABENCH_SUBSETS];

  const revision = await hubRevision(dataset, { ...http, hubUrl });
  const listing = await listSplits(base, dataset, { ...http });
  const problems: string[] = [];
  const plan = new Map<string, string[]>();
  for (const config of wanted) {
    const found = listing.splits.get(config);
    if (!found) {
      problems.push(
        listing.notReady.has(config)
          ? `config ${config} is ${listing.notReady.get(config)}`
          : `no config ${config} (the dataset has: ${
            [...listing.splits.keys()].join(", ") || "none"
          })`,
      );
      continue;
    }
    const ordered = [
      ...HUB_SPLITS.filter((s) => found.includes(s)),
      ...found.filter((s) => !(HUB_SPLITS as readonly string[]).includes(s)),
    ];
    if (options.split && !found.includes(options.split)) {
      problems.push(
        `config ${config} has no split ${options.split} (it has: ${
          ordered.join(", ")
        })`,
      );
      continue;
    }
    plan.set(config, options.split ? [options.split] : ordered);
  }
  if (problems.length) {
    throw new Error(`${dataset} on the hub: ${problems.join("; ")}`);
  }

  const fetched = await fetchSplitRows({
    ...http,
    base,
    dataset,
    plan,
    limit,
    pageSize,
    concurrency,
    onProgress: options.onProgress,
  });
  const subsets = subsetsOf(dataset, plan, fetched);

  const after = await hubRevision(dataset, { ...http, hubUrl });
  if (after !== revision) {
    throw new Error(
      `${dataset} changed on the hub during the fetch (${revision} became ${after}); run the import again`,
    );
  }
  return { dataset, revision, subsets };
}

/**
 * Each config's fetched rows parsed as cases, tagged with their split; a
 * row whose id and schema an earlier split already held is a duplicate.
 * Throws, naming them, if any row is missing, does not parse, or reuses an
 * id with another schema.
 */
function subsetsOf(
  dataset: string,
  plan: Map<string, string[]>,
  fetched: Map<string, SplitRows>,
): HubSubset[] {
  const errors: string[] = [];
  const subsets: HubSubset[] = [];
  for (const [config, splits] of plan) {
    const cases: CaseInput[] = [];
    const seen = new Map<string, { where: string; schema: string }>();
    const counts: { split: string; rows: number }[] = [];
    let duplicates = 0;
    for (const split of splits) {
      const { take, rows } = fetched.get(splitKey(config, split))!;
      rows.sort((a, b) => a.row_idx - b.row_idx);
      const indices = new Set(rows.map((r) => r.row_idx));
      if (rows.length !== take || indices.size !== take) {
        errors.push(
          `${config}/${split}: the viewer gave ${indices.size} distinct rows of the ${take} asked for`,
        );
        continue;
      }
      counts.push({ split, rows: take });
      for (const row of rows) {
        const where = `${split} row ${row.row_idx}`;
        const parsed = parseHubJsonl(JSON.stringify(row.row), config);
        if (parsed.errors.length) {
          errors.push(`${config}/${where}: ${parsed.errors[0].message}`);
          continue;
        }
        const found = parsed.cases[0];
        const schema = String(row.row.json_schema);
        const earlier = seen.get(found.key);
        if (earlier && earlier.schema === schema) {
          duplicates++;
          continue;
        }
        if (earlier) {
          errors.push(
            `${config}: unique_id ${found.key} at ${where} is also at ${earlier.where} with another schema`,
          );
          continue;
        }
        seen.set(found.key, { where, schema });
        cases.push({ ...found, tags: [`split:${split}`] });
      }
    }
    subsets.push({ subset: config, splits: counts, cases, duplicates });
  }
  if (errors.length) {
    throw new Error(
      `${dataset} on the hub: ${errors.length} bad row(s); nothing was imported\n${
        errors.slice(0, 10).map((e) => `  ${e}`).join("\n")
      }${errors.length > 10 ? `\n  … and ${errors.length - 10} more` : ""}`,
    );
  }
  return subsets;
}
