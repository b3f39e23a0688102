/**
 * Reads a Server-Sent Events body (as OpenAI-style and llama.cpp streaming
 * endpoints send it) and yields each `data:` payload, parsed as JSON.
 * `[DONE]` ends the stream.
 *
 * @example
 * ```ts
 * import { readEvents } from "./sse.ts";
 * for await (const event of readEvents(response.body!)) console.log(event);
 * ```
 * @module
 */

/**
 * Yields every `data:` event of an SSE stream as parsed JSON (events that
 * are not JSON are yielded as `{ raw: text }`).
 *
 * @example
 * ```ts
 * const events = readEvents(new Response('data: {"a":1}\n\ndata: [DONE]\n\n').body!);
 * ```
 */
export async function* readEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<Record<string, unknown>> {
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  const flush = function* (): Generator<Record<string, unknown> | "done"> {
    if (data.length === 0) return;
    const text = data.join("\n");
    data = [];
    if (text.trim() === "[DONE]") {
      yield "done";
      return;
    }
    try {
      yield JSON.parse(text) as Record<string, unknown>;
    } catch {
      yield { raw: text };
    }
  };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, "");
      buffer = buffer.slice(newline + 1);
      if (line === "") {
        for (const event of flush()) {
          if (event === "done") return;
          yield event;
        }
      } else if (line.startsWith("data:")) {
        data.push(line.slice(5).replace(/^ /, ""));
      } else if (line.startsWith("error:")) {
        data.push(JSON.stringify({ error: { message: line.slice(6).trim() } }));
      }
    }
  }
  buffer += decoder.decode();
  if (buffer.startsWith("data:")) data.push(buffer.slice(5).replace(/^ /, ""));
  for (const event of flush()) {
    if (event === "done") return;
    yield event;
  }
}
