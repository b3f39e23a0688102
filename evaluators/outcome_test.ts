import assert from "node:assert/strict";
import { judge, judgeAsync, OUTCOMES, stripFence } from "./outcome.ts";
import type { Answer, TargetError } from "./targets/target.ts";
import { SchemaValidator } from "./validation/validate.ts";

const validator = new SchemaValidator();
const schema = {
  type: "object",
  properties: { n: { type: "integer", maximum: 5 } },
  required: ["n"],
};
const compiled = validator.compile(schema);
if (!compiled.ok) throw new Error("test schema must compile");
const check = compiled.check;

const answer = (over: Partial<Answer>): Answer => ({
  text: null,
  finishReason: "stop",
  latencyMs: 1,
  ...over,
});
const err = (kind: TargetError["kind"]): TargetError => ({
  kind,
  message: `${kind} happened`,
  retryable: false,
});

Deno.test("outcome: engine refusals come first, even with text", () => {
  assert.equal(
    judge(answer({ text: '{"n":1}', error: err("unsupported_schema") }), check)
      .outcome,
    "unsupported_schema",
  );
  const ctx = judge(answer({ error: err("context_exceeded") }), check);
  assert.equal(ctx.outcome, "context_exceeded");
  assert.equal(ctx.reason, "context_exceeded happened");
});

Deno.test("outcome: an engine error comes after the refusals and before everything else", () => {
  const failed = judge(
    answer({ text: '{"n":1}', refusal: "no", error: err("engine_error") }),
    check,
  );
  assert.equal(failed.outcome, "engine_error");
  assert.equal(failed.reason, "engine_error happened");
  assert.ok(OUTCOMES.includes("engine_error"));
  assert.ok(
    OUTCOMES.indexOf("engine_error") < OUTCOMES.indexOf("infra_error"),
  );
});

Deno.test("outcome: transport failures and our own bad requests are infra_error", () => {
  assert.equal(
    judge(answer({ error: err("infra_error"), refusal: "no" }), check).outcome,
    "infra_error",
  );
  assert.equal(
    judge(answer({ error: err("bad_request") }), check).outcome,
    "infra_error",
  );
});

Deno.test("outcome: a provider refusal beats any text", () => {
  const j = judge(
    answer({ text: '{"n":1}', refusal: "I can't help with that" }),
    check,
  );
  assert.equal(j.outcome, "refusal");
  assert.equal(j.reason, "I can't help with that");
});

Deno.test("outcome: unparseable at the token limit is truncated, otherwise invalid_json", () => {
  assert.equal(
    judge(answer({ text: '{"n":', finishReason: "length" }), check).outcome,
    "truncated",
  );
  assert.equal(
    judge(answer({ text: '{"n":', finishReason: "stop" }), check).outcome,
    "invalid_json",
  );
  assert.equal(
    judge(answer({ text: "", finishReason: "stop" }), check).outcome,
    "invalid_json",
  );
  assert.equal(
    judge(answer({ text: null, finishReason: "length" }), check).outcome,
    "truncated",
  );
  // Parseable JSON at the token limit is judged on its content.
  assert.equal(
    judge(answer({ text: '{"n":1}', finishReason: "length" }), check).outcome,
    "valid",
  );
});

Deno.test("outcome: valid, or schema_violation with the failing keywords", () => {
  assert.equal(judge(answer({ text: '{"n":1}' }), check).outcome, "valid");
  const bad = judge(answer({ text: '{"n":9.5}' }), check);
  assert.equal(bad.outcome, "schema_violation");
  assert.deepEqual(bad.failingKeywords, ["maximum", "type"]);
  assert.ok(bad.errors.every((e) => e.instance_path === "/n"));
  assert.deepEqual(judge(answer({ text: "{}" }), check).failingKeywords, [
    "required",
  ]);
});

Deno.test("outcome: one surrounding code fence is stripped and flagged", () => {
  const j = judge(answer({ text: '```json\n{"n":2}\n```' }), check);
  assert.equal(j.outcome, "valid");
  assert.equal(j.fenced, true);
  assert.equal(judge(answer({ text: '{"n":2}' }), check).fenced, false);
  assert.equal(
    judge(answer({ text: '```\n{"n":2}\n```\n' }), check).outcome,
    "valid",
  );
  // Text around the fence is not stripped: the answer is not JSON.
  assert.equal(
    judge(answer({ text: 'Here:\n```json\n{"n":2}\n```' }), check).outcome,
    "invalid_json",
  );
  // Only one fence: a doubly fenced answer does not parse.
  assert.equal(
    judge(answer({ text: '```\n```json\n{"n":2}\n```\n```' }), check).outcome,
    "invalid_json",
  );
  assert.deepEqual(stripFence("```json\n[1]```"), {
    text: "[1]",
    fenced: true,
  });
});

Deno.test("outcome: judgeAsync awaits a bounded check; a timeout is invalid_schema with its kind and reason", async () => {
  for (const text of ['{"n":1}', '{"n":9.5}', "{", "```json\n{}\n```"]) {
    assert.deepEqual(
      await judgeAsync(answer({ text }), (i) => Promise.resolve(check(i))),
      judge(answer({ text }), check),
    );
  }
  const timedOut = await judgeAsync(
    answer({ text: '{"n":1}' }),
    () =>
      Promise.resolve({
        status: "invalid_schema" as const,
        kind: "validation_timeout" as const,
        reason: "checking the output took longer than 2000 ms",
        errors: [] as [],
        draft: compiled.draft,
      }),
  );
  assert.equal(timedOut.outcome, "invalid_schema");
  assert.equal(timedOut.kind, "validation_timeout");
  assert.equal(
    timedOut.reason,
    "validation_timeout: checking the output took longer than 2000 ms",
  );
  // The engine's own verdict comes first: the check is never asked.
  const refused = await judgeAsync(
    answer({ error: err("unsupported_schema") }),
    () => Promise.reject(new Error("not asked")),
  );
  assert.equal(refused.outcome, "unsupported_schema");
});
