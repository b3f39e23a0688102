import assert from "node:assert/strict";
import {
  differenceOfIndependent,
  mcnemarExact,
  pairedComparison,
  type PairedCounts,
  pairedDifference,
  type PairedOutcome,
} from "./paired.ts";
import { wilson } from "./stats.ts";

const close = (actual: number | null, expected: number, tolerance: number) =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= tolerance,
    `${actual} is not within ${tolerance} of ${expected}`,
  );

/** 2 × P[X ≤ min(b, c)] for X ~ Binomial(b + c, 1/2), in exact integers. */
function mcnemarByBigInt(b: number, c: number): number {
  const total = BigInt(b + c);
  const k = BigInt(Math.min(b, c));
  let choose = 1n;
  let sum = 0n;
  for (let i = 0n; i <= k; i++) {
    if (i > 0n) choose = (choose * (total - i + 1n)) / i;
    sum += choose;
  }
  const scale = 10n ** 40n;
  const p = Number((2n * sum * scale) / 2n ** total) / 1e40;
  return Math.min(1, p);
}

/** Two-sided normal tail 2 × (1 − Φ(|z|)) by Abramowitz & Stegun 7.1.26. */
function normalTwoSided(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t *
    (0.254829592 +
      t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 +
                  t * 1.061405429))));
  return poly * Math.exp(-x * x); // erfc(x) = 2 × (1 − Φ(x√2))
}

function pairsFrom(counts: PairedCounts): PairedOutcome[] {
  const pairs: PairedOutcome[] = [];
  const add = (count: number, a: boolean, b: boolean, tag: string) => {
    for (let i = 0; i < count; i++) pairs.push({ key: `${tag}${i}`, a, b });
  };
  add(counts.both, true, true, "both");
  add(counts.only_a, true, false, "a");
  add(counts.only_b, false, true, "b");
  add(counts.neither, false, false, "none");
  return pairs;
}

Deno.test("mcnemarExact: small cases by hand", () => {
  // b=1, c=8: 2 × (C(9,0) + C(9,1)) / 2^9 = 2 × 10 / 512
  assert.equal(mcnemarExact(1, 8), 0.0390625);
  // b=0, c=5: 2 × C(5,0) / 2^5 = 2 / 32
  assert.equal(mcnemarExact(0, 5), 0.0625);
  // b=0, c=1: 2 × 1/2 = 1
  assert.equal(mcnemarExact(0, 1), 1);
  // b=6, c=16: C(22, 0..6) = 1, 22, 231, 1540, 7315, 26334, 74613, which
  // sum to 110056; 2 × 110056 / 2^22 = 220112 / 4194304
  close(mcnemarExact(6, 16), 220112 / 4194304, 1e-15);
});

Deno.test("mcnemarExact: 1 for no discordant pairs and for b = c", () => {
  assert.equal(mcnemarExact(0, 0), 1);
  assert.equal(mcnemarExact(7, 7), 1);
  assert.equal(mcnemarExact(50_000, 50_000), 1);
  // b and c one apart: P[X ≤ k] > 1/2, so capped at 1
  assert.equal(mcnemarExact(3, 4), 1);
});

Deno.test("mcnemarExact is symmetric", () => {
  for (const [b, c] of [[1, 8], [0, 3], [20, 35], [600, 700], [4900, 5100]]) {
    assert.equal(mcnemarExact(b, c), mcnemarExact(c, b));
  }
});

Deno.test("mcnemarExact matches exact integer arithmetic (both methods)", () => {
  // 55 and 120 discordant pairs use the direct sum, 1300 and 2100 the
  // log-space one.
  for (const [b, c] of [[20, 35], [45, 75], [600, 700], [1000, 1100]]) {
    const exact = mcnemarByBigInt(b, c);
    const got = mcnemarExact(b, c);
    assert.ok(
      Math.abs(got - exact) <= exact * 1e-9,
      `b=${b}, c=${c}: ${got} vs ${exact}`,
    );
  }
});

