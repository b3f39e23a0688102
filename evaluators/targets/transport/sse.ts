/**
 * Reads a Server-Sent Events body (as OpenAI-style and llama.cpp streaming
 * endpoints send it) and yields each `data:` payload, parsed as JSON.
 * `[DONE]` ends the stream.
 *
 * @example
 * ```ts
 * import { readEvents } from "./sse.ts";
 * declare const response: Response;
 * for await (const event of readEvents(response.body!)) console.log(event);
 * ```
 * @module
 */

/** The longest line, or event, read before the stream is given up (16 MiB). */
export const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/** A stream that breaks the limits: one line or event too long. */
export class StreamTooLarge extends Error {
  /** @param what what was too long */
  constructor(what: string) {
    super(`${what} over ${MAX_EVENT_CHARS} characters: the reply was cut`);
    this.name = "StreamTooLarge";
  }
}

/**
 * Yields every `data:` event of an SSE stream as parsed JSON (events that
 * are not JSON are yielded as `{ raw: text }`). A line or an event longer
 * than {@link MAX_EVENT_CHARS} throws {@link StreamTooLarge}.
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
  let dataChars = 0;
  const flush = function* (): Generator<Record<string, unknown> | "done"> {
    if (data.length === 0) return;
    const text = data.join("\n");
    data = [];
    dataChars = 0;
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
    let start = 0;
    let newline: number;
    while ((newline = buffer.indexOf("\n", start)) >= 0) {
      const line = buffer.slice(start, newline).replace(/\r$/, "");
      start = newline + 1;
      if (line === "") {
        for (const event of flush()) {
          if (event === "done") return;
          yield event;
        }
      } else if (line.startsWith("data:")) {
        data.push(line.slice(5).replace(/^ /, ""));
        dataChars += line.length;
        if (dataChars > MAX_EVENT_CHARS) throw new StreamTooLarge("an event");
      } else if (line.startsWith("error:")) {
        data.push(JSON.stringify({ error: { message: line.slice(6).trim() } }));
      }
    }
    buffer = buffer.slice(start);
    if (buffer.length > MAX_EVENT_CHARS) throw new StreamTooLarge("a line");
  }
  buffer += decoder.decode();
  if (buffer.startsWith("data:")) data.push(buffer.slice(5).replace(/^ /, ""));
  for (const event of flush()) {
    if (event === "done") return;
    yield event;
  }
}
