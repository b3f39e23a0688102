import assert from "node:assert/strict";
import { literalsUnder, validateBatch } from "./batch.ts";
import { ValidationPool } from "./pool.ts";

Deno.test("validate batch: verdicts, a refused schema, and a bound on the whole request", async () => {
  const pool = new ValidationPool({ size: 1 });
  try {
    const declared = pool.forMode("declared");
    const answer = await validateBatch(declared, { type: "integer" }, [
      { value: 1 },
      { value: "x" },
    ]);
    assert.deepEqual(answer.results.map((r) => r.valid), [true, false]);
    assert.equal(answer.schema.ok, true);
    const refused = await validateBatch(declared, { pattern: "(?=a)" }, [
      { value: "a" },
    ]);
    assert.equal(refused.schema.ok, false);
    if (!refused.schema.ok) {
      assert.equal(refused.schema.kind, "unsupported_pattern");
    }
    const late = await validateBatch(declared, { type: "integer" }, [
      { value: 1 },
      { value: 2 },
    ], 0);
    assert.deepEqual(late.results.map((r) => r.problem?.kind), [
      "validation_timeout",
      "validation_timeout",
    ]);
  } finally {
    pool.close();
  }
  assert.deepEqual(
    literalsUnder(
      { "/instances/1/a": "1.0", "/instances/10": "2.0" },
      "/instances/1",
    ),
    { "/a": "1.0" },
  );
});
