// Every OpenAI-style adapter, and Hugging Face's through `endpointUrl`, run
// the smoke suite against the real local llama-server. At temperature 0
// and concurrency 1 they must count the same outcomes as the llama.cpp
// adapter in the same mode: the adapters add nothing and lose nothing.
import assert from "node:assert/strict";
import { startLlamaServer } from "./testing/llama_server.ts";
import { llamaTest } from "./testing/engines.ts";
import { smokeCases } from "../testing/smoke.ts";
import { type Outcome } from "../outcome.ts";
import { DEFAULT_TEMPLATE } from "../prompt.ts";
import { runCase } from "../run_case.ts";
import { SchemaValidator } from "../validation/validate.ts";
import { createTarget, type TargetKind } from "./registry.ts";

llamaTest({
  name:
    "every adapter counts the same outcomes as llama.cpp's on the smoke suite",
  fn: async () => {
    const server = await startLlamaServer({ slots: 1, ctxPerSlot: 4096 });
    try {
      const validator = new SchemaValidator();
      const kinds: TargetKind[] = [
        "llamacpp",
        "openai-compatible",
        "openai",
        "gemini",
        "huggingface",
      ];
      const counts: Record<string, Partial<Record<Outcome, number>>> = {};
      const byCase: Record<string, string[]> = {};
      for (const kind of kinds) {
        const target = createTarget({
          name: kind,
          kind,
          baseUrl: kind === "llamacpp" || kind === "huggingface"
            ? server.url
            : `${server.url}/v1`,
          model: kind === "huggingface" ? null : "tiny",
          mode: "json_schema",
          settings: kind === "openai" || kind === "gemini"
            ? { adapt: "none" }
            : {},
          params: {},
          apiKeyEnv: null,
        }, () => undefined);
        const tally: Partial<Record<Outcome, number>> = {};
        const outcomes: string[] = [];
        for (const kase of smokeCases()) {
          const r = await runCase({
            kase,
            target,
            mode: "json_schema",
            params: { temperature: 0, max_tokens: 400, seed: 7 },
            template: DEFAULT_TEMPLATE,
            validator,
            signal: new AbortController().signal,
            retries: 0,
          });
          tally[r.outcome] = (tally[r.outcome] ?? 0) + 1;
          outcomes.push(r.outcome);
          assert.notEqual(
            r.outcome,
            "infra_error",
            `${kind} ${kase.key}: ${r.errorMessage}`,
          );
        }
        counts[kind] = tally;
        byCase[kind] = outcomes;
      }
      console.log(JSON.stringify(counts));
      for (const kind of kinds) {
        assert.deepEqual(
          counts[kind],
          counts.llamacpp,
          `${kind} differs from llamacpp`,
        );
        assert.deepEqual(
          byCase[kind],
          byCase.llamacpp,
          `${kind}: per-case outcomes differ`,
        );
      }
    } finally {
      await server.stop();
    }
  },
});
