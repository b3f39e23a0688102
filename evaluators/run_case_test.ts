import assert from "node:assert/strict";
import { DEFAULT_TEMPLATE } from "./prompt.ts";
import { runCase } from "./run_case.ts";
import type { Answer, Target } from "./targets/target.ts";
import { SchemaValidator } from "./validation/validate.ts";
import { ValidationPool } from "./validation/pool.ts";

/** An engine that gives one recorded answer. */
function recorded(answer: Omit<Answer, "latencyMs">): Target {
  return {
    config: {
      name: "recorded",
      kind: "recorded",
      baseUrl: null,
      model: null,
      mode: "json_schema",
      settings: {},
      params: {},
      apiKeyEnv: null,
    },
    describe: () => Promise.resolve({ engine: "recorded" }),
    generate: () => Promise.resolve({ ...answer, latencyMs: 1 }),
  };
}

function run(
  schema: unknown,
  answer: Omit<Answer, "latencyMs">,
  validator: Parameters<typeof runCase>[0]["validator"],
) {
  return runCase({
    kase: { key: "k", schema },
    target: recorded(answer),
    mode: "json_schema",
    params: {},
    template: DEFAULT_TEMPLATE,
    validator,
    signal: new AbortController().signal,
    retries: 0,
  });
}

const slowSchema = { type: "array", uniqueItems: true };
const slowOutput = JSON.stringify(
  Array.from({ length: 20_000 }, (_, i) => ({ id: i })),
);

Deno.test("run case: a validation past its bound is recorded as invalid_schema, validation_timeout", async () => {
  const pool = new ValidationPool({ size: 1, validationTimeoutMs: 500 });
  try {
    const result = await run(
      slowSchema,
      { text: slowOutput, finishReason: "stop" },
      pool.forMode("declared"),
    );
    assert.equal(result.outcome, "invalid_schema");
    assert.equal(result.errorKind, "validation_timeout");
    assert.equal(
      result.errorMessage,
      "validation_timeout: checking the output took longer than 500 ms",
    );
    // The engine's own verdict takes precedence, as for any schema we cannot read.
    const refused = await run(slowSchema, {
      text: null,
      finishReason: null,
      error: {
        kind: "unsupported_schema",
        message: "HTTP 400: no",
        retryable: false,
      },
    }, pool.forMode("declared"));
    assert.equal(refused.outcome, "unsupported_schema");
    assert.equal(refused.errorKind, "unsupported_schema");
    const fine = await run(
      slowSchema,
      { text: "[1, 2]", finishReason: "stop" },
      pool.forMode("declared"),
    );
    assert.equal(fine.outcome, "valid");
    assert.equal(fine.errorKind, null);
  } finally {
    pool.close();
  }
});

Deno.test("run case: a $ref cycle gives invalid_schema with the loop named, through the pool and without it", async () => {
  const pool = new ValidationPool({ size: 1 });
  try {
    const schema = {
      $ref: "#/$defs/a",
      $defs: { a: { not: { $ref: "#/$defs/a" } } },
    };
    for (const validator of [pool.forMode("jsb"), new SchemaValidator()]) {
      const result = await run(
        schema,
        { text: "{}", finishReason: "stop" },
        validator,
      );
      assert.equal(result.outcome, "invalid_schema");
      assert.equal(result.errorKind, "ref_cycle");
      assert.match(
        result.errorMessage ?? "",
        /^ref_cycle: \$ref at #\/\$defs\/a\/not loops back to itself/,
      );
      const truncated = await run(
        schema,
        { text: "{", finishReason: "length" },
        validator,
      );
      assert.equal(
        truncated.outcome,
        "invalid_schema",
        "as for any schema we cannot read",
      );
    }
  } finally {
    pool.close();
  }
});
