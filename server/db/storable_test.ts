import assert from "node:assert/strict";
import { storable } from "./storable.ts";

Deno.test("storable: NUL and lone surrogates replaced, the rest untouched", () => {
  const at = new Date(0);
  assert.deepEqual(
    storable({
      raw: "a\u0000b",
      half: "x\ud800y",
      pair: "😀",
      list: [1, null, true, { "k\u0000": "v" }],
      at,
    }),
    {
      raw: "a\uFFFDb",
      half: "x\uFFFDy",
      pair: "😀",
      list: [1, null, true, { "k\uFFFD": "v" }],
      at,
    },
  );
  let deep: unknown = "leaf";
  for (let i = 0; i < 5000; i++) deep = [deep];
  // Nesting past the default depth (500) is cut there, not a stack overflow.
  let node = storable(deep);
  let depth = 0;
  while (Array.isArray(node)) {
    node = node[0];
    depth++;
  }
  assert.equal(depth, 500);
  assert.equal(node, null);
});
