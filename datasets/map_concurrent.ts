/**
 * Maps items through an async function with at most N calls in flight,
 * keeping the results in the items' order. After the first failure no new
 * call starts; the calls in flight are waited for, then that failure is
 * thrown (so nothing keeps running behind the caller's back).
 *
 * @example
 * ```ts
 * import { mapConcurrent } from "./map_concurrent.ts";
 * declare const fetchPage: (offset: number) => Promise<unknown>;
 * const pages = await mapConcurrent([0, 100, 200], 4, (offset) => fetchPage(offset));
 * ```
 * @module
 */

/**
 * `fn` over `items`, at most `concurrency` at once, results in order.
 *
 * @example
 * ```ts
 * await mapConcurrent([1, 2, 3], 2, async (n) => n * 2); // [2, 4, 6]
 * ```
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.max(1, Math.min(concurrency, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure) throw failure.error;
  return results;
}
