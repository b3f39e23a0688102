/**
 * GSM8K (`openai/gsm8k`, config `main`) as quality tasks, read through the
 * Hugging Face dataset viewer's rows API:
 * `GET {base}/rows?dataset=openai%2Fgsm8k&config=main&split=test&offset=O&length=L`
 * (at most 100 rows a request). Each row's `answer` is worked reasoning
 * ending in `#### <number>`; that number is the task's answer.
 *
 * @example
 * ```ts
 * import { fetchGsm8k } from "./gsm8k.ts";
 * const tasks = await fetchGsm8k({ split: "test", limit: 50 });
 * tasks[0].key; // "gsm8k-test-0"
 * tasks[0].answerType; // "integer"
 * ```
 * @module
 */
import { DATASET_VIEWER_URL } from "../hub_urls.ts";
import type { QualityTask } from "./task.ts";

/**
 * The dataset viewer's API root (the default `baseUrl`).
 *
 * @example
 * ```ts
 * await fetchGsm8k({ baseUrl: DATASETS_SERVER_URL, limit: 10 });
 * ```
 */
export const DATASETS_SERVER_URL = DATASET_VIEWER_URL;

/**
 * The dataset and config read.
 *
 * @example
 * ```ts
 * new URLSearchParams({ dataset: GSM8K_DATASET }).toString(); // "dataset=openai%2Fgsm8k"
 * ```
 */
export const GSM8K_DATASET = "openai/gsm8k";
const GSM8K_CONFIG = "main";
/**
 * The most rows the rows API returns per request.
 *
 * @example
 * ```ts
 * Math.ceil(250 / ROWS_PAGE_LIMIT); // 3 requests for 250 rows
 * ```
 */
export const ROWS_PAGE_LIMIT = 100;

/**
 * Options for {@link fetchGsm8k}.
 *
 * @example
 * ```ts
 * const options: FetchGsm8kOptions = { split: "train", limit: 200 };
 * ```
 */
export interface FetchGsm8kOptions {
  /** The API root; defaults to {@link DATASETS_SERVER_URL}. */
  baseUrl?: string;
  /** Defaults to `test`. */
  split?: "train" | "test";
  /** The most tasks to return; all rows when absent. */
  limit?: number;
  /** The fetch to use (tests pass their own). */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/**
 * The integer after the last `####` of a GSM8K answer (commas removed).
 * Throws when there is none or it is not an integer.
 *
 * @example
 * ```ts
 * parseGsm8kAnswer("48 / 2 = 24\n#### 1,024"); // 1024
 * parseGsm8kAnswer("no marker"); // throws
 * ```
 */
export function parseGsm8kAnswer(answer: string): number {
  const at = answer.lastIndexOf("####");
  if (at === -1) throw new Error("GSM8K answer has no '####' line");
  const raw = answer.slice(at + 4).trim().replaceAll(",", "");
  if (!/^-?\d+$/.test(raw)) {
    throw new Error(
      `GSM8K answer after '####' is not an integer: ${JSON.stringify(raw)}`,
    );
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) {
    throw new Error(`GSM8K answer ${raw} is out of range`);
  }
  return value;
}

interface RowsPage {
  rows: { row_idx: number; row: Record<string, unknown> }[];
  num_rows_total: number;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function readPage(body: unknown, url: string): RowsPage {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new Error(`rows API at ${url}: expected a JSON object`);
  }
  const { rows, num_rows_total: total } = body as Record<string, unknown>;
  if (!Array.isArray(rows)) {
    throw new Error(`rows API at ${url}: "rows" is not an array`);
  }
  if (typeof total !== "number" || !Number.isSafeInteger(total) || total < 0) {
    throw new Error(`rows API at ${url}: "num_rows_total" is not a count`);
  }
  const checked = rows.map((entry: unknown, i) => {
    const item = entry as Record<string, unknown> | null;
    if (
      typeof item !== "object" || item === null ||
      typeof item.row_idx !== "number" ||
      typeof item.row !== "object" || item.row === null
    ) {
      throw new Error(
        `rows API at ${url}: rows[${i}] lacks row_idx or row: ${
          describe(entry)
        }`,
      );
    }
    return {
      row_idx: item.row_idx,
      row: item.row as Record<string, unknown>,
    };
  });
  return { rows: checked, num_rows_total: total };
}

function toTask(
  split: string,
  rowIdx: number,
  row: Record<string, unknown>,
): QualityTask {
  const where = `GSM8K ${split} row ${rowIdx}`;
  if (typeof row.question !== "string" || row.question.trim() === "") {
    throw new Error(`${where}: "question" is missing or not a string`);
  }
  if (typeof row.answer !== "string") {
    throw new Error(`${where}: "answer" is missing or not a string`);
  }
  let expected: number;
  try {
    expected = parseGsm8kAnswer(row.answer);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
  return {
    key: `gsm8k-${split}-${rowIdx}`,
    family: "gsm8k",
    question: row.question,
    expected,
    answerType: "integer",
  };
}

/**
 * Reads GSM8K rows page by page (100 at a time) until `limit` tasks or the
 * split's end. Throws on a non-200 response (status and the start of the
 * body in the message), on a body that is not the rows format, and on a row
 * without a question or a `#### <integer>` answer.
 *
 * @example
 * ```ts
 * const tasks = await fetchGsm8k({ baseUrl: "http://127.0.0.1:8080", split: "train", limit: 150 });
 * tasks.length; // 150, from two requests
 * ```
 */
export async function fetchGsm8k(
  options: FetchGsm8kOptions = {},
): Promise<QualityTask[]> {
  const base = (options.baseUrl ?? DATASETS_SERVER_URL).replace(/\/+$/, "");
  const split = options.split ?? "test";
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (
    limit !== Number.POSITIVE_INFINITY &&
    (!Number.isSafeInteger(limit) || limit < 0)
  ) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
  const fetcher = options.fetch ?? fetch;
  const tasks: QualityTask[] = [];
  let offset = 0;
  let total = Number.POSITIVE_INFINITY;
  while (tasks.length < limit && offset < total) {
    const length = Math.min(ROWS_PAGE_LIMIT, limit - tasks.length);
    const query = new URLSearchParams({
      dataset: GSM8K_DATASET,
      config: GSM8K_CONFIG,
      split,
      offset: String(offset),
      length: String(length),
    });
    const url = `${base}/rows?${query}`;
    const response = await fetcher(url, { signal: options.signal });
    if (response.status !== 200) {
      const body = (await response.text()).slice(0, 300);
      throw new Error(
        `rows API at ${url} answered ${response.status} ${response.statusText}: ${body}`,
      );
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new Error(
        `rows API at ${url}: body is not JSON: ${(error as Error).message}`,
      );
    }
    const page = readPage(body, url);
    total = page.num_rows_total;
    if (page.rows.length === 0) break;
    for (const { row_idx, row } of page.rows) {
      if (tasks.length >= limit) break;
      tasks.push(toTask(split, row_idx, row));
    }
    offset += page.rows.length;
  }
  return tasks;
}
