import assert from "node:assert/strict";
import { startLlamaServer } from "./testing/llama_server.ts";
import { llamaTest } from "./testing/engines.ts";
import { DEFAULT_TEMPLATE } from "../prompt.ts";
import { runCase } from "../run_case.ts";
import { SchemaValidator } from "../validation/validate.ts";
import { llamacppTarget } from "./llamacpp.ts";
import type { Mode, TargetConfig } from "./target.ts";

const validator = new SchemaValidator();
const bounded = {
  type: "object",
  properties: {
    color: { enum: ["red", "green", "blue"] },
    ok: { type: "boolean" },
  },
  required: ["color", "ok"],
  additionalProperties: false,
};
const unbounded = {
  type: "object",
  properties: { text: { type: "string" } },
  required: ["text"],
};

function target(
  url: string,
  mode: Mode,
  settings: Record<string, unknown> = {},
) {
  const config: TargetConfig = {
    name: "test",
    kind: "llamacpp",
    baseUrl: url,
    model: null,
    mode,
    settings,
    params: {},
    apiKeyEnv: null,
  };
  return llamacppTarget(config, () => undefined);
}

function run(
  url: string,
  mode: Mode,
  schema: unknown,
  options: { endpoint?: string; max_tokens?: number } = {},
) {
  return runCase({
    kase: { key: "k", schema },
    target: target(url, mode, { endpoint: options.endpoint ?? "chat" }),
    mode,
    params: { temperature: 0, max_tokens: options.max_tokens ?? 400, seed: 1 },
    template: DEFAULT_TEMPLATE,
    validator,
    signal: new AbortController().signal,
    retries: 2,
    backoffMs: 50,
  });
}

llamaTest({
  name: "llama.cpp adapter against a real llama-server",
  fn: async (t) => {
    const server = await startLlamaServer({ slots: 2, ctxPerSlot: 4096 });
    try {
      await t.step("the engine description is recorded", async () => {
        const engine = await target(server.url, "json_schema").describe();
        assert.equal(engine.engine, "llama.cpp");
        assert.equal(engine.version, server.buildInfo);
        assert.equal(engine.slots, 2);
        assert.match(String(engine.model), /\.gguf$/);
        assert.equal(engine.n_ctx_per_slot, 4096);
      });

      for (const endpoint of ["chat", "completion"]) {
        await t.step(
          `json_schema via ${endpoint}: a bounded schema gives a valid answer`,
          async () => {
            const r = await run(server.url, "json_schema", bounded, {
              endpoint,
            });
            assert.equal(
              r.outcome,
              "valid",
              `${r.outcome}: ${r.rawOutput} ${r.errorMessage}`,
            );
            assert.equal(r.finishReason, "stop");
            assert.ok(r.completionTokens! > 0 && r.promptTokens! > 0);
            assert.ok(r.ttftMs! > 0 && r.ttftMs! <= r.latencyMs!);
            assert.ok(r.tpotMs! > 0);
            assert.ok(r.timings && typeof r.timings.predicted_ms === "number");
            if (endpoint === "completion") assert.match(r.grammar ?? "", /::=/);
          },
        );

        for (const mode of ["json_object", "prompt_only"] as const) {
          await t.step(
            `${mode} via ${endpoint}: the engine answers and the answer is judged`,
            async () => {
              const r = await run(server.url, mode, bounded, {
                endpoint,
                max_tokens: 64,
              });
              assert.equal(r.errorKind, null, r.errorMessage ?? "");
              assert.ok((r.rawOutput ?? "").length > 0);
              assert.ok(
                ["valid", "schema_violation", "invalid_json", "truncated"]
                  .includes(r.outcome),
              );
              if (mode === "json_object") {
                assert.match(r.rawOutput!, /^\s*[{[]/);
              }
            },
          );
        }

        await t.step(
          `a remote $ref is unsupported_schema via ${endpoint}`,
          async () => {
            const r = await run(server.url, "json_schema", {
              $ref: "https://example.com/schema.json",
            }, { endpoint });
            assert.equal(
              r.outcome,
              "unsupported_schema",
              `${r.outcome}: ${r.errorMessage}`,
            );
            assert.equal(r.errorKind, "unsupported_schema");
            assert.match(r.errorMessage ?? "", /HTTP 400/);
            assert.equal(r.tries, 1, "a refusal is not retried");
          },
        );

        await t.step(
          `an unbounded string with a small max_tokens is truncated via ${endpoint}`,
          async () => {
            const r = await run(server.url, "json_schema", unbounded, {
              endpoint,
              max_tokens: 12,
            });
            assert.equal(
              r.outcome,
              "truncated",
              `${r.outcome}: ${r.rawOutput}`,
            );
            assert.equal(r.finishReason, "length");
          },
        );
      }
    } finally {
      await server.stop();
    }
  },
});

llamaTest({
  name: "llama.cpp adapter: a prompt over the context is context_exceeded",
  fn: async () => {
    const server = await startLlamaServer({ slots: 1, ctxPerSlot: 256 });
    try {
      const properties = Object.fromEntries(
        Array.from(
          { length: 60 },
          (
            _,
            i,
          ) => [`field_${i}`, {
            type: "string",
            description: `the field number ${i}`,
          }],
        ),
      );
      const r = await run(server.url, "json_schema", {
        type: "object",
        properties,
      });
      assert.equal(
        r.outcome,
        "context_exceeded",
        `${r.outcome}: ${r.errorMessage}`,
      );
      assert.equal(r.tries, 1);
    } finally {
      await server.stop();
    }
  },
});

llamaTest({
  name:
    "llama.cpp adapter: a server killed mid-request is infra_error after its retries",
  fn: async () => {
    const server = await startLlamaServer({ slots: 1, ctxPerSlot: 2048 });
    try {
      const pending = run(server.url, "json_schema", unbounded, {
        max_tokens: 100_000,
      });
      await new Promise((r) => setTimeout(r, 400));
      server.kill();
      const r = await pending;
      assert.equal(r.outcome, "infra_error", `${r.outcome}: ${r.errorMessage}`);
      assert.equal(r.errorKind, "infra_error");
      assert.equal(r.tries, 3, "the first attempt and two retries");
    } finally {
      await server.stop();
    }
  },
});
