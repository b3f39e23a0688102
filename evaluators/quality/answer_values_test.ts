import assert from "node:assert/strict";
import { cleanString, firstNumber, lastNumber } from "./answer_values.ts";

Deno.test("answer values: first and last number, clean string", () => {
  assert.equal(firstNumber("costs $1,234."), 1234);
  assert.equal(firstNumber("-$5 today"), -5);
  assert.equal(firstNumber("x2 and 3"), 3);
  assert.equal(firstNumber("none"), null);
  assert.equal(lastNumber("3 boxes of 12 make 36."), 36);
  assert.equal(lastNumber("1,2,3"), 3);
  assert.equal(cleanString(' **"Moby Dick".** '), "Moby Dick");
  assert.equal(cleanString("Catch-22."), "Catch-22");
});
