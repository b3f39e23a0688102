import assert from "node:assert/strict";
import { type JsonNode, plainValue, scanJson } from "./json_scan.ts";

const keys = (node: JsonNode | null) =>
  node?.kind === "object" ? node.entries.map(([key]) => key) : null;

Deno.test("scanJson: keys in written order, integer-like ones too", () => {
  assert.deepEqual(keys(scanJson('{"b": 1, "10": 2, "2": 3, "a": 4}')), [
    "b",
    "10",
    "2",
    "a",
  ]);
});

Deno.test("scanJson: a repeated key keeps its first place and its last value", () => {
  const node = scanJson('{"a": 1, "b": 2, "a": 3}');
  assert.deepEqual(keys(node), ["a", "b"]);
  assert.deepEqual(plainValue(node!), JSON.parse('{"a": 1, "b": 2, "a": 3}'));
});

Deno.test("scanJson: plainValue equals JSON.parse", () => {
  const text =
    ' { "s": "x\\"y\\u00e9\\n", "n": -1.5e3, "t": true, "f": false, "z": null, "a": [[], {}, 0], "__proto__": 1 } ';
  assert.deepEqual(plainValue(scanJson(text)!), JSON.parse(text));
  assert.equal(
    Object.hasOwn(plainValue(scanJson(text)!) as object, "__proto__"),
    true,
  );
});

Deno.test("scanJson: not JSON, too deep, too long: null", () => {
  for (
    const text of ["", "{", '{"a" 1}', "[1,]", "01", "tru", '"\u0001"', "1 2"]
  ) {
    assert.equal(scanJson(text), null, text);
  }
  assert.equal(scanJson("[[[]]]", { maxDepth: 2 }), null);
  assert.notEqual(scanJson("[[]]", { maxDepth: 2 }), null);
  assert.equal(scanJson("[1, 2, 3]", { maxChars: 4 }), null);
});

Deno.test("scanJson: long strings are read without exhausting the stack; past the size limit it gives null", () => {
  const long = `{"a": "${"x".repeat(800_000)}", "b": "${
    "y\\n".repeat(30_000)
  }"}`;
  const node = scanJson(long);
  assert.equal(node?.kind, "object");
  assert.equal(scanJson(`"${"x".repeat(2_000_000)}"`), null);
  assert.equal(
    scanJson(`"${"x".repeat(2_000_000)}"`, { maxChars: undefined }),
    null,
  );
});
