import assert from "node:assert/strict";
import { boardChanged, boardEpoch, FreshCache, PageCache } from "./cache.ts";

Deno.test("a page is rendered once per version, concurrent requests share it", async () => {
  const cache = new PageCache(2);
  let renders = 0;
  const render = async () => {
    renders++;
    await new Promise((r) => setTimeout(r, 5));
    return `page ${renders}`;
  };
  const same = await Promise.all(
    [1, 2, 3].map(() => cache.get("a", "v1", render)),
  );
  assert.deepEqual(same, ["page 1", "page 1", "page 1"]);
  assert.equal(await cache.get("a", "v2", render), "page 2");
  assert.equal(renders, 2);
});

Deno.test("a failed render is not kept; old keys are dropped past the limit", async () => {
  const cache = new PageCache(2);
  await assert.rejects(
    cache.get("a", "v", () => Promise.reject(new Error("x"))),
  );
  assert.equal(await cache.get("a", "v", () => Promise.resolve("ok")), "ok");
  await cache.get("b", "v", () => Promise.resolve("b"));
  await cache.get("c", "v", () => Promise.resolve("c"));
  assert.equal(cache.size, 2);
  assert.equal(
    await cache.get("a", "v", () => Promise.resolve("again")),
    "again",
  );
});

Deno.test("FreshCache: a value is served until this process sees a change, or a second passes", async () => {
  const cache = new FreshCache<string>(10, 50);
  cache.set("a", "one");
  assert.equal(cache.peek("a"), "one");
  boardChanged();
  assert.equal(cache.peek("a"), undefined, "a change drops it at once");
  cache.set("a", "two");
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(cache.peek("a"), undefined, "past its age it is asked again");
  // A value computed from data older than a change seen meanwhile is stale.
  const since = boardEpoch();
  boardChanged();
  cache.set("a", "stale", since);
  assert.equal(cache.peek("a"), undefined);
});

Deno.test("FreshCache: concurrent loads share one, a failed load is not kept", async () => {
  const cache = new FreshCache<number>(10);
  let loads = 0;
  const load = async () => {
    loads++;
    await new Promise((r) => setTimeout(r, 5));
    return loads;
  };
  assert.deepEqual(
    await Promise.all([1, 2, 3].map(() => cache.get("v", load))),
    [1, 1, 1],
  );
  assert.equal(await cache.get("v", load), 1);
  boardChanged();
  assert.equal(await cache.get("v", load), 2);
  await assert.rejects(cache.get("x", () => Promise.reject(new Error("no"))));
  assert.equal(await cache.get("x", () => Promise.resolve(7)), 7);
});
