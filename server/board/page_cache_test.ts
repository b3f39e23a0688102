import assert from "node:assert/strict";
import { PageCache } from "./page_cache.ts";

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
