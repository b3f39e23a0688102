import assert from "node:assert/strict";
import { SchemaValidator } from "../../evaluators/validation/validate.ts";
import { prepareSuiteOrThrow } from "../../evaluators/case.ts";
import { extractAnswer, isCorrect } from "../../evaluators/quality/answer.ts";
import {
  answerSchema,
  QUALITY_INSTRUCTION,
  qualityCases,
  qualitySuite,
} from "./suite.ts";

Deno.test("suite: name, size, subsets, tags and keys", () => {
  const suite = qualitySuite(1, 20);
  assert.equal(suite.name, "quality/seed-1/n-20");
  assert.ok(suite.description.includes("seed 1"));
  assert.equal(suite.cases.length, 60);
  for (const family of ["last_letter", "shuffled_objects", "arithmetic"]) {
    const cases = suite.cases.filter((c) => c.subset === family);
    assert.equal(cases.length, 20, family);
    for (const c of cases) {
      assert.deepEqual(c.tags, ["quality", family]);
      assert.equal(c.task.family, family);
      assert.equal(c.task.checker, "exact");
      assert.ok(c.key.startsWith(`${family}-`));
      assert.ok(c.prompt.endsWith(`\n\n${QUALITY_INSTRUCTION}`));
      assert.equal(
        typeof c.task.expected,
        c.task.answerType === "integer" ? "number" : "string",
      );
    }
  }
  assert.equal(new Set(suite.cases.map((c) => c.key)).size, 60);
  assert.deepEqual(qualitySuite(1, 20), suite);
  assert.notDeepEqual(qualitySuite(2, 20).cases, suite.cases);
});

Deno.test("suite: answer schemas put reasoning first and compile", () => {
  const validator = new SchemaValidator();
  const suite = qualitySuite(5, 10);
  for (const c of suite.cases) {
    assert.deepEqual(Object.keys(c.schema.properties), ["reasoning", "answer"]);
    assert.deepEqual(c.schema, answerSchema(c.task.answerType));
    const right = { reasoning: "step by step", answer: c.task.expected };
    assert.equal(validator.validate(c.schema, right).status, "valid", c.key);
    const wrongType = {
      reasoning: "x",
      answer: typeof c.task.expected === "number" ? "7" : 7,
    };
    assert.equal(validator.validate(c.schema, wrongType).status, "invalid");
    assert.equal(
      validator.validate(c.schema, { answer: c.task.expected }).status,
      "invalid",
    );
    assert.equal(
      validator.validate(c.schema, { ...right, extra: 1 }).status,
      "invalid",
    );
    // A correct JSON reply reads back as correct.
    const reply = JSON.stringify(right);
    const got = extractAnswer(reply, c.task.answerType, "json");
    assert.ok(isCorrect(got, c.task), `${c.key}: ${reply}`);
  }
  assert.equal(
    validator.validate(answerSchema("integer"), { reasoning: "", answer: 1.5 })
      .status,
    "invalid",
  );
});

Deno.test("suite: the server accepts it as posted", () => {
  const suite = qualitySuite(3, 15);
  const prepared = prepareSuiteOrThrow(suite, { kind: "generated" }, {
    maxCasesPerSuite: 1000,
    maxSchemaBytes: 100_000,
    maxSchemaDepth: 32,
  });
  assert.equal(prepared.cases.length, 45);
  assert.equal(prepared.cases[0].subset, "last_letter");
  assert.equal(prepared.cases[0].prompt, suite.cases[0].prompt);
});

Deno.test("suite: qualityCases turns imported tasks into cases", () => {
  const [c] = qualityCases([{
    key: "gsm8k-test-3",
    family: "gsm8k",
    question: "What is 2 + 3?",
    expected: 5,
    answerType: "integer",
  }]);
  assert.equal(c.key, "gsm8k-test-3");
  assert.equal(c.subset, "gsm8k");
  assert.deepEqual(c.tags, ["quality", "gsm8k"]);
  assert.deepEqual(c.schema.properties.answer, { type: "integer" });
  assert.deepEqual(c.task, {
    family: "gsm8k",
    expected: 5,
    answerType: "integer",
    checker: "exact",
  });
});
