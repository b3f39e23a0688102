/**
 * Reads a newline-delimited JSON body (Ollama's native streams) and yields
 * each line parsed as JSON (a line that is not JSON is yielded as
 * `{ raw: text }`), with the same bound as the SSE reader: a line longer
 * than {@link MAX_EVENT_CHARS} throws {@link StreamTooLarge}.
 *
 * @example
 * ```ts
 * import { readLines } from "./ndjson.ts";
 * for await (const line of readLines(new Response('{"a":1}\n{"b":2}\n').body!)) console.log(line);
 * ```
 * @module
 */
import { MAX_EVENT_CHARS, StreamTooLarge } from "./sse.ts";

/**
 * Yields every JSON line of `body`.
 *
 * @example
 * ```ts
 * import { readLines } from "./ndjson.ts";
 * const lines = readLines(new Response('{"done":true}\n').body!);
 * ```
 */
export async function* readLines(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<Record<string, unknown>> {
  const decoder = new TextDecoder();
  let buffer = "";
  const parse = (line: string): Record<string, unknown> => {
    try {
      const value = JSON.parse(line);
      return typeof value === "object" && value !== null &&
          !Array.isArray(value)
        ? value as Record<string, unknown>
        : { raw: line };
    } catch {
      return { raw: line };
    }
  };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline: number;
    while ((newline = buffer.indexOf("\n", start)) >= 0) {
      const line = buffer.slice(start, newline).trim();
      start = newline + 1;
      if (line) yield parse(line);
    }
    buffer = buffer.slice(start);
    if (buffer.length > MAX_EVENT_CHARS) throw new StreamTooLarge("a line");
  }
  const rest = (buffer + decoder.decode()).trim();
  if (rest) yield parse(rest);
}
