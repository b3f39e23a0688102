/**
 * JSONSchemaBench fetched at run time from the Hugging Face hub, through the
 * dataset viewer's API: `/splits` lists each config (one per subset) and its
 * splits, `/rows` serves pages of at most 100 rows. The dataset's commit
 * (the hub API's `sha`) is read before and after, and the fetch fails if it
 * moved in between.
 *
 * Pages are fetched a few at a time; 429 and 5xx answers are tried again
 * (see {@link fetchJson}). The viewer truncates very large cells: such a row
 * is asked for again on its own, and if it is still truncated the fetch
 * fails naming it — a schema is never imported cut short.
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
import { fetchJson, type RetryOptions } from "./fetch_json.ts";
import { DATASET_VIEWER_URL, HUB_URL } from "./hub_urls.ts";
import { JSONSCHEMABENCH_SUBSETS, parseHubJsonl } from "./jsonschemabench.ts";
import { mapConcurrent } from "./map_concurrent.ts";

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

/** The most rows the viewer serves per page. */
const MAX_PAGE = 100;

/**
 * How far a fetch has come: pages (and single rows asked again) done out of
 * those planned so far (the plan grows once each split's size is known).
 *
 * @example
 * ```ts
 * const onProgress = (p: HubProgress) => console.error(`${p.done}/${p.total} pages, ${p.rows} rows`);
 * ```
 */
export interface HubProgress {
  done: number;
  total: number;
  rows: number;
}

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

interface ViewerRow {
  row_idx: number;
  row: Record<string, unknown>;
  truncated_cells: string[];
}

interface ViewerPage {
  total: number;
  rows: ViewerRow[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unexpected(url: string, what: string): Error {
  return new Error(`GET ${url}: unexpected answer (${what})`);
}

/**
 * The dataset's current commit, from the hub API.
 *
 * @example
 * ```ts
 * await hubRevision("epfl-dlab/JSONSchemaBench"); // "5bd0f46…"
 * ```
 */
export async function hubRevision(
  dataset: string,
  options: Pick<FetchHubOptions, "hubUrl" | "fetch" | "retry"> = {},
): Promise<string> {
  const url = `${options.hubUrl ?? HUB_URL}/api/datasets/${dataset}`;
  const body = await fetchJson(url, options);
  if (!isObject(body) || typeof body.sha !== "string" || body.sha === "") {
    throw unexpected(url, "no sha");
  }
  return body.sha;
}

/** The splits of each config, as the viewer lists them. */
async function listSplits(
  base: string,
  dataset: string,
  options: FetchHubOptions,
): Promise<{ splits: Map<string, string[]>; notReady: Map<string, string> }> {
  const url = `${base}/splits?dataset=${encodeURIComponent(dataset)}`;
  const body = await fetchJson(url, options);
  if (!isObject(body) || !Array.isArray(body.splits)) {
    throw unexpected(url, "no splits list");
  }
  const splits = new Map<string, string[]>();
  for (const entry of body.splits) {
    if (
      !isObject(entry) || typeof entry.config !== "string" ||
      typeof entry.split !== "string"
    ) throw unexpected(url, `a split entry is ${JSON.stringify(entry)}`);
    splits.set(entry.config, [
      ...(splits.get(entry.config) ?? []),
      entry.split,
    ]);
  }
  const notReady = new Map<string, string>();
  for (
    const [field, state] of [["pending", "still being processed"], [
      "failed",
      "failed",
    ]] as const
  ) {
    const list = body[field];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (!isObject(entry) || typeof entry.config !== "string") continue;
      const error = isObject(entry.error) && typeof entry.error.error ===
          "string"
        ? `: ${entry.error.error}`
        : typeof entry.error === "string"
        ? `: ${entry.error}`
        : "";
      notReady.set(entry.config, `${state} by the dataset viewer${error}`);
    }
  }
  return { splits, notReady };
}

function checkPage(url: string, body: unknown): ViewerPage {
  if (!isObject(body) || !Array.isArray(body.rows)) {
    throw unexpected(url, "no rows");
  }
  if (typeof body.num_rows_total !== "number") {
    throw unexpected(url, "no num_rows_total");
  }
  if (body.partial === true) {
    throw new Error(
      `GET ${url}: the dataset viewer serves only part of this split (partial: true), so it cannot be imported whole this way`,
    );
  }
  const rows = body.rows.map((entry): ViewerRow => {
    if (
      !isObject(entry) || typeof entry.row_idx !== "number" ||
      !isObject(entry.row)
    ) throw unexpected(url, "a row without row_idx or row");
    const truncated = Array.isArray(entry.truncated_cells)
      ? entry.truncated_cells.map(String)
      : [];
    return {
      row_idx: entry.row_idx,
      row: entry.row,
      truncated_cells: truncated,
    };
  });
  return { total: body.num_rows_total, rows };
}

/** One page request: a config's split, rows [offset, offset + length). */
interface PageJob {
  config: string;
  split: string;
  offset: number;
  length: number;
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

