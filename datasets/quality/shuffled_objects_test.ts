import assert from "node:assert/strict";
import { generate } from "./shuffled_objects.ts";

const HOLDS =
  /^(\w+) (?:has a (\w+) ball|gets (.+)|is dancing with (.+)|is playing (.+))$/;
const SWAP =
  /(First|Then|Finally), (\w+) and (\w+) (?:swap balls|swap books|switch partners|trade positions)\./g;
const ASK =
  /At the end of the \w+, (?:what colour is the ball (\w+) has|which book does (\w+) have|who is (\w+) dancing with|which position is (\w+) playing)\?/;

/** Re-simulates the swaps written in the question, from the text alone. */
function solve(question: string) {
  const setup = /they[^:]*: ([^.]+)\./.exec(question);
  assert.ok(setup, `no setup in: ${question}`);
  const holding = new Map<string, string>();
  for (const clause of setup[1].split(/, and |, /)) {
    const match = HOLDS.exec(clause);
    assert.ok(match, `unreadable clause "${clause}"`);
    const item = match.slice(2).find((x) => x !== undefined);
    assert.ok(item !== undefined);
    assert.ok(!holding.has(match[1]), `${match[1]} listed twice`);
    holding.set(match[1], item);
  }
  const swaps = [...question.matchAll(SWAP)];
  for (const [, , a, b] of swaps) {
    assert.ok(holding.has(a) && holding.has(b), `${a} or ${b} unknown`);
    assert.notEqual(a, b);
    const held = holding.get(a)!;
    holding.set(a, holding.get(b)!);
    holding.set(b, held);
  }
  const ask = ASK.exec(question);
  assert.ok(ask, `no question in: ${question}`);
  const target = ask.slice(1).find((x) => x !== undefined)!;
  assert.ok(holding.has(target), `${target} holds nothing`);
  return {
    people: holding.size,
    leads: swaps.map((s) => s[1]),
    answer: holding.get(target)!,
  };
}

Deno.test("shuffled_objects: same seed, same tasks; other seed, other tasks", () => {
  assert.deepEqual(generate(3, 25), generate(3, 25));
  assert.notDeepEqual(
    generate(3, 25).map((t) => t.question),
    generate(4, 25).map((t) => t.question),
  );
});

Deno.test("shuffled_objects: every answer re-simulates from the question text", () => {
  const sizes = new Set<number>();
  const frames = new Set<string>();
  for (const seed of [0, 1, 7, 2024]) {
    generate(seed, 100).forEach((task, index) => {
      assert.equal(
        task.key,
        `shuffled_objects-${String(index).padStart(4, "0")}`,
      );
      assert.equal(task.answerType, "string");
      const { people, leads, answer } = solve(task.question);
      assert.equal(task.expected, answer, task.question);
      assert.ok(people >= 3 && people <= 5);
      assert.ok(leads.length === people || leads.length === people + 1);
      assert.equal(leads[0], "First");
      assert.equal(leads[leads.length - 1], "Finally");
      sizes.add(people);
      frames.add(/are (\w+)/.exec(task.question)![1]);
    });
  }
  assert.deepEqual([...sizes].sort(), [3, 4, 5]);
  assert.equal(frames.size, 4, [...frames].join(", "));
});
