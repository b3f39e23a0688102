/**
 * The Hugging Face hub's dataset viewer, read page by page: the hub API
 * tells a dataset's commit (`sha`), `/splits` lists each config and its
 * splits, `/rows` serves pages of at most 100 rows. {@link fetchSplitRows}
 * takes the first rows of each config's splits, a few pages at a time
 * (429 and 5xx answers are tried again, see {@link fetchJson}), and asks
 * again, alone, for every row the viewer truncated; if one is still
 * truncated it fails naming it, so no cell is ever returned cut short.
 *
 * @example
 * ```ts
 * import { fetchSplitRows, hubRevision, listSplits } from "./hub_viewer.ts";
 * import { DATASET_VIEWER_URL } from "./hub_urls.ts";
 * const dataset = "epfl-dlab/JSONSchemaBench";
 * const revision = await hubRevision(dataset);
 * const { splits } = await listSplits(DATASET_VIEWER_URL, dataset, {});
 * const rows = await fetchSplitRows({
 *   base: DATASET_VIEWER_URL,
 *   dataset,
 *   plan: new Map([["Snowplow", splits.get("Snowplow") ?? []]]),
 *   limit: 10,
 *   pageSize: 100,
 *   concurrency: 4,
 * });
 * rows.get(splitKey("Snowplow", "test"))?.rows.length; // up to 10, with `revision` the commit read
 * ```
 * @module
 */
import { fetchJson, type RetryOptions } from "./fetch_json.ts";
import { HUB_URL } from "./hub_urls.ts";
import { mapConcurrent } from "./map_concurrent.ts";

/** The most rows the viewer serves per page. */
export const MAX_PAGE = 100;

/**
 * One row as the viewer serves it: its index in the split, its cells, and
 * the names of the cells it cut short.
 *
 * @example
 * ```ts
 * const row: ViewerRow = { row_idx: 0, row: { unique_id: "a" }, truncated_cells: [] };
 * ```
 */
export interface ViewerRow {
  row_idx: number;
  row: Record<string, unknown>;
  truncated_cells: string[];
}

interface ViewerPage {
  total: number;
  rows: ViewerRow[];
}

/**
 * How the viewer and the hub are asked: the `fetch` to use and how
 * failed requests are tried again.
 *
 * @example
 * ```ts
 * const http: ViewerHttp = { fetch, retry: { retries: 1, baseDelayMs: 10 } };
 * ```
 */
export interface ViewerHttp {
  fetch?: typeof fetch;
  retry?: RetryOptions;
}

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
  options: ViewerHttp & { hubUrl?: string } = {},
): Promise<string> {
  const url = `${options.hubUrl ?? HUB_URL}/api/datasets/${dataset}`;
  const body = await fetchJson(url, options);
  if (!isObject(body) || typeof body.sha !== "string" || body.sha === "") {
    throw unexpected(url, "no sha");
  }
  return body.sha;
}

/**
 * A dataset's configs as the viewer lists them: the splits of each, and
 * why a config it cannot serve yet is not ready.
 *
 * @example
 * ```ts
 * declare const listing: SplitListing;
 * listing.splits.get("Snowplow"); // ["train", "val", "test"]
 * listing.notReady.get("Github_hard"); // "still being processed by the dataset viewer"
 * ```
 */
export interface SplitListing {
  splits: Map<string, string[]>;
  notReady: Map<string, string>;
}

/**
 * The splits of each config, as the viewer lists them.
 *
 * @example
 * ```ts
 * import { DATASET_VIEWER_URL } from "./hub_urls.ts";
 * const { splits } = await listSplits(DATASET_VIEWER_URL, "epfl-dlab/JSONSchemaBench", {});
 * splits.get("Kubernetes"); // ["train", "val", "test"]
 * ```
 */
export async function listSplits(
  base: string,
  dataset: string,
  options: ViewerHttp,
): Promise<SplitListing> {
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
 * The key of a config's split in {@link fetchSplitRows}' answer.
 *
 * @example
 * ```ts
 * splitKey("Snowplow", "test") === splitKey("Snowplow", "test"); // true
 * ```
 */
export function splitKey(config: string, split: string): string {
  return `${config}\u0000${split}`;
}

/**
 * What {@link fetchSplitRows} fetches: for each config (in `plan`) its
 * splits in order, taking at most `limit` rows from the config in all.
 *
 * @example
 * ```ts
 * import { DATASET_VIEWER_URL } from "./hub_urls.ts";
 * const request: SplitRowsRequest = {
 *   base: DATASET_VIEWER_URL,
 *   dataset: "d",
 *   plan: new Map([["c", ["train", "test"]]]),
 *   limit: Infinity,
 *   pageSize: 100,
 *   concurrency: 4,
 * };
 * ```
 */
export interface SplitRowsRequest extends ViewerHttp {
  /** The dataset viewer API root, without a trailing `/`. */
  base: string;
  dataset: string;
  /** Each config's splits, in the order rows are taken. */
  plan: Map<string, string[]>;
  /** Rows taken from each config, its splits in order. */
  limit: number;
  /** Rows per page, 1 to {@link MAX_PAGE}. */
  pageSize: number;
  /** Requests in flight at once. */
  concurrency: number;
  onProgress?: (progress: HubProgress) => void;
}

/**
 * The rows taken from one split: how many were asked for, and those the
 * viewer gave (whole; in the order they came).
 *
 * @example
 * ```ts
 * const got: SplitRows = { take: 1, rows: [{ row_idx: 0, row: {}, truncated_cells: [] }] };
 * ```
 */
export interface SplitRows {
  take: number;
  rows: ViewerRow[];
}

/**
 * Fetches the rows of every split in the plan, keyed by {@link splitKey}:
 * first pages (they tell each split's size), then the pages still to take,
 * then each truncated row again on its own. Fails if a row stays
 * truncated.
 *
 * @example
 * ```ts
 * declare const request: SplitRowsRequest;
 * const rows = await fetchSplitRows(request);
 * rows.get(splitKey("c", "train"))!.take; // rows asked for from c/train
 * ```
 */
export async function fetchSplitRows(
  request: SplitRowsRequest,
): Promise<Map<string, SplitRows>> {
  const { base, dataset, plan, limit, pageSize, concurrency } = request;
  const http = { fetch: request.fetch, retry: request.retry };
  const progress = { done: 0, total: 0, rows: 0 };
  const report = () => request.onProgress?.({ ...progress });
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
  const taken = new Map<string, SplitRows>();
  const moreJobs: PageJob[] = [];
  for (const [config, splits] of plan) {
    let left = limit;
    for (const split of splits) {
      const index = firstJobs.findIndex((j) =>
        j.config === config && j.split === split
      );
      const first = firstPages[index];
      const take = Math.min(first.total, left);
      left -= take;
      taken.set(splitKey(config, split), {
        take,
        rows: first.rows.filter((r) => r.row_idx < take),
      });
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
    taken.get(splitKey(job.config, job.split))!.rows.push(
      ...morePages[i].rows,
    );
  });

  // Rows the viewer truncated: asked for again alone, which may fit whole.
  const truncated = [...plan].flatMap(([config, splits]) =>
    splits.flatMap((split) =>
      taken.get(splitKey(config, split))!.rows.filter((r) =>
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
    const rows = taken.get(splitKey(job.config, job.split))!.rows;
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
  return taken;
}
