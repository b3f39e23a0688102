import assert from "node:assert/strict";
import {
  bootstrapMedian,
  bootstrapStatistic,
  stratifiedBootstrap,
  stratifiedReplicates,
} from "./bootstrap.ts";
import { percentile } from "./stats.ts";

/** n values spread like an exponential distribution, in a jumbled order. */
function skewed(n: number): number[] {
  return Array.from(
    { length: n },
    (_, i) => -Math.log(1 - ((i * 7919) % n + 0.5) / n) * 100,
  );
}

const median = (xs: number[]) => percentile(xs, 0.5)!;

Deno.test("bootstrapMedian: no samples, one sample, constant samples", () => {
  assert.deepEqual(bootstrapMedian([]), {
    value: null,
    low: null,
    high: null,
    n: 0,
  });
  assert.deepEqual(bootstrapMedian([42]), {
    value: 42,
    low: 42,
    high: 42,
    n: 1,
  });
  assert.deepEqual(bootstrapMedian(Array(500).fill(3.5)), {
    value: 3.5,
    low: 3.5,
    high: 3.5,
    n: 500,
  });
});

Deno.test("bootstrapMedian is deterministic for a seed, and the seed matters", () => {
  const xs = skewed(101);
  assert.deepEqual(
    bootstrapMedian(xs, { seed: 5 }),
    bootstrapMedian(xs, { seed: 5 }),
  );
  assert.deepEqual(bootstrapMedian(xs), bootstrapMedian(xs, { seed: 1 }));
  const a = bootstrapMedian(xs, { seed: 1 });
  const b = bootstrapMedian(xs, { seed: 2 });
  assert.ok(a.low !== b.low || a.high !== b.high);
});

Deno.test("bootstrapMedian's value is the sample median, inside the interval", () => {
  for (const xs of [skewed(11), skewed(40), skewed(333), [5, 1, 9, 1, 1, 7]]) {
    const m = bootstrapMedian(xs, { seed: 9 });
    assert.equal(m.value, median(xs));
    assert.equal(m.n, xs.length);
    assert.ok(m.low! <= m.value! && m.value! <= m.high!, JSON.stringify(m));
  }
});

Deno.test("bootstrapMedian agrees with bootstrapStatistic of a median", () => {
  // Both draw the same resamples for the same seed.
  for (const xs of [skewed(10), skewed(51), [3, 3, 1, 2, 2, 9, 0]]) {
    for (const seed of [1, 77]) {
      const options = { seed, resamples: 300, level: 0.9 };
      assert.deepEqual(
        bootstrapMedian(xs, options),
        bootstrapStatistic(xs, median, options),
      );
    }
  }
});

Deno.test("bootstrapMedian narrows with more data and a lower level", () => {
  const width = (n: number, level = 0.95) => {
    const m = bootstrapMedian(skewed(n), { level });
    return m.high! - m.low!;
  };
  assert.ok(width(40) > width(400));
  assert.ok(width(400) > width(4000));
  // The same replicates, cut at nested quantiles.
  assert.ok(width(400, 0.5) < width(400, 0.99));
});

Deno.test("bootstrapStatistic of a mean", () => {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const xs = skewed(200);
  const m = bootstrapStatistic(xs, mean, { resamples: 1000, seed: 3 });
  assert.equal(m.value, mean(xs));
  assert.ok(m.low! < m.value! && m.value! < m.high!);
  assert.deepEqual(bootstrapStatistic([], mean), {
    value: null,
    low: null,
    high: null,
    n: 0,
  });
});

Deno.test("bootstrap options are checked", () => {
  assert.throws(() => bootstrapMedian([1, 2], { resamples: 0 }), RangeError);
  assert.throws(() => bootstrapMedian([1, 2], { resamples: 1.5 }), RangeError);
  assert.throws(() => bootstrapMedian([1, 2], { level: 1 }), RangeError);
  assert.throws(() => bootstrapMedian([1, 2], { seed: NaN }), RangeError);
  assert.throws(() => bootstrapMedian([1, NaN]), RangeError);
});

Deno.test("bootstrapMedian timing: 10,000 samples × 2,000 resamples", () => {
  const xs = skewed(10_000);
  const start = performance.now();
  const m = bootstrapMedian(xs, { resamples: 2000 });
  const elapsed = performance.now() - start;
  console.log(
    `bootstrapMedian 10k × 2000: ${elapsed.toFixed(0)} ms`,
    JSON.stringify(m),
  );
  assert.ok(m.low! <= m.value! && m.value! <= m.high!);
});

Deno.test("stratifiedBootstrap keeps each group's size and draws only from it", () => {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const sizes: number[][] = [];
  const { value, replicates } = stratifiedReplicates(
    [[10, 20, 30], [1, 2]],
    ([a, b]) => {
      sizes.push([a.length, b.length]);
      assert.ok(a.every((x) => x >= 10) && b.every((x) => x < 10));
      return mean(a) - mean(b);
    },
    { resamples: 300, seed: 9 },
  );
  assert.equal(value, 18.5);
  assert.equal(replicates.length, 300);
  assert.ok(sizes.every(([a, b]) => a === 3 && b === 2));
  const interval = stratifiedBootstrap(
    [[10, 20, 30], [1, 2]],
    ([a, b]) => mean(a) - mean(b),
    { resamples: 300, seed: 9 },
  );
  assert.equal(interval.n, 5);
  assert.ok(interval.low! < 18.5 && interval.high! > 18.5);
  assert.ok(interval.low! >= 8 && interval.high! <= 29);
  assert.throws(() => stratifiedReplicates([[1], []], () => 0), RangeError);
});
