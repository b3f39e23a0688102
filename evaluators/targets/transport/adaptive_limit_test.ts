import assert from "node:assert/strict";
import { AdaptiveLimit } from "./adaptive_limit.ts";

Deno.test("a 429 halves the limit and pauses for the asked wait; successes grow it back slowly", () => {
  let now = 1000;
  const limit = new AdaptiveLimit({ max: 8, growEvery: 3, now: () => now });
  assert.equal(limit.limit, 8);
  limit.onRateLimited(2000);
  assert.equal(limit.limit, 4);
  assert.equal(limit.waitMs(), 2000);
  now += 1500;
  assert.equal(limit.waitMs(), 500);
  limit.onRateLimited(); // no wait given: the default second
  assert.equal(limit.limit, 2);
  assert.equal(limit.waitMs(), 1000);
  limit.onRateLimited();
  limit.onRateLimited();
  assert.equal(limit.limit, 1, "never below the floor");
  for (let i = 0; i < 3; i++) limit.onSuccess();
  assert.equal(limit.limit, 2);
  for (let i = 0; i < 30; i++) limit.onSuccess();
  assert.equal(limit.limit, 8, "never above the cap");
  assert.equal(limit.rateLimited, 4);
});

Deno.test("ready() waits out the pause", async () => {
  const limit = new AdaptiveLimit({ max: 2 });
  limit.onRateLimited(120);
  const started = performance.now();
  await limit.ready();
  assert.ok(performance.now() - started >= 100);
  const aborted = new AbortController();
  limit.onRateLimited(10_000);
  setTimeout(() => aborted.abort(), 20);
  await limit.ready(aborted.signal);
});
