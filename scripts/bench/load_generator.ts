/**
 * The bare load generator: the chat requests the harness sends for a run
 * (same prompts from `buildMessages`, same body as the `llamacpp` target's
 * chat mode, same `max_tokens`), `concurrency` at a time, each response read
 * to its end. Its wall time is the engine's limit, the baseline of
 * `harness_overhead_ratio`.
 *
 * @example
 * ```ts
 * import { runLoadGenerator } from "./load_generator.ts";
 * const { wallMs } = await runLoadGenerator({ url: "http://127.0.0.1:8080",
 *   cases: [{ schema: { type: "boolean" } }], concurrency: 4,
 *   params: { temperature: 0, max_tokens: 256, seed: 0 } });
 * ```
 * @module
 */
import { buildMessages, DEFAULT_TEMPLATE } from "../../evaluators/prompt.ts";

/**
 * One run of the generator; `statuses` counts the HTTP answers (0: no answer).
 *
 * @example
 * ```ts
 * import type { BenchCase } from "./cases.ts";
 * declare const cases: BenchCase[];
 * declare const url: string;
 * const options: LoadGeneratorOptions = { url, cases, concurrency: 4, params: { temperature: 0, max_tokens: 256, seed: 0 } };
 * ```
 */
export interface LoadGeneratorOptions {
  url: string;
  cases: readonly { schema: unknown; prompt?: string | null }[];
  concurrency: number;
  params: { temperature: number; max_tokens: number; seed: number };
}

/**
 * Sends every case once and resolves with the wall time and status counts.
 *
 * @example
 * ```ts
 * import type { LoadGeneratorOptions } from "./load_generator.ts";
 * declare const options: LoadGeneratorOptions;
 * const { wallMs, statuses } = await runLoadGenerator(options); // statuses { "200": 180, "400": 20 }
 * ```
 */
export async function runLoadGenerator(
  options: LoadGeneratorOptions,
): Promise<{ wallMs: number; statuses: Record<string, number> }> {
  const bodies = options.cases.map((kase) =>
    JSON.stringify({
      messages: buildMessages(DEFAULT_TEMPLATE, kase),
      stream: true,
      stream_options: { include_usage: true },
      cache_prompt: false,
      ...options.params,
      response_format: {
        type: "json_schema",
        json_schema: { name: "answer", schema: kase.schema, strict: true },
      },
    })
  );
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      let status = 0;
      try {
        const res = await fetch(`${options.url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        status = res.status;
        if (res.body) { for await (const _ of res.body) { /* read it all */ } }
      } catch { /* counted as status 0 */ }
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return { wallMs: performance.now() - started, statuses };
}
