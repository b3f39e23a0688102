import assert from "node:assert/strict";
import { sampleSeed } from "./distortion_case.ts";

Deno.test("sample seeds: reproducible, distinct across samples and arms, 31-bit", () => {
  for (const runSeed of [0, 1, 42, 2 ** 31 - 1]) {
    const seeds = new Set<number>();
    for (const arm of ["constrained", "unconstrained"] as const) {
      for (let index = 0; index < 256; index++) {
        const seed = sampleSeed(runSeed, arm, index);
        assert.equal(seed, sampleSeed(runSeed, arm, index));
        assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31);
        seeds.add(seed);
      }
    }
    assert.equal(seeds.size, 512, `run seed ${runSeed}`);
  }
  assert.notEqual(
    sampleSeed(0, "constrained", 0),
    sampleSeed(1, "constrained", 0),
  );
});
