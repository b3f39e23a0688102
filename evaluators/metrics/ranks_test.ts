import assert from "node:assert/strict";
import { tieAwareRanks } from "./ranks.ts";

Deno.test("tieAwareRanks: a worked example", () => {
  // For each entry, the entries whose low is strictly above its high:
  //   A [0.90, 0.95]: none                     → 1
  //   B [0.88, 0.93]: none (overlaps A)        → 1
  //   T [0.85, 0.90]: none (A's low 0.90 only
  //                   touches T's high 0.90)   → 1
  //   E [0.78, 0.89]: A                        → 2
  //   C [0.70, 0.80]: A, B, T                  → 4
  //   D [0.70, 0.80]: A, B, T (same as C)      → 4
  //   F [0.10, 0.20]: A, B, T, E, C, D         → 7
  //   G and H have a null bound: after the 7 bounded entries → 8
  const ranks = tieAwareRanks([
    { id: "C", low: 0.7, high: 0.8 },
    { id: "G", low: null, high: null },
    { id: "A", low: 0.9, high: 0.95 },
    { id: "E", low: 0.78, high: 0.89 },
    { id: "H", low: 0.5, high: null },
    { id: "B", low: 0.88, high: 0.93 },
    { id: "F", low: 0.1, high: 0.2 },
    { id: "T", low: 0.85, high: 0.9 },
    { id: "D", low: 0.7, high: 0.8 },
  ]);
  assert.deepEqual(
    Object.fromEntries(ranks),
    { A: 1, B: 1, T: 1, E: 2, C: 4, D: 4, F: 7, G: 8, H: 8 },
  );
  assert.deepEqual([...ranks.keys()], [
    "C",
    "G",
    "A",
    "E",
    "H",
    "B",
    "F",
    "T",
    "D",
  ]);
});

Deno.test("tieAwareRanks: separated intervals rank 1, 2, 3", () => {
  const ranks = tieAwareRanks([
    { id: "low", low: 0.1, high: 0.2 },
    { id: "high", low: 0.7, high: 0.8 },
    { id: "mid", low: 0.4, high: 0.5 },
  ]);
  assert.deepEqual(Object.fromEntries(ranks), { high: 1, mid: 2, low: 3 });
});

Deno.test("tieAwareRanks: edge cases", () => {
  assert.equal(tieAwareRanks([]).size, 0);
  assert.deepEqual(
    Object.fromEntries(tieAwareRanks([{ id: "x", low: null, high: 0.5 }])),
    { x: 1 },
  );
  // A point interval against itself is not strictly above itself.
  assert.deepEqual(
    Object.fromEntries(
      tieAwareRanks([
        { id: "p", low: 0.5, high: 0.5 },
        { id: "q", low: 0.5, high: 0.5 },
      ]),
    ),
    { p: 1, q: 1 },
  );
  assert.throws(
    () =>
      tieAwareRanks([
        { id: "x", low: 0, high: 1 },
        { id: "x", low: 0, high: 1 },
      ]),
    Error,
  );
});
