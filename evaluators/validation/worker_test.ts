import assert from "node:assert/strict";
import { WorkerHandler } from "./worker.ts";

const small = { type: "integer" };
const large = {
  type: "object",
  properties: Object.fromEntries(
    Array.from({ length: 50 }, (_, i) => [`p${i}`, { type: "string" }]),
  ),
};

const larger = { ...large, required: ["p0"] };

Deno.test("worker: the compiled validators are bounded by their schemas' text, the oldest dropped first", () => {
  const handler = new WorkerHandler({
    cacheChars: JSON.stringify(larger).length + JSON.stringify(small).length,
  });
  const compile = (id: number, key: string, schema: unknown) =>
    handler.handle({
      type: "compile",
      id,
      key,
      mode: "declared",
      hash: key,
      schema,
    });
  assert.equal(compile(1, "small", small).type, "compiled");
  assert.equal(compile(2, "large", large).type, "compiled");
  assert.equal(
    handler.handle({ type: "check", id: 3, key: "small", instance: 1 }).type,
    "verdict",
  );
  // A second large schema does not fit beside the first: "large" (the
  // least recently used) goes, "small" (just checked) stays.
  assert.equal(
    compile(4, "large-2", larger).type,
    "compiled",
  );
  assert.equal(
    handler.handle({ type: "check", id: 5, key: "large", instance: {} }).type,
    "unknown",
  );
  assert.equal(
    handler.handle({ type: "check", id: 6, key: "small", instance: 1 }).type,
    "verdict",
  );
  const verdict = handler.handle({
    type: "check",
    id: 7,
    key: "large-2",
    instance: {},
  });
  assert.equal(verdict.type === "verdict" && verdict.verdict.status, "invalid");
});
