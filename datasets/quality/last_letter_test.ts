import assert from "node:assert/strict";
import { generate } from "./last_letter.ts";

/** Recomputes the answer from the names quoted in the question. */
function solve(question: string): { names: string[]; answer: string } {
  const quoted = /"([^"]+)"/.exec(question);
  assert.ok(quoted, `no quoted names in: ${question}`);
  const names = quoted[1].split(" ");
  let answer = "";
  for (const name of names) answer += name[name.length - 1].toLowerCase();
  return { names, answer };
}

Deno.test("last_letter: same seed, same tasks; other seed, other tasks", () => {
  assert.deepEqual(generate(11, 30), generate(11, 30));
  assert.notDeepEqual(
    generate(11, 30).map((t) => t.question),
    generate(12, 30).map((t) => t.question),
  );
  assert.deepEqual(generate(11, 5), generate(11, 30).slice(0, 5));
});

Deno.test("last_letter: every answer matches the names in the question", () => {
  for (const seed of [0, 1, 2, 99, -4]) {
    const tasks = generate(seed, 100);
    assert.equal(tasks.length, 100);
    tasks.forEach((task, index) => {
      assert.equal(task.key, `last_letter-${String(index).padStart(4, "0")}`);
      assert.equal(task.family, "last_letter");
      assert.equal(task.answerType, "string");
      const { names, answer } = solve(task.question);
      assert.ok(names.length >= 2 && names.length <= 4, task.question);
      assert.equal(new Set(names).size, names.length, "names repeat");
      assert.ok(names.every((n) => /^[A-Z][a-z]+$/.test(n)), task.question);
      assert.equal(task.expected, answer, task.question);
    });
  }
});

Deno.test("last_letter: count 0 is empty, a bad count throws", () => {
  assert.deepEqual(generate(1, 0), []);
  assert.throws(() => generate(1, -1), RangeError);
  assert.throws(() => generate(1, 2.5), RangeError);
});