Deno.test("mcnemarExact: large counts agree with the normal approximation", () => {
  // z with continuity correction = (|b − c| − 1) / √(b + c)
  for (const [b, c] of [[4900, 5100], [49_500, 50_500], [49_800, 50_200]]) {
    const z = (Math.abs(b - c) - 1) / Math.sqrt(b + c);
    const exact = mcnemarExact(b, c);
    const approx = normalTwoSided(z);
    assert.ok(
      Math.abs(exact - approx) <= approx * 0.02,
      `b=${b}, c=${c}: ${exact} vs ≈${approx}`,
    );
  }
  // 100,000 discordant pairs all one way: 2 × 2^-100000 underflows to 0
  assert.equal(mcnemarExact(0, 100_000), 0);
  assert.ok(mcnemarExact(40_000, 60_000) < 1e-200);
});

Deno.test("mcnemarExact rejects counts that are not non-negative integers", () => {
  assert.throws(() => mcnemarExact(-1, 2), RangeError);
  assert.throws(() => mcnemarExact(1.5, 2), RangeError);
});

Deno.test("pairedDifference: Cavo et al. (2012) in Fagerland et al. (2017)", () => {
  // Fagerland, Lydersen & Laake, "Statistical Analysis of Contingency
  // Tables" (2017), ch. 8: complete response before/after consolidation
  // therapy, table [[59, 6], [16, 80]]; Newcombe's square-and-add interval
  // for the difference (first − second) is −0.0621 (95% CI −0.1186 to
  // −0.0046), the values the book's R package `contingencytables` checks
  // in its tests. The first variable is b here, so only_b = 6.
  const d = pairedDifference({ both: 59, only_b: 6, only_a: 16, neither: 80 });
  close(d.value, -10 / 161, 1e-12);
  close(d.low, -0.1186, 0.00005);
  close(d.high, -0.0046, 0.00005);
});

Deno.test("pairedDifference: properties", () => {
  const tables: PairedCounts[] = [
    { both: 59, only_b: 6, only_a: 16, neither: 80 },
    { both: 14, only_b: 5, only_a: 0, neither: 22 },
    { both: 0, only_b: 10, only_a: 0, neither: 0 },
    { both: 0, only_b: 3, only_a: 4, neither: 0 },
    { both: 1, only_b: 0, only_a: 9, neither: 0 },
    { both: 500, only_b: 30, only_a: 12, neither: 200 },
  ];
  for (const t of tables) {
    const d = pairedDifference(t);
    const swapped = pairedDifference({
      ...t,
      only_a: t.only_b,
      only_b: t.only_a,
    });
    const n = t.both + t.only_a + t.only_b + t.neither;
    close(d.value, (t.only_b - t.only_a) / n, 1e-12);
    assert.ok(d.low! <= d.value! && d.value! <= d.high!, JSON.stringify(t));
    assert.ok(-1 <= d.low! && d.high! <= 1, JSON.stringify(t));
    // Swapping the engines mirrors the interval.
    close(swapped.low, -d.high!, 1e-12);
    close(swapped.high, -d.low!, 1e-12);
  }
});

Deno.test("pairedDifference narrows as n grows", () => {
  let previous = Infinity;
  for (const scale of [1, 4, 16, 64]) {
    const d = pairedDifference({
      both: 30 * scale,
      only_b: 8 * scale,
      only_a: 3 * scale,
      neither: 9 * scale,
    });
    close(d.value, 0.1, 1e-12);
    const width = d.high! - d.low!;
    assert.ok(width < previous, `width ${width} at scale ${scale}`);
    previous = width;
  }
});

