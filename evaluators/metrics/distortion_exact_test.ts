/**
 * Exactness of the distortion estimators: with the closed-form bigram model
 * and the in-process reference sampler (locally constrained decoding over
 * the model's own tokens), g, q, Z, the likelihood gap and the value
 * divergence of a few tiny languages are known exactly by enumeration
 * (reference_sampler.ts, which shares no code with distortion.ts). Over
 * seeded trials at N = 2,000 to 4,000 samples per arm, the estimators'
 * intervals must cover those exact values in at least 90% of trials; and
 * where there is no distortion (an engine that samples g itself), the
 * estimates must shrink toward 0 as N grows.
 */
import assert from "node:assert/strict";
import {
  exactDistortion,
  exactZ,
  finiteLanguage,
} from "../targets/testing/reference_sampler.ts";
import {
  coverage,
  referenceTrial,
} from "../targets/testing/reference_trials.ts";

const SHARED_PREFIX = finiteLanguage(
  ["pa", "pb", "q"].map((v) => `{"v":"${v}"}`),
);
const FIRST_PROPERTY_DECIDES = finiteLanguage([
  ...Array.from({ length: 3 }, (_, n) => `{"kind":"a","n":${n}}`),
  '{"kind":"b","ok":true}',
  '{"kind":"b","ok":false}',
]);

for (
  const [name, language, n, trials] of [
    // N per arm: enough for about 90 (shared prefix) and 100 (first
    // property) valid unconstrained samples, the exact draws from g; with
    // fewer, the bootstrap intervals under-cover (docs/methodology.md).
    ["enum members sharing a prefix", SHARED_PREFIX, 2000, 40],
    [
      "an object whose first property decides the rest",
      FIRST_PROPERTY_DECIDES,
      4000,
      30,
    ],
  ] as const
) {
  Deno.test(`exactness: ${name}: intervals cover the exact Z, gap and divergence`, () => {
    const exact = exactDistortion(language);
    // q differs from g by a clear margin: the case is worth estimating.
    assert.ok(exact.tv > 0.1, `exact TV ${exact.tv}`);
    assert.ok(exact.gap < -0.05, `exact gap ${exact.gap}`);
    assert.ok(exact.z > 0.02 && exact.z < 0.2, `exact Z ${exact.z}`);
    const hits = coverage(language, { n, trials, seed: 1000, resamples: 500 });
    for (const figure of ["z", "gap", "divergence"] as const) {
      assert.ok(
        hits[figure] >= 0.9 * trials,
        `${figure}: covered the exact value in ${
          hits[figure]
        } of ${trials} trials`,
      );
    }
  });
}

Deno.test("exactness: an engine that samples g itself: the estimates shrink toward 0 as N grows", () => {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const byN = [100, 400, 1600].map((n) => {
    const runs = Array.from(
      { length: 8 },
      (_, t) =>
        referenceTrial(SHARED_PREFIX, n, 5000 + 31 * t + n, "rejection", 400),
    ).filter((f) => !f.z_zero);
    return {
      n,
      divergence: mean(runs.map((f) => f.divergence!.value)),
      gap: mean(runs.map((f) => Math.abs(f.gap!.value))),
    };
  });
  const [small, , large] = byN;
  const shown = JSON.stringify(byN);
  assert.ok(large.divergence < small.divergence, shown);
  assert.ok(large.gap < small.gap, shown);
  assert.ok(large.divergence < 0.06, shown);
  assert.ok(large.gap < 0.05, shown);
});

Deno.test("exactness: Z by dynamic programming agrees with the enumeration", () => {
  for (const language of [SHARED_PREFIX, FIRST_PROPERTY_DECIDES]) {
    const enumerated = exactDistortion(language).z;
    assert.ok(Math.abs(exactZ(language) - enumerated) < 1e-12 * enumerated);
  }
});
