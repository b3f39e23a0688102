/**
 * Every cache of the board and the run reports, and the one rule that keeps
 * them fresh. The callers that change what a page shows (a run created,
 * started, stopped or finished, hidden or shown, a target created: routes,
 * the worker, cron, services; the queries know nothing of it) call
 * {@link boardChanged}. Within this process every cached value is then
 * stale at once; the changes other processes make (with PostgreSQL,
 * several servers and workers share the data) show within a second, as no
 * value is served older than that without asking the database again.
 *
 * - {@link FreshCache}: values by key, kept while this process has seen no
 *   change and for at most a second (the board's data version, a run's
 *   report JSON).
 * - {@link PageCache}: rendered pages by key, each valid for one data
 *   version (the leaderboard at each query).
 *
 * @example
 * ```ts
 * import { boardChanged, FreshCache } from "./cache.ts";
 * const reports = new FreshCache<string>(1000);
 * reports.set("run-1", "{}");
 * reports.peek("run-1"); // "{}"
 * boardChanged();
 * reports.peek("run-1"); // undefined: a change was seen
 * ```
 * @module
 */
let epoch = 0;

/**
 * Records a change that can alter the leaderboard.
 *
 * @example
 * ```ts
 * boardChanged();
 * ```
 */
export function boardChanged(): void {
  epoch++;
}

/**
 * How many such changes this process has seen.
 *
 * @example
 * ```ts
 * const seen = boardEpoch();
 * ```
 */
export function boardEpoch(): number {
  return epoch;
}

/** How long a {@link FreshCache} value is served without a change seen. */
export const FRESH_MS = 1000;

interface Kept<T> {
  value: T;
  epoch: number;
  at: number;
}

/**
 * Values by key, served while this process has seen no
 * {@link boardChanged} since they were computed and for at most
 * {@link FRESH_MS}. At most `maxEntries` keys, the oldest dropped first.
 *
 * @example
 * ```ts
 * import { FreshCache } from "./cache.ts";
 * const versions = new FreshCache<string>(1);
 * await versions.get("board", () => Promise.resolve("v1")); // loads
 * await versions.get("board", () => Promise.resolve("v2")); // "v1", within a second
 * ```
 */
export class FreshCache<T> {
  readonly #kept = new Map<string, Kept<T>>();
  readonly #loading = new Map<string, Kept<Promise<T>>>();

  /**
   * @param maxEntries how many keys are kept
   * @param maxAgeMs how long a value is served without a change seen
   */
  constructor(readonly maxEntries = 1000, readonly maxAgeMs = FRESH_MS) {}

  /** The fresh value of `key`, or undefined. */
  peek(key: string): T | undefined {
    const hit = this.#kept.get(key);
    if (!hit) return undefined;
    if (hit.epoch !== epoch || Date.now() - hit.at >= this.maxAgeMs) {
      this.#kept.delete(key);
      return undefined;
    }
    return hit.value;
  }

  /**
   * Keeps `value` for `key`, as computed from the data of `since` (the
   * {@link boardEpoch} read before computing it: a change seen meanwhile
   * makes it stale at once).
   */
  set(key: string, value: T, since: number = epoch): void {
    this.#kept.delete(key);
    this.#kept.set(key, { value, epoch: since, at: Date.now() });
    while (this.#kept.size > this.maxEntries) {
      this.#kept.delete(this.#kept.keys().next().value!);
    }
  }

  /**
   * The fresh value of `key`, else `load`'s; concurrent callers share one
   * load, and a failed load is not kept.
   */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.peek(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const pending = this.#loading.get(key);
    if (
      pending && pending.epoch === epoch &&
      Date.now() - pending.at < this.maxAgeMs
    ) return pending.value;
    const since = epoch;
    const entry = { value: load(), epoch: since, at: Date.now() };
    this.#loading.set(key, entry);
    entry.value.then(
      (value) => this.set(key, value, since),
      () => {},
    ).finally(() => {
      if (this.#loading.get(key) === entry) this.#loading.delete(key);
    });
    return entry.value;
  }
}

interface Entry<T> {
  version: string;
  value: Promise<T>;
}

/**
 * Rendered pages by key, each valid for one data version.
 *
 * @example
 * ```ts
 * import { PageCache } from "./cache.ts";
 * const cache = new PageCache(50);
 * await cache.get("k", "v1", () => Promise.resolve("<p>1</p>")); // renders
 * await cache.get("k", "v1", () => Promise.resolve("<p>2</p>")); // "<p>1</p>", cached
 * ```
 */
export class PageCache<T = string> {
  readonly #entries = new Map<string, Entry<T>>();

  /** @param maxEntries how many keys are kept */
  constructor(readonly maxEntries = 100) {}

  /** How many keys are held now. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The page for `key` rendered at `version`: from the cache, or from
   * `render` (whose result is kept unless it fails).
   */
  get(
    key: string,
    version: string,
    render: () => Promise<T>,
  ): Promise<T> {
    const hit = this.#entries.get(key);
    if (hit && hit.version === version) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.value;
    }
    const value = render();
    const entry = { version, value };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    while (this.#entries.size > this.maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    return value;
  }
}
