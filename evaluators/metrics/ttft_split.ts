/**
 * A case's time to first token split where the engine reports its own
 * timings: loading the model (Ollama's `load_duration`), processing the
 * prompt (llama.cpp's `timings.prompt_ms`, Ollama's `prompt_eval_duration`)
 * and the rest, which holds the grammar's compile and the network. A
 * grammar compile that stalls the first token shows as a large `rest_ms`.
 * No engine we speak reports the compile apart (JSONSchemaBench measures
 * it with its own harness).
 *
 * @example
 * ```ts
 * import { ttftSplit } from "./ttft_split.ts";
 * ttftSplit(120, { prompt_ms: 30 }); // { load_ms: 0, prompt_ms: 30, rest_ms: 90 }
 * ttftSplit(120, null); // null
 * ```
 * @module
 */

/**
 * The split of one time to first token (see the module doc), or null when
 * there is no first token or the engine reported no prompt time.
 *
 * @example
 * ```ts
 * import { ttftSplit } from "./ttft_split.ts";
 * ttftSplit(200, { prompt_eval_ms: 50, load_ms: 100 }); // { load_ms: 100, prompt_ms: 50, rest_ms: 50 }
 * ```
 */
export function ttftSplit(
  ttftMs: number | null | undefined,
  timings: Record<string, unknown> | null | undefined,
): { load_ms: number; prompt_ms: number; rest_ms: number } | null {
  if (typeof ttftMs !== "number" || !timings) return null;
  const number = (key: string) =>
    typeof timings[key] === "number" && Number.isFinite(timings[key])
      ? timings[key] as number
      : undefined;
  const prompt = number("prompt_ms") ?? number("prompt_eval_ms");
  if (prompt === undefined) return null;
  const load = number("load_ms") ?? 0;
  return {
    load_ms: load,
    prompt_ms: prompt,
    rest_ms: Math.max(0, ttftMs - prompt - load),
  };
}