  const progress = { done: 0, total: 0, rows: 0 };
  const report = () => options.onProgress?.({ ...progress });
  const rowsUrl = (job: PageJob) =>
    `${base}/rows?dataset=${encodeURIComponent(dataset)}&config=${
      encodeURIComponent(job.config)
    }&split=${
      encodeURIComponent(job.split)
    }&offset=${job.offset}&length=${job.length}`;
  const fetchPage = async (job: PageJob): Promise<ViewerPage> => {
    const url = rowsUrl(job);
    const page = checkPage(url, await fetchJson(url, http));
    progress.done++;
    progress.rows += page.rows.length;
    report();
    return page;
  };

  // First pages: they tell each split's size.
  const firstLength = Math.min(pageSize, limit);
  const firstJobs: PageJob[] = [...plan].flatMap(([config, splits]) =>
    splits.map((split) => ({ config, split, offset: 0, length: firstLength }))
  );
  progress.total = firstJobs.length;
  report();
  const firstPages = await mapConcurrent(firstJobs, concurrency, fetchPage);

  // How many rows to take from each split, and the pages still to fetch.
  const taken = new Map<string, number>();
  const rowsOf = new Map<string, ViewerRow[]>();
  const moreJobs: PageJob[] = [];
  const splitKey = (config: string, split: string) => `${config}\u0000${split}`;
  for (const [config, splits] of plan) {
    let left = limit;
    for (const split of splits) {
      const index = firstJobs.findIndex((j) =>
        j.config === config && j.split === split
      );
      const first = firstPages[index];
      const take = Math.min(first.total, left);
      left -= take;
      taken.set(splitKey(config, split), take);
      rowsOf.set(
        splitKey(config, split),
        first.rows.filter((r) => r.row_idx < take),
      );
      for (let offset = firstLength; offset < take; offset += pageSize) {
        moreJobs.push({
          config,
          split,
          offset,
          length: Math.min(pageSize, take - offset),
        });
      }
    }
  }
  progress.total += moreJobs.length;
  report();
  const morePages = await mapConcurrent(moreJobs, concurrency, fetchPage);
  moreJobs.forEach((job, i) => {
    rowsOf.get(splitKey(job.config, job.split))!.push(...morePages[i].rows);
  });

  // Rows the viewer truncated: asked for again alone, which may fit whole.
  const truncated = [...plan].flatMap(([config, splits]) =>
    splits.flatMap((split) =>
      rowsOf.get(splitKey(config, split))!.filter((r) =>
        r.truncated_cells.length > 0
      ).map((r) => ({ config, split, offset: r.row_idx, length: 1 }))
    )
  );
  progress.total += truncated.length;
  report();
  const alone = await mapConcurrent(truncated, concurrency, fetchPage);
  const stillTruncated: string[] = [];
  truncated.forEach((job, i) => {
    const row = alone[i].rows.find((r) => r.row_idx === job.offset);
    const rows = rowsOf.get(splitKey(job.config, job.split))!;
    const at = rows.findIndex((r) => r.row_idx === job.offset);
    if (row && row.truncated_cells.length === 0) {
      rows[at] = row;
      return;
    }
    const kept = row ?? rows[at];
    const id = kept.row.unique_id;
    stillTruncated.push(
      `${job.config}/${job.split} row ${job.offset}${
        typeof id === "string" ? ` (unique_id ${id})` : ""
      }: cell ${kept.truncated_cells.join(", ")}`,
    );
  });
  if (stillTruncated.length) {
    throw new Error(
      `the dataset viewer truncated ${stillTruncated.length} very large cell(s), even asked for alone, so these rows cannot be imported from the hub whole; nothing was imported. Leave these subsets out (--subsets), or import from a directory of the dataset's files (--from DIR).\n${
        stillTruncated.slice(0, 10).map((s) => `  ${s}`).join("\n")
      }${
        stillTruncated.length > 10
          ? `\n  … and ${stillTruncated.length - 10} more`
          : ""
      }`,
    );
  }

  const errors: string[] = [];
  const subsets: HubSubset[] = [];
  for (const [config, splits] of plan) {
    const cases: CaseInput[] = [];
    const seen = new Map<string, { where: string; schema: string }>();
    const counts: { split: string; rows: number }[] = [];
    let duplicates = 0;
    for (const split of splits) {
      const rows = rowsOf.get(splitKey(config, split))!
        .sort((a, b) => a.row_idx - b.row_idx);
      const take = taken.get(splitKey(config, split))!;
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

  const after = await hubRevision(dataset, { ...http, hubUrl });
  if (after !== revision) {
    throw new Error(
      `${dataset} changed on the hub during the fetch (${revision} became ${after}); run the import again`,
    );
  }
  return { dataset, revision, subsets };
}
