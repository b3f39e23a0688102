import assert from "node:assert/strict";
import { ARITHMETIC_TEMPLATES, generate } from "./arithmetic.ts";

/**
 * Evaluates `+ - * / ( )` over integers by recursive descent, failing unless
 * every intermediate value is a positive integer. Returns the value and the
 * number of operations.
 */
function evaluate(expression: string): { value: number; operations: number } {
  const tokens = expression.match(/\d+|[-+*/()]|\S/g) ?? [];
  let at = 0;
  let operations = 0;
  const apply = (op: string, a: number, b: number): number => {
    operations++;
    const value = op === "+"
      ? a + b
      : op === "-"
      ? a - b
      : op === "*"
      ? a * b
      : a / b;
    assert.ok(
      Number.isInteger(value) && value > 0,
      `${a} ${op} ${b} = ${value} in ${expression}`,
    );
    return value;
  };
  const primary = (): number => {
    const token = tokens[at++];
    if (token === "(") {
      const value = sum();
      assert.equal(tokens[at++], ")", `unbalanced: ${expression}`);
      return value;
    }
    assert.match(token ?? "", /^\d+$/, `expected a number in ${expression}`);
    return Number(token);
  };
  const product = (): number => {
    let value = primary();
    while (tokens[at] === "*" || tokens[at] === "/") {
      const op = tokens[at++];
      value = apply(op, value, primary());
    }
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (tokens[at] === "+" || tokens[at] === "-") {
      const op = tokens[at++];
      value = apply(op, value, product());
    }
    return value;
  };
  const value = sum();
  assert.equal(at, tokens.length, `trailing tokens in ${expression}`);
  return { value, operations };
}

Deno.test("arithmetic: the evaluator itself", () => {
  assert.deepEqual(evaluate("(3 * 4 - 2) / 5"), { value: 2, operations: 3 });
  assert.deepEqual(evaluate("2 + 3 * 4"), { value: 14, operations: 2 });
  assert.throws(() => evaluate("3 - 5"));
  assert.throws(() => evaluate("7 / 2"));
});

Deno.test("arithmetic: same seed, same tasks; other seed, other tasks", () => {
  assert.deepEqual(generate(8, 40), generate(8, 40));
  assert.notDeepEqual(
    generate(8, 40).map((t) => t.question),
    generate(9, 40).map((t) => t.question),
  );
});

Deno.test("arithmetic: every answer is what its expression evaluates to", () => {
  const used = new Set<string>();
  for (const seed of [0, 1, 2, 3, 42, 1000]) {
    generate(seed, 200).forEach((task, index) => {
      assert.equal(task.key, `arithmetic-${String(index).padStart(4, "0")}`);
      assert.equal(task.answerType, "integer");
      const { value, operations } = evaluate(task.expression);
      assert.equal(task.expected, value, task.expression);
      assert.ok(operations >= 2 && operations <= 4, task.expression);
      // Every number the question states is used by the computation.
      const stated = task.question.match(/\d+/g) ?? [];
      const usedNumbers = new Set(task.expression.match(/\d+/g) ?? []);
      for (const n of stated) {
        assert.ok(usedNumbers.has(n), `${n} unused: ${task.question}`);
      }
      assert.ok(task.question.endsWith("?"));
      used.add(task.template);
    });
  }
  assert.deepEqual([...used].sort(), [...ARITHMETIC_TEMPLATES].sort());
});