Deno.test("pairedDifference: no discordant pairs give 0 in a real interval", () => {
  for (
    const t of [
      { both: 10, only_b: 0, only_a: 0, neither: 10 },
      { both: 20, only_b: 0, only_a: 0, neither: 0 },
      { both: 0, only_b: 0, only_a: 0, neither: 1 },
    ]
  ) {
    const d = pairedDifference(t);
    assert.equal(d.value, 0);
    assert.ok(d.low! < 0 && d.high! > 0, JSON.stringify(d));
    close(d.low, -d.high!, 1e-12);
  }
  assert.deepEqual(
    pairedDifference({ both: 0, only_b: 0, only_a: 0, neither: 0 }),
    { value: null, low: null, high: null },
  );
});

Deno.test("differenceOfIndependent: Newcombe (1998) examples, method 10", () => {
  // Newcombe, "Interval estimation for the difference between independent
  // proportions: comparison of eleven methods", Stat Med 17:873–890,
  // Table II, method 10 (score, no continuity correction); the paper's
  // difference is first − second, so the first proportion is b here.
  const a = differenceOfIndependent(
    { successes: 48, n: 80 },
    { successes: 56, n: 70 },
  );
  close(a.value, 0.2, 1e-12);
  close(a.low, 0.0524, 0.00005);
  close(a.high, 0.3339, 0.00005);
  const b = differenceOfIndependent(
    { successes: 3, n: 10 },
    { successes: 9, n: 10 },
  );
  close(b.value, 0.6, 1e-12);
  close(b.low, 0.1705, 0.00005);
  close(b.high, 0.8090, 0.00005);
  const c = differenceOfIndependent(
    { successes: 0, n: 29 },
    { successes: 5, n: 56 },
  );
  close(c.value, 5 / 56, 1e-12);
  close(c.low, -0.0381, 0.00005);
  close(c.high, 0.1926, 0.00005);
});

Deno.test("differenceOfIndependent: sign, bounds and empty groups", () => {
  const forward = differenceOfIndependent(
    { successes: 10, n: 10 },
    { successes: 0, n: 20 },
  );
  const backward = differenceOfIndependent(
    { successes: 0, n: 20 },
    { successes: 10, n: 10 },
  );
  // 0/20 and 10/10 sit on the bounds of their Wilson intervals, so the
  // difference −1 is its interval's lower end.
  assert.equal(forward.value, -1);
  assert.equal(forward.low, -1);
  assert.ok(forward.high! < 0);
  close(backward.low, -forward.high!, 1e-12);
  assert.equal(backward.high, 1);
  assert.deepEqual(
    differenceOfIndependent({ successes: 0, n: 0 }, { successes: 1, n: 2 }),
    { value: null, low: null, high: null },
  );
  assert.throws(
    () =>
      differenceOfIndependent({ successes: 3, n: 2 }, { successes: 1, n: 2 }),
    RangeError,
  );
});

Deno.test("pairedComparison counts, flips, intervals and p-value", () => {
  const counts = { both: 59, only_a: 16, only_b: 6, neither: 80 };
  const c = pairedComparison(pairsFrom(counts));
  assert.equal(c.n, 161);
  assert.equal(c.both, 59);
  assert.equal(c.only_a, 16);
  assert.equal(c.only_b, 6);
  assert.equal(c.neither, 80);
  assert.deepEqual(c.accuracy_a, wilson(75, 161));
  assert.deepEqual(c.accuracy_b, wilson(65, 161));
  assert.deepEqual(c.difference, pairedDifference(counts));
  assert.equal(c.mcnemar_p, mcnemarExact(16, 6));
  assert.equal(c.flipped_to_a.length, 16);
  assert.equal(c.flipped_to_a[0], "a0");
  assert.deepEqual(c.flipped_to_b, ["b0", "b1", "b2", "b3", "b4", "b5"]);
});

Deno.test("pairedComparison of nothing", () => {
  const c = pairedComparison([]);
  assert.equal(c.n, 0);
  assert.equal(c.accuracy_a.value, null);
  assert.deepEqual(c.difference, { value: null, low: null, high: null });
  assert.equal(c.mcnemar_p, 1);
  assert.deepEqual(c.flipped_to_a, []);
  assert.deepEqual(c.flipped_to_b, []);
});
