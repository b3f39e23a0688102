/**
 * JSON over HTTP for the importers that fetch datasets at run time. A 429,
 * a 5xx or a network failure is tried again with exponential backoff and
 * jitter, waiting what `Retry-After` asks when the server says; every other
 * failure, and the last one, is an {@link HttpError} naming the URL, the
 * status and what the server said.
 *
 * @example
 * ```ts
 * import { fetchJson } from "./fetch_json.ts";
 * const commit = await fetchJson("https://example.org/commits/main", {
 *   retry: { retries: 2 },
 * });
 * ```
 * @module
 */

/**
 * How failures are tried again.
 *
 * @example
 * ```ts
 * const quick: RetryOptions = { retries: 1, baseDelayMs: 10 };
 * ```
 */
export interface RetryOptions {
  /** Tries after the first one (default 4). */
  retries?: number;
  /** The first backoff; it doubles with each try (default 1000 ms). */
  baseDelayMs?: number;
  /** The longest backoff (default 30 s). */
  maxDelayMs?: number;
  /** A longer `Retry-After` than this gives up at once (default 120 s). */
  maxRetryAfterMs?: number;
}

/**
 * What {@link fetchJson} takes besides the URL.
 *
 * @example
 * ```ts
 * const options: FetchJsonOptions = { headers: { accept: "application/json" } };
 * ```
 */
export interface FetchJsonOptions {
  /** The fetch to use (tests pass their own). */
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  retry?: RetryOptions;
}

/**
 * A request that failed for good; `status` is 0 for a network failure.
 *
 * @example
 * ```ts
 * declare const url: string;
 * try {
 *   await fetchJson(url);
 * } catch (error) {
 *   if (error instanceof HttpError && error.status === 404) console.log("not there");
 * }
 * ```
 */
export class HttpError extends Error {
  /**
   * @param url what was asked for
   * @param status the HTTP status, or 0 when no answer came
   * @param message the whole explanation
   */
  constructor(readonly url: string, readonly status: number, message: string) {
    super(message);
    this.name = "HttpError";
  }
}

const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/**
 * Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), or
 * undefined when it is absent or unreadable.
 *
 * @example
 * ```ts
 * parseRetryAfter("3"); // 3000
 * parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:58 GMT")); // 2000
 * ```
 */
export function parseRetryAfter(
  value: string | null,
  now = Date.now(),
): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What the server said, from a JSON `error`/`message` field or the text. */
function serverSays(text: string): string {
  let said = text;
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === "object" && body !== null) {
      const { error, message } = body as Record<string, unknown>;
      if (typeof error === "string") said = error;
      else if (typeof message === "string") said = message;
    }
  } catch { /* not JSON: the text itself */ }
  said = said.replace(/\s+/g, " ").trim();
  return said.length > 300 ? `${said.slice(0, 300)}…` : said;
}

/** A note when the answer says a rate limit is spent, and until when. */
function rateLimitNote(headers: Headers): string {
  if (headers.get("x-ratelimit-remaining") !== "0") return "";
  const reset = Number(headers.get("x-ratelimit-reset"));
  return Number.isFinite(reset) && reset > 0
    ? ` (rate limit spent until ${new Date(reset * 1000).toISOString()})`
    : " (rate limit spent)";
}

/**
 * GETs `url` and parses the answer as JSON, trying 429, 5xx and network
 * failures again. Throws an {@link HttpError} when it gives up.
 *
 * @example
 * ```ts
 * declare const api: string; // the GitHub API root
 * declare const sha: string;
 * const tree = await fetchJson(`${api}/repos/o/r/git/trees/${sha}?recursive=1`, {
 *   headers: { accept: "application/vnd.github+json" },
 * });
 * ```
 */
export async function fetchJson(
  url: string,
  options: FetchJsonOptions = {},
): Promise<unknown> {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const doFetch = options.fetch ?? fetch;
  const tries = retry.retries + 1;
  const triesText = `${tries} ${tries === 1 ? "try" : "tries"}`;
  for (let attempt = 1;; attempt++) {
    const backoff = Math.min(
      retry.maxDelayMs,
      retry.baseDelayMs * 2 ** (attempt - 1),
    ) * (0.5 + Math.random() / 2);
    let response: Response;
    try {
      response = await doFetch(url, { headers: options.headers });
    } catch (error) {
      const why = error instanceof Error
        ? `${error.message}${
          error.cause instanceof Error ? ` (${error.cause.message})` : ""
        }`
        : String(error);
      if (attempt >= tries) {
        throw new HttpError(
          url,
          0,
          `GET ${url}: no answer after ${triesText}: ${why}`,
        );
      }
      await sleep(backoff);
      continue;
    }
    const text = await response.text();
    if (response.ok) {
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new HttpError(
          url,
          response.status,
          `GET ${url}: the answer is not JSON (${(error as Error).message})`,
        );
      }
    }
    const status = `HTTP ${response.status}${
      response.statusText ? ` ${response.statusText}` : ""
    }`;
    const said = serverSays(text);
    const detail = `${rateLimitNote(response.headers)}${
      said ? `: ${said}` : ""
    }`;
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable) {
      throw new HttpError(
        url,
        response.status,
        `GET ${url}: ${status}${detail}`,
      );
    }
    if (attempt >= tries) {
      throw new HttpError(
        url,
        response.status,
        `GET ${url}: ${status} after ${triesText}${detail}`,
      );
    }
    const asked = parseRetryAfter(response.headers.get("retry-after"));
    if (asked !== undefined && asked > retry.maxRetryAfterMs) {
      throw new HttpError(
        url,
        response.status,
        `GET ${url}: ${status}, and the server asks to wait ${
          Math.ceil(asked / 1000)
        } s (Retry-After); try again later${detail}`,
      );
    }
    await sleep(asked ?? backoff);
  }
}
