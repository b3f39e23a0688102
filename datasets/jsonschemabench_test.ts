import assert from "node:assert/strict";
import { parseHubJsonl, parseHubJsonlStream } from "./jsonschemabench.ts";

const TEXT = [
  JSON.stringify({ unique_id: "a", json_schema: '{"type":"string"}' }),
  "",
  "not json",
  JSON.stringify({ unique_id: 7, json_schema: "true" }),
  JSON.stringify({ unique_id: "é", json_schema: '{"title":"ünïcödé"}' }),
].join("\n");

function chunked(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at += size));
    },
  });
}

Deno.test("the streamed parse gives what the whole-text parse gives, however the bytes are cut", async () => {
  const whole = parseHubJsonl(TEXT, "demo");
  assert.equal(whole.cases.length, 3);
  assert.deepEqual(whole.errors.map((e) => e.line), [3]);
  for (const size of [1, 2, 3, 7, 64, 100_000]) {
    assert.deepEqual(
      await parseHubJsonlStream(chunked(TEXT, size), "demo"),
      whole,
    );
  }
  assert.deepEqual(
    await parseHubJsonlStream(chunked(`${TEXT}\n`, 5), "demo"),
    parseHubJsonl(`${TEXT}\n`, "demo"),
  );
  assert.deepEqual(await parseHubJsonlStream(null), { cases: [], errors: [] });
});
