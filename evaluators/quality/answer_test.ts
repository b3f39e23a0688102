import assert from "node:assert/strict";
import { extractAnswer, isCorrect } from "./answer.ts";

type Row = [
  label: string,
  text: string,
  type: "string" | "integer",
  expected: string | number | null,
];

/** Realistic free-text outputs of models in prompt-only runs. */
const FREE_TEXT: Row[] = [
  [
    "prose with several numbers, the final one right",
    "Janet's ducks lay 16 eggs per day. She eats 3 for breakfast and bakes " +
    "muffins with 4, so 16 - 3 - 4 = 9 eggs remain. She sells them for $2 " +
    "each, so she makes 9 * 2 = 18 dollars every day.",
    "integer",
    18,
  ],
  ["the answer is, with a period", "The answer is 42.", "integer", 42],
  ["boxed", "So the total is $\\boxed{42}$.", "integer", 42],
  [
    "GSM8K hashes with a comma",
    "48 / 2 = 24\n24 + 48 = 72\n#### 1,234",
    "integer",
    1234,
  ],
  [
    "JSON embedded in prose",
    'Sure! Here is my reply: {"reasoning": "3 boxes of 4 is 12", "answer": 12} Hope it helps.',
    "integer",
    12,
  ],
  [
    "fenced JSON after reasoning",
    "Let me work it out first.\n\n```json\n" +
    '{"reasoning": "5 + 7 = 12, then 12 * 2 = 24", "answer": 24}\n```\n',
    "integer",
    24,
  ],
  ["bold markdown marker", "**Final Answer:** 1,050", "integer", 1050],
  ["negative number", "Answer: -7", "integer", -7],
  [
    "corrected answer: the last marker wins",
    "The answer is 5. Wait, I made a mistake: 4 + 4 = 8. The answer is 8.",
    "integer",
    8,
  ],
  [
    "steps, then a sentence",
    "Step 1: 12 * 3 = 36.\nStep 2: 36 - 6 = 30.\nSo she has 30 apples left.",
    "integer",
    30,
  ],
  ["dollars with cents", "He earns $1,234.00 in total.", "integer", 1234],
  ["equation after the marker", "Final answer: 3 + 4 = 7", "integer", 7],
  ["value on the next line", "The final answer is\n\n**56**", "integer", 56],
  [
    "units after the value",
    "The answer is: 12 apples, since 3 * 4 = 12.",
    "integer",
    12,
  ],
  ["a minus sign between numbers", "Total: 10 - 4 = 6", "integer", 6],
  ["a range is not negative", "It takes 3-4", "integer", 4],
  ["nothing numeric", "I don't know.", "integer", null],
  [
    "boxed wins over an earlier number",
    "We need 7 bags.\n\nThus \\boxed{21}",
    "integer",
    21,
  ],
  [
    "quoted string answer",
    'The last letters are "y", "h", "l", "y". Concatenated: yhly. The answer is "yhly".',
    "string",
    "yhly",
  ],
  [
    "bold string answer with period",
    "Dave ends up with Persuasion.\nFinal answer: **Persuasion**.",
    "string",
    "Persuasion",
  ],
  ["boxed text", "The result is \\boxed{\\text{amr}}", "string", "amr"],
  ["bare string", "Karl", "string", "Karl"],
  ["bare string with quotes and period", '"Moby Dick".', "string", "Moby Dick"],
  [
    "fenced JSON string answer",
    "Reasoning: Emma → a, Liam → m.\n```json\n" +
    '{"reasoning": "a then m", "answer": "am"}\n```',
    "string",
    "am",
  ],
  [
    "string answer with a reason after it",
    "The answer is red, because Alice ends with the red ball.",
    "string",
    "red",
  ],
  ["hashes with a string", "Claire swaps twice.\n#### Izzi", "string", "Izzi"],
  [
    "multi-word answer",
    "After the swaps, Bob plays left winger.\nAnswer: left winger",
    "string",
    "left winger",
  ],
  [
    "long prose, no marker: no string answer",
    "First Alice and Bob swap.\nThen Bob and Claire swap.\nSo Claire holds it.",
    "string",
    null,
  ],
];

Deno.test("answer: free-text outputs", () => {
  assert.ok(FREE_TEXT.length >= 15);
  for (const [label, text, type, expected] of FREE_TEXT) {
    assert.deepEqual(
      extractAnswer(text, type, "free_text"),
      expected,
      label,
    );
  }
});

const JSON_MODE: Row[] = [
  ["plain object", '{"reasoning": "x", "answer": 12}', "integer", 12],
  [
    "fenced object",
    '```json\n{"reasoning": "x", "answer": 12}\n```',
    "integer",
    12,
  ],
  [
    "bare fence",
    '```\n{"reasoning": "x", "answer": "am"}\n```',
    "string",
    "am",
  ],
  [
    "integer written as a string",
    '{"reasoning": "x", "answer": "1,234"}',
    "integer",
    1234,
  ],
  [
    "string answer",
    '{"reasoning": "x", "answer": " Moby Dick "}',
    "string",
    "Moby Dick",
  ],
  [
    "number for a string answer",
    '{"reasoning": "x", "answer": 7}',
    "string",
    "7",
  ],
  ["no answer field", '{"reasoning": "x"}', "integer", null],
  ["an array", "[1, 2]", "integer", null],
  ["not JSON", "The answer is 12.", "integer", null],
  ["null answer", '{"reasoning": "x", "answer": null}', "integer", null],
];

Deno.test("answer: json mode", () => {
  for (const [label, text, type, expected] of JSON_MODE) {
    assert.deepEqual(extractAnswer(text, type, "json"), expected, label);
  }
});

Deno.test("answer: isCorrect", () => {
  assert.equal(isCorrect(42, { expected: 42, answerType: "integer" }), true);
  assert.equal(isCorrect("42", { expected: 42, answerType: "integer" }), true);
  assert.equal(isCorrect(42.5, { expected: 42, answerType: "integer" }), false);
  assert.equal(isCorrect(41, { expected: 42 }), false);
  assert.equal(isCorrect(null, { expected: 42 }), false);
  assert.equal(
    isCorrect(" AMR ", { expected: "amr", answerType: "string" }),
    true,
  );
  assert.equal(isCorrect("amr", { expected: "ams" }), false);
  assert.equal(isCorrect("Moby Dick", { expected: "moby dick" }), true);
  assert.equal(isCorrect(7, { expected: "7", answerType: "string" }), true);
});

Deno.test("answer: hostile inputs finish at once", () => {
  const inputs = [
    "{".repeat(50_000),
    '{"answer"'.repeat(20_000),
    "answer is ".repeat(20_000),
    "1,".repeat(50_000),
    "\\boxed{".repeat(2_000),
    "#### ".repeat(20_000),
    "9".repeat(100_000),
  ];
  const started = performance.now();
  for (const text of inputs) {
    extractAnswer(text, "integer", "free_text");
    extractAnswer(text, "string", "free_text");
    extractAnswer(text, "integer", "json");
  }
  const ms = performance.now() - started;
  assert.ok(ms < 3000, `took ${ms.toFixed(0)} ms`);
});
