import assert from "node:assert/strict";
import { causeOf } from "./causes.ts";
import { derivedInstances } from "./corpus.ts";

Deno.test("fidelity: instances are derived from examples, defaults, const/enum, and mutated", () => {
  const instances = derivedInstances({
    type: "object",
    properties: { n: { type: "integer", examples: [3] }, s: { enum: ["a"] } },
  }, 100);
  assert.deepEqual(instances.slice(0, 2), [{ n: 3 }, { s: "a" }]);
  assert.ok(instances.some((i) => JSON.stringify(i) === '{"n":4}'));
  assert.ok(instances.some((i) => JSON.stringify(i) === '{"s":""}'));
  assert.equal(derivedInstances({ type: "string" }, 10).length, 0);
  assert.equal(derivedInstances({ enum: [1, 2, 3, 4, 5, 6] }, 3).length, 3);
});

Deno.test("fidelity: a disagreement is given its known cause", () => {
  const base = {
    mode: "declared" as const,
    ours: {
      status: "invalid" as const,
      keywords: ["format"],
      formats: ["date-time"],
    },
    oracle: { valid: true, why: [] },
    notChecked: ["date-time"],
    allowListed: null,
    schemaText: '{"format":"date-time"}',
    note: null,
    declared: null,
  };
  assert.match(causeOf(base), /date-time: not independently checked/);
  assert.match(
    causeOf({
      ...base,
      ours: { status: "valid", keywords: [], formats: [] },
      oracle: { valid: false, why: ["pattern"] },
    }),
    /regex dialect/,
  );
  assert.match(
    causeOf({
      ...base,
      mode: "jsb",
      oracle: { valid: false, why: [], error: "RefResolutionError" },
    }),
    /cause 13/,
  );
  assert.match(
    causeOf({
      ...base,
      ours: { status: "valid", keywords: [], formats: [] },
      oracle: { valid: false, why: ["minimum"] },
    }),
    /unexplained: here \[\], Python \[minimum\]/,
  );
});

const python = await new Deno.Command("/usr/bin/python3", {
  args: ["-c", "import jsonschema"],
  stdout: "null",
  stderr: "null",
}).output().then((o) => o.success).catch(() => false);

// Ignored (even in CI) where Debian's python3-jsonschema is not installed:
// the oracle is a developer's tool, not a need of the product.
Deno.test(
  {
    ignore: !python,
    name:
      "fidelity: the oracle judges declared and jsb the way the harness did",
    fn: async () => {
      const lines = [
        { hello: true },
        {
          sid: 0,
          mode: "declared",
          draft: null,
          schema: { format: "uuid" },
          instances: ['"6ba7b810-9dad-11d1-80b4-00c04fd430c8"', '"x"'],
        },
        {
          sid: 1,
          mode: "jsb",
          draft: null,
          schema: { format: "uuid" },
          instances: ['"6ba7b810-9dad-11d1-80b4-00c04fd430c8"'],
        },
        {
          sid: 2,
          mode: "jsb",
          draft: null,
          schema: { dependencies: { a: ["b"] } },
          instances: ['{"a": 1}'],
        },
        {
          sid: 3,
          mode: "declared",
          draft: null,
          schema: { maximum: 9223372036854776000 },
          instances: ["9223372036854776001"],
        },
      ].map((l) => JSON.stringify(l)).join("\n") + "\n";
      const child = new Deno.Command("/usr/bin/python3", {
        args: [new URL("./oracle.py", import.meta.url).pathname],
        stdin: "piped",
        stdout: "piped",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(lines));
      await writer.close();
      const out = new TextDecoder().decode((await child.output()).stdout).trim()
        .split("\n").map((l) => JSON.parse(l));
      assert.match(out[0].version, /^4\./);
      assert.ok(out[0].not_checked.includes("date-time"));
      assert.deepEqual(out[1].results, [true, false]);
      assert.deepEqual(out[2].results, [false]);
      assert.deepEqual(out[3].results, [true]);
      assert.deepEqual(out[4].results, [false]);
    },
  },
);
