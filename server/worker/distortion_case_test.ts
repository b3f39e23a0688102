import assert from "node:assert/strict";
import { sampleSeed } from "./distortion_case.ts";

Deno.test("sample seeds: reproducible, distinct across samples, arms and cases, 31-bit", () => {
  for (const runSeed of [0, 1, 42, 2 ** 31 - 1]) {
    const seeds = new Set<number>();
    for (const arm of ["constrained", "unconstrained"] as const) {
      for (let index = 0; index < 256; index++) {
        const seed = sampleSeed(runSeed, "case", arm, index);
        assert.equal(seed, sampleSeed(runSeed, "case", arm, index));
        assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31);
        seeds.add(seed);
      }
    }
    assert.equal(seeds.size, 512, `run seed ${runSeed}`);
  }
  assert.notEqual(
    sampleSeed(0, "case", "constrained", 0),
    sampleSeed(1, "case", "constrained", 0),
  );
});

Deno.test("sample seeds: two cases never share a stream", () => {
  const keys = ["01_enum", "02_enum", "a", "b", "ab", "ba", ""];
  const seeds = new Set(
    keys.flatMap((key) =>
      Array.from(
        { length: 64 },
        (_, i) => sampleSeed(7, key, "unconstrained", i),
      )
    ),
  );
  assert.equal(seeds.size, keys.length * 64);
});
