import assert from "node:assert/strict";
import {
  compareDecimal,
  isWholeDecimal,
  numberLiterals,
} from "./number_literals.ts";

Deno.test("number literals: only what a double misreads, by escaped instance path", () => {
  assert.equal(numberLiterals('{"a": 1, "b": 2.5, "c": "1.0"}'), null);
  assert.deepEqual(
    numberLiterals(
      '{"a/b": [9007199254740993, 2.0], "~": 1e2, "n": 9007199254740992}',
    ),
    { "/a~1b/0": "9007199254740993", "/a~1b/1": "2.0", "/~0": "1e2" },
  );
  assert.equal(numberLiterals("not json 1.0"), null);
});

Deno.test("number literals: exact decimal comparison", () => {
  assert.equal(compareDecimal("9223372036854776001", "9223372036854776000"), 1);
  assert.equal(compareDecimal("-1e3", "-1000.0"), 0);
  assert.equal(compareDecimal("0.1", "1e-1"), 0);
  assert.equal(compareDecimal("-2", "1"), -1);
  assert.equal(compareDecimal("0", "-0.0"), 0);
  assert.equal(compareDecimal("-10", "-9.99"), -1);
  assert.ok(isWholeDecimal("12345.000"));
  assert.ok(!isWholeDecimal("1.5e0"));
});
