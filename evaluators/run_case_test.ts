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
    for (const validator of [pool.forMode("declared"), new SchemaValidator()]) {
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

/** An engine that gives the scripted answers in turn (the last one again). */
function scripted(answers: Omit<Answer, "latencyMs">[]): Target & {
  calls: number;
} {
  const target = {
    ...recorded(answers[0]),
    calls: 0,
    generate: () => {
      const answer = answers[Math.min(target.calls, answers.length - 1)];
      target.calls++;
      return Promise.resolve({ ...answer, latencyMs: 1 });
    },
  };
  return target;
}

const grammarError = {
  text: "{",
  finishReason: null,
  error: {
    kind: "engine_error" as const,
    message:
      "stream error: Unexpected empty grammar stack after accepting piece: }",
    retryable: true,
  },
};
const refusedConnection = {
  text: null,
  finishReason: null,
  error: {
    kind: "infra_error" as const,
    message: "transport: Connection refused",
    retryable: true,
  },
};

function runOn(target: Target, retries: number, signal?: AbortSignal) {
  return runCase({
    kase: { key: "k", schema: { type: "object" } },
    target,
    mode: "json_schema",
    params: {},
    template: DEFAULT_TEMPLATE,
    validator: new SchemaValidator(),
    signal: signal ?? new AbortController().signal,
    retries,
    backoffMs: 1,
  });
}

Deno.test("run case: an engine error on two attempts is engine_error, and no third is made", async () => {
  for (const retries of [0, 1, 3]) {
    const target = scripted([grammarError]);
    const result = await runOn(target, retries);
    assert.equal(result.outcome, "engine_error", `retries ${retries}`);
    assert.equal(result.tries, 2);
    assert.equal(target.calls, 2);
    assert.equal(result.errorKind, "engine_error");
    assert.match(result.errorMessage!, /grammar stack.*\(after 2 tries\)$/);
    assert.equal(result.rawOutput, "{");
  }
  // Not in a row: an infrastructure failure between the two still counts two.
  const mixed = scripted([grammarError, refusedConnection, grammarError]);
  const result = await runOn(mixed, 3);
  assert.equal(result.outcome, "engine_error");
  assert.equal(result.tries, 3);
  // A quality task the engine failed on is wrong, not left out of accuracy.
  const task = await runCase({
    kase: {
      key: "q",
      schema: { type: "object" },
      task: { expected: 4, answerType: "integer" },
    },
    target: scripted([grammarError]),
    mode: "json_schema",
    params: {},
    template: DEFAULT_TEMPLATE,
    validator: new SchemaValidator(),
    signal: new AbortController().signal,
    backoffMs: 1,
  });
  assert.equal(task.outcome, "engine_error");
  assert.equal(task.correct, false);
});

Deno.test("run case: an engine error that does not repeat is not held against the engine", async () => {
  const flaky = scripted([grammarError, { text: "{}", finishReason: "stop" }]);
  const healed = await runOn(flaky, 3);
  assert.equal(healed.outcome, "valid");
  assert.equal(healed.tries, 2);
  // Once, then the engine went away: infrastructure, after the retries.
  const gone = scripted([grammarError, refusedConnection]);
  const down = await runOn(gone, 2);
  assert.equal(down.outcome, "infra_error");
  assert.equal(down.tries, 3);
  // Once, and the run was aborted before the confirming attempt.
  const controller = new AbortController();
  const aborting = {
    ...scripted([grammarError]),
    generate: () => {
      controller.abort();
      return Promise.resolve({ ...grammarError, latencyMs: 1 });
    },
  };
  const aborted = await runOn(aborting, 3, controller.signal);
  assert.equal(aborted.outcome, "infra_error");
  assert.equal(aborted.tries, 1);
  assert.match(aborted.errorMessage!, /not repeated/);
});

Deno.test("run case: connection refused, 429 and a plain 503 stay infra_error after the retries", async () => {
  const limited = {
    text: null,
    finishReason: null,
    error: {
      kind: "infra_error" as const,
      message: "HTTP 429: slow down",
      status: 429,
      retryable: true,
      rateLimited: true,
    },
  };
  const unavailable = {
    text: null,
    finishReason: null,
    error: {
      kind: "infra_error" as const,
      message: "HTTP 503: Service Unavailable",
      status: 503,
      retryable: true,
    },
  };
  for (const answer of [refusedConnection, limited, unavailable]) {
    const target = scripted([answer]);
    const result = await runOn(target, 2);
    assert.equal(result.outcome, "infra_error", answer.error.message);
    assert.equal(result.tries, 3);
  }
});

Deno.test("run case: an engine error stands when our validator cannot read the schema", async () => {
  const result = await runCase({
    kase: { key: "k", schema: { $ref: "https://example.com/remote.json" } },
    target: scripted([grammarError]),
    mode: "json_schema",
    params: {},
    template: DEFAULT_TEMPLATE,
    validator: new SchemaValidator(),
    signal: new AbortController().signal,
    backoffMs: 1,
  });
  assert.equal(result.outcome, "engine_error");
});

Deno.test("run case: key order of outputs judged against the schema, oneOf branches told by the validator (sync and pooled)", async () => {
  const schema = {
    oneOf: [
      { type: "object", properties: { why: {}, n: { type: "integer" } } },
      { type: "object", properties: { n: { type: "string" }, why: {} } },
    ],
  };
  const pool = new ValidationPool({ size: 1 });
  try {
    for (const validator of [new SchemaValidator(), pool.forMode("declared")]) {
      const answer = (text: string) => ({ text, finishReason: "stop" });
      const first = await run(schema, answer('{"why": 1, "n": 2}'), validator);
      assert.equal(first.outcome, "valid");
      assert.equal(first.keyOrder, true);
      const second = await run(
        schema,
        answer('{"why": 1, "n": "2"}'),
        validator,
      );
      assert.equal(second.keyOrder, false, "the string branch validated");
      const fenced = await run(
        { properties: { b: {}, a: {} } },
        answer('```json\n{"b": 1, "a": 2}\n```'),
        validator,
      );
      assert.equal(fenced.keyOrder, true);
      const broken = await run(schema, answer('{"why": 1,'), validator);
      assert.equal(broken.keyOrder, null, "not parsed");
    }
  } finally {
    pool.close();
  }
});

Deno.test("run case: with a probe, a failure while the engine is down stops the case unjudged; a suspect only when the request had reached it", async () => {
  const cut = {
    text: null,
    finishReason: null,
    error: {
      kind: "infra_error" as const,
      message: "transport: error reading a body from connection",
      retryable: true,
    },
  };
  for (
    const [answer, suspect] of [[refusedConnection, false], [
      cut,
      true,
    ]] as const
  ) {
    const target = scripted([answer, { text: "{}", finishReason: "stop" }]);
    let probes = 0;
    const result = await runCase({
      kase: { key: "k", schema: { type: "object" } },
      target,
      mode: "json_schema",
      params: {},
      template: DEFAULT_TEMPLATE,
      validator: new SchemaValidator(),
      signal: new AbortController().signal,
      backoffMs: 1,
      probe: () => Promise.resolve(probes++ < 0),
    });
    assert.deepEqual(result.engineDown, { suspect });
    assert.equal(target.calls, 1, "no retry while the engine is down");
    assert.equal(probes, 1);
    assert.match(result.errorMessage!, /^the engine is down: transport:/);
  }
  // Up: a cut connection is retried as before, and the answer stands.
  const target = scripted([cut, { text: "{}", finishReason: "stop" }]);
  const result = await runCase({
    kase: { key: "k", schema: { type: "object" } },
    target,
    mode: "json_schema",
    params: {},
    template: DEFAULT_TEMPLATE,
    validator: new SchemaValidator(),
    signal: new AbortController().signal,
    backoffMs: 1,
    probe: () => Promise.resolve(true),
  });
  assert.equal(result.outcome, "valid");
  assert.equal(result.engineDown, undefined);
  assert.equal(target.calls, 2);
});

Deno.test("run case: a timeout while the engine's health probe answers is engine_error on two attempts; without a probe it stays infra_error", async () => {
  const timedOut = {
    text: null,
    finishReason: null,
    error: {
      kind: "infra_error" as const,
      message: "timeout: the request took longer than 1000 ms",
      retryable: true,
    },
  };
  const input = (target: Target, probe?: () => Promise<boolean>) => ({
    kase: { key: "k", schema: { type: "object" } },
    target,
    mode: "json_schema" as const,
    params: {},
    template: DEFAULT_TEMPLATE,
    validator: new SchemaValidator(),
    signal: new AbortController().signal,
    retries: 3,
    backoffMs: 1,
    probe,
  });
  const healthy = scripted([timedOut]);
  const judged = await runCase(input(healthy, () => Promise.resolve(true)));
  assert.equal(judged.outcome, "engine_error");
  assert.equal(healthy.calls, 2);
  assert.match(judged.errorMessage!, /health probe answered/);
  const plain = scripted([timedOut]);
  const unprobed = await runCase(input(plain));
  assert.equal(unprobed.outcome, "infra_error");
  assert.equal(plain.calls, 4);
});

Deno.test("run case: a hanging engine is bounded by the case deadline, its attempt ending as a request timeout", async () => {
  const timeouts: (number | undefined)[] = [];
  // An engine that never answers: each attempt ends when its own
  // timeout_ms runs out, as an adapter's request timeout does.
  const hanging: Target = {
    ...recorded({ text: null, finishReason: null }),
    generate: async (request) => {
      timeouts.push(request.params.timeout_ms);
      await new Promise((r) => setTimeout(r, request.params.timeout_ms));
      return {
        text: null,
        finishReason: null,
        latencyMs: request.params.timeout_ms ?? 0,
        error: {
          kind: "infra_error",
          message: `timeout: no answer within ${request.params.timeout_ms} ms`,
          retryable: true,
        },
      };
    },
  };
  const validator = new SchemaValidator();
  const started = Date.now();
  const result = await runCase({
    kase: { key: "k", schema: { type: "object" } },
    target: hanging,
    mode: "json_schema",
    params: { timeout_ms: 60_000 },
    template: DEFAULT_TEMPLATE,
    validator,
    signal: new AbortController().signal,
    retries: 3,
    backoffMs: 50,
    deadlineMs: 400,
  });
  const took = Date.now() - started;
  assert.equal(result.outcome, "infra_error");
  assert.match(result.errorMessage!, /^timeout: no answer within \d+ ms/);
  // The first attempt's timeout was cut to the deadline; a retry may start
  // only with time left, and none outlives the deadline.
  assert.ok(timeouts[0]! <= 400, String(timeouts));
  assert.ok(timeouts.every((t) => t! <= 400), String(timeouts));
  assert.ok(took < 2000, `the case took ${took} ms`);
  assert.equal(result.tries, timeouts.length);
});

Deno.test("run case: the message counts the tries of earlier claims, as the attempts column does", async () => {
  const result = await runCase({
    kase: { key: "k", schema: { type: "object" } },
    target: recorded({
      text: null,
      finishReason: null,
      error: { kind: "infra_error", message: "HTTP 400: no", retryable: false },
    }),
    mode: "json_schema",
    params: {},
    template: DEFAULT_TEMPLATE,
    validator: new SchemaValidator(),
    signal: new AbortController().signal,
    priorTries: 2,
  });
  assert.equal(result.tries, 1);
  assert.equal(result.errorMessage, "HTTP 400: no (after 3 tries)");
});
