/**
 * A small cache of rendered pages: each entry is kept with the version of
 * the data it was rendered from and served again while that version holds.
 * Concurrent requests for an entry being rendered share that one render
 * (no stampede under load). At most `maxEntries` keys, the least recently
 * used dropped first.
 *
 * @example
 * ```ts
 * import { PageCache } from "./page_cache.ts";
 * import { boardVersion } from "../db/queries/leaderboard.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * declare const renderBoard: () => Promise<string>;
 * const cache = new PageCache(100);
 * const html = await cache.get("/?sort=ttft", await boardVersion(database), () => renderBoard());
 * ```
 * @module
 */

interface Entry<T> {
  version: string;
  value: Promise<T>;
}

/**
 * Rendered pages by key, each valid for one data version.
 *
 * @example
 * ```ts
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
