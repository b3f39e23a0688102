import assert from "node:assert/strict";
import { RateLimiter } from "./rate_limit.ts";

Deno.test("rate limit: a burst of perMinute, then a wait that refills", () => {
  let now = 0;
  const limiter = new RateLimiter({ perMinute: 3, now: () => now });
  assert.deepEqual(
    [1, 2, 3].map(() => limiter.take("a").ok),
    [true, true, true],
  );
  const refused = limiter.take("a");
  assert.deepEqual(refused, { ok: false, retryAfterS: 20 });
  assert.equal(limiter.take("b").ok, true, "keys are apart");
  now += 20_000;
  assert.equal(limiter.take("a").ok, true, "one request earned back");
  assert.equal(limiter.take("a").ok, false);
});

Deno.test("rate limit: memory stays bounded, least recently used first", () => {
  const limiter = new RateLimiter({ perMinute: 1, maxKeys: 2, now: () => 0 });
  limiter.take("a");
  limiter.take("b");
  limiter.take("c"); // forgets a
  assert.equal(limiter.take("a").ok, true, "a forgotten key starts full");
  assert.equal(limiter.take("c").ok, false, "c is still remembered");
});

Deno.test("rate limit: peek never spends", () => {
  const limiter = new RateLimiter({ perMinute: 1, now: () => 0 });
  assert.equal(limiter.peek("a").ok, true);
  assert.equal(limiter.peek("a").ok, true);
  assert.equal(limiter.take("a").ok, true);
  assert.deepEqual(limiter.peek("a"), { ok: false, retryAfterS: 60 });
});
