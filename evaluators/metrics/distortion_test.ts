import assert from "node:assert/strict";
import {
  canonicalJson,
  caseDistortion,
  type DistortionSample,
  runDistortion,
  totalVariation,
} from "./distortion.ts";
import { wilson } from "./stats.ts";

function sample(
  arm: DistortionSample["arm"],
  index: number,
  value: string | null,
  logprobs: number[] | null = [-1],
): DistortionSample {
  return {
    arm,
    index,
    seed: 100 + index,
    text: value ?? "not json",
    valid: value !== null,
    value,
    token_logprobs: logprobs,
    eog_included: true,
  };
}

/** `count` samples of each value, in the order given. */
function arm(
  which: DistortionSample["arm"],
  spec: [string | null, number, number[]?][],
): DistortionSample[] {
  const out: DistortionSample[] = [];
  for (const [value, count, logprobs] of spec) {
    for (let i = 0; i < count; i++) {
      out.push(sample(which, out.length, value, logprobs));
    }
  }
  return out;
}

const options = { seed: 3, smallSupport: true, logprobsPreConstraint: true };

Deno.test("Ẑ is the share of valid unconstrained samples with a Wilson interval", () => {
  const figures = caseDistortion([
    ...arm("constrained", [["true", 10]]),
    ...arm("unconstrained", [["true", 3], [null, 7]]),
  ], options);
  const w = wilson(3, 10);
  assert.deepEqual(figures.z, {
    value: 0.3,
    lower: w.low,
    upper: w.high,
    valid: 3,
    n: 10,
  });
  assert.equal(figures.z_zero, false);
  assert.equal(figures.n_constrained, 10);
  assert.equal(figures.n_unconstrained, 10);
});

Deno.test("no valid unconstrained sample: z_zero, no gap and no divergence", () => {
  const figures = caseDistortion([
    ...arm("constrained", [["true", 4]]),
    ...arm("unconstrained", [[null, 4]]),
  ], options);
  assert.equal(figures.z_zero, true);
  assert.equal(figures.z.value, 0);
  assert.equal(figures.gap, null);
  assert.equal(figures.divergence, null);
});

Deno.test("failed requests (no text) count in no figure", () => {
  const failed = { ...sample("unconstrained", 9, null), text: null };
  const figures = caseDistortion([
    ...arm("constrained", [["true", 2]]),
    ...arm("unconstrained", [["true", 2]]),
    failed,
  ], options);
  assert.equal(figures.n_unconstrained, 2);
  assert.equal(figures.z.value, 1);
});

Deno.test("the gap compares constrained samples with the VALID unconstrained ones", () => {
  const figures = caseDistortion([
    ...arm("constrained", [["1", 20, [-3, -3]]]),
    // invalid samples have other log probabilities: they must not count
    ...arm("unconstrained", [["1", 20, [-1, -1]], [null, 20, [-9]]]),
  ], options);
  assert.ok(figures.gap);
  assert.equal(figures.gap.value, -2);
  assert.equal(figures.gap.lower, -2);
  assert.equal(figures.gap.upper, -2);
});

Deno.test("the gap's interval comes from the samples' spread and holds its value", () => {
  const spread = Array.from(
    { length: 40 },
    (_, i) => sample("constrained", i, "1", [-2 - (i % 5) * 0.5]),
  );
  const figures = caseDistortion([
    ...spread,
    ...arm("unconstrained", [["1", 40, [-1]]]),
  ], options);
  assert.ok(figures.gap);
  assert.ok(Math.abs(figures.gap.value - -2) < 1e-12);
  assert.ok(figures.gap.lower < figures.gap.value);
  assert.ok(figures.gap.upper > figures.gap.value);
  assert.ok(figures.gap.upper < -1.5 && figures.gap.lower > -2.5);
});

Deno.test("no gap without pre-constraint log probabilities, or with some missing", () => {
  const samples = [
    ...arm("constrained", [["1", 5]]),
    ...arm("unconstrained", [["1", 5]]),
  ];
  assert.equal(
    caseDistortion(samples, { ...options, logprobsPreConstraint: false }).gap,
    null,
  );
  samples[0] = { ...samples[0], token_logprobs: null };
  assert.equal(caseDistortion(samples, options).gap, null);
  // the divergence needs no log probabilities
  assert.ok(caseDistortion(samples, options).divergence);
});

