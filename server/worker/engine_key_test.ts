import assert from "node:assert/strict";
import { engineKeyOf } from "./engine_key.ts";

Deno.test("engineKeyOf: one engine per origin, whatever the path or target kind", () => {
  const a = engineKeyOf({ kind: "llamacpp", baseUrl: "http://127.0.0.1:8080" });
  const b = engineKeyOf({
    kind: "openai-compatible",
    baseUrl: "http://127.0.0.1:8080/v1/",
  });
  assert.equal(a, b);
  assert.notEqual(
    a,
    engineKeyOf({ kind: "llamacpp", baseUrl: "http://127.0.0.1:8081" }),
  );
  assert.equal(engineKeyOf({ kind: "openai", baseUrl: null }), "openai");
  assert.equal(
    engineKeyOf({ kind: "llamacpp", baseUrl: "http://localhost:8080" }),
    a,
  );
});
