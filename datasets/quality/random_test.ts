import assert from "node:assert/strict";
import { createRandom, seedToUint32 } from "./random.ts";

Deno.test("random: the same seed gives the same sequence", () => {
  const a = createRandom(123);
  const b = createRandom(123);
  const first = Array.from({ length: 20 }, () => a.next());
  const second = Array.from({ length: 20 }, () => b.next());
  assert.deepEqual(first, second);
  assert.ok(first.every((x) => x >= 0 && x < 1));
});

Deno.test("random: different seeds give different sequences", () => {
  const a = createRandom(1);
  const b = createRandom(2);
  const first = Array.from({ length: 5 }, () => a.next());
  const second = Array.from({ length: 5 }, () => b.next());
  assert.notDeepEqual(first, second);
  assert.notEqual(seedToUint32(1), seedToUint32(2 ** 32 + 1));
  assert.notEqual(seedToUint32(-1), seedToUint32(1));
});

Deno.test("random: int stays in range and reaches both ends", () => {
  const random = createRandom(5);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const n = random.int(3, 7);
    assert.ok(Number.isInteger(n) && n >= 3 && n <= 7);
    seen.add(n);
  }
  assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7]);
  assert.equal(random.int(4, 4), 4);
  assert.throws(() => random.int(5, 4), RangeError);
  assert.throws(() => random.int(0.5, 4), RangeError);
});

Deno.test("random: shuffle and sample keep elements and do not mutate", () => {
  const random = createRandom(9);
  const items = ["a", "b", "c", "d", "e"] as const;
  const shuffled = random.shuffle(items);
  assert.deepEqual([...shuffled].sort(), [...items]);
  assert.deepEqual(items, ["a", "b", "c", "d", "e"]);
  const sample = random.sample(items, 3);
  assert.equal(sample.length, 3);
  assert.equal(new Set(sample).size, 3);
  assert.ok(sample.every((x) => items.includes(x)));
  assert.throws(() => random.sample(items, 6), RangeError);
  assert.throws(() => random.pick([]), RangeError);
});

Deno.test("random: seeds must be safe integers", () => {
  assert.throws(() => createRandom(1.5), RangeError);
  assert.throws(() => createRandom(Number.NaN), RangeError);
});