Deno.test("the divergence is the bias-corrected TV between the arms' values", () => {
  const figures = caseDistortion([
    ...arm("constrained", [['"a"', 160], ['"b"', 40]]),
    ...arm("unconstrained", [['"a"', 80], ['"b"', 120], [null, 50]]),
  ], options);
  const d = figures.divergence;
  assert.ok(d);
  assert.equal(d.support, 2);
  // plug-in TV = |0.8 − 0.4| = 0.4; far from 0 the correction is small
  assert.ok(Math.abs(d.value - 0.4) < 0.02, `${d.value}`);
  assert.ok(d.lower < 0.4 && d.upper > 0.4);
  assert.ok(d.lower > 0.25 && d.upper < 0.55);
});

Deno.test("an invalid constrained value counts as mass that g does not have", () => {
  const figures = caseDistortion([
    ...arm("constrained", [['"a"', 50], [null, 50]]),
    ...arm("unconstrained", [['"a"', 100]]),
  ], options);
  assert.ok(figures.divergence);
  assert.ok(Math.abs(figures.divergence.value - 0.5) < 0.03);
  assert.equal(figures.divergence.support, 1);
});

Deno.test("the correction pulls the TV of equal distributions toward 0", () => {
  // Same distribution, few samples: the plug-in TV is well above 0.
  const c = arm("constrained", [['"a"', 3], ['"b"', 3], ['"c"', 2]]);
  const u = arm("unconstrained", [['"a"', 2], ['"b"', 3], ['"c"', 3]]);
  const plugIn = totalVariation(
    c.map((s) => s.value!.charCodeAt(1) - 97),
    u.map((s) => s.value!.charCodeAt(1) - 97),
    3,
  );
  assert.equal(plugIn, 0.125);
  const d = caseDistortion([...c, ...u], options).divergence;
  assert.ok(d);
  assert.ok(d.value < plugIn, `${d.value}`);
  assert.ok(d.lower === 0);
});

Deno.test("no divergence for a schema whose support is not small", () => {
  const figures = caseDistortion([
    ...arm("constrained", [['"a"', 5]]),
    ...arm("unconstrained", [['"a"', 5]]),
  ], { ...options, smallSupport: false });
  assert.equal(figures.divergence, null);
  assert.ok(figures.gap);
});

Deno.test("the same seed gives the same figures", () => {
  const samples = [
    ...arm("constrained", [['"a"', 7, [-1]], ['"b"', 5, [-2]]]),
    ...arm("unconstrained", [['"a"', 3, [-1.5]], ['"b"', 8, [-0.5]]]),
  ];
  assert.deepEqual(
    caseDistortion(samples, options),
    caseDistortion(samples, options),
  );
});

Deno.test("a run averages each figure over the cases where it is defined", () => {
  const defined = caseDistortion([
    ...arm("constrained", [['"a"', 10, [-2]]]),
    ...arm("unconstrained", [['"a"', 10, [-1]]]),
  ], options);
  const zero = caseDistortion([
    ...arm("constrained", [['"a"', 10, [-2]]]),
    ...arm("unconstrained", [[null, 10]]),
  ], options);
  const run = runDistortion([defined, zero, defined], { seed: 1 });
  assert.equal(run.cases, 3);
  assert.equal(run.z_zero_cases, 1);
  assert.ok(Math.abs(run.z.value - 2 / 3) < 1e-12);
  assert.ok(run.z.lower <= run.z.value && run.z.upper >= run.z.value);
  assert.deepEqual(run.gap, { value: -1, lower: -1, upper: -1, cases: 2 });
  assert.equal(run.divergence?.cases, 2);
  const empty = runDistortion([], { seed: 1 });
  assert.equal(empty.gap, null);
  assert.equal(empty.divergence, null);
});

Deno.test("canonicalJson ignores key order and whitespace", () => {
  assert.equal(
    canonicalJson(JSON.parse('{ "b": [1, {"d":1, "c":2}],\n "a": null }')),
    canonicalJson(JSON.parse('{"a":null,"b":[1,{"c":2,"d":1}]}')),
  );
});
