import assert from "node:assert/strict";
import { llamaTest } from "./engines.ts";
import { startLlamaServer } from "./llama_server.ts";

const schema = {
  type: "object",
  properties: {
    color: { enum: ["red", "green", "blue"] },
    ok: { type: "boolean" },
  },
  required: ["color", "ok"],
  additionalProperties: false,
};

function assertMatches(value: unknown): void {
  assert.equal(typeof value, "object");
  assert.ok(value !== null && !Array.isArray(value));
  const object = value as Record<string, unknown>;
  assert.deepEqual(Object.keys(object).sort(), ["color", "ok"]);
  assert.ok(["red", "green", "blue"].includes(object.color as string));
  assert.equal(typeof object.ok, "boolean");
}

async function post(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text);
}

async function accepts(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

async function processExists(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) Z/.test(stat); // a zombie has exited
  } catch {
    return false;
  }
}

llamaTest({
  name: "llama-server: a real server answers schema-constrained requests",
  fn: async (t) => {
    const server = await startLlamaServer({ slots: 2, ctxPerSlot: 4096 });
    let stopped = false;
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(server.buildInfo.length > 0);

      await t.step("/completion with json_schema", async () => {
        const out = await post(`${server.url}/completion`, {
          prompt: "Answer with a color and a flag as JSON: ",
          json_schema: schema,
          n_predict: 128,
          temperature: 0,
          cache_prompt: false,
        }) as { content: string; stop_type: string };
        assert.equal(out.stop_type, "eos", out.content);
        assertMatches(JSON.parse(out.content));
      });

      await t.step(
        "/v1/chat/completions with a strict json_schema",
        async () => {
          const out = await post(`${server.url}/v1/chat/completions`, {
            messages: [{
              role: "user",
              content: "A color and a flag, as JSON.",
            }],
            max_tokens: 128,
            temperature: 0,
            response_format: {
              type: "json_schema",
              json_schema: { name: "x", schema, strict: true },
            },
          }) as {
            choices: { finish_reason: string; message: { content: string } }[];
          };
          const choice = out.choices[0];
          assert.equal(choice.finish_reason, "stop", choice.message.content);
          // The chat grammar allows an optional ```json fence around the JSON.
          const text = choice.message.content.trim()
            .replace(/^```(?:json)?\s*/, "").replace(/\s*```$/, "");
          assertMatches(JSON.parse(text));
        },
      );

      await t.step("the chat template is ChatML", async () => {
        const out = await post(`${server.url}/apply-template`, {
          messages: [{ role: "user", content: "hi" }],
        }) as { prompt: string };
        assert.equal(
          out.prompt,
          "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
        );
      });

      await t.step("merges shorten JSON Schema text", async () => {
        const out = await post(`${server.url}/tokenize`, {
          content: '{"type": "object", "properties": {}}',
          with_pieces: true,
        }) as { tokens: { piece: string }[] };
        const pieces = out.tokens.map((x) => x.piece);
        for (
          const piece of ['{"', "type", '":', ' "', "object", "properties"]
        ) {
          assert.ok(pieces.includes(piece), `${piece} in ${pieces.join("|")}`);
        }
      });

      await t.step("/props reports build_info and the slots", async () => {
        const res = await fetch(`${server.url}/props`);
        const props = await res.json() as {
          build_info: string;
          total_slots: number;
        };
        assert.equal(props.build_info, server.buildInfo);
        assert.equal(props.total_slots, 2);
      });

      await server.stop();
      stopped = true;
      assert.equal(await accepts(server.port), false, "port closed");
      assert.equal(await processExists(server.pid), false, "process gone");
    } finally {
      if (!stopped) await server.stop();
    }
  },
});

llamaTest({
  name: "llama-server: kill() ends it at once and stop() still cleans up",
  fn: async () => {
    const server = await startLlamaServer({ slots: 1, ctxPerSlot: 1024 });
    server.kill();
    await server.stop();
    assert.equal(await accepts(server.port), false);
    assert.equal(await processExists(server.pid), false);
  },
});
