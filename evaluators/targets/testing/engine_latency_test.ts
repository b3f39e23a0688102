import assert from "node:assert/strict";
import { EngineSlots, generationMs } from "./engine_latency.ts";
import { startStubEngine } from "./stub_engine.ts";

Deno.test("a generation holds its slot for the first token and the rest", () => {
  assert.equal(
    generationMs({ firstTokenMs: 40, perTokenMs: 2, tokens: 81 }),
    200,
  );
  assert.equal(generationMs({ firstTokenMs: 40, perTokenMs: 2 }), 40);
});

Deno.test("requests beyond the slots wait in line, first come first served", async () => {
  const slots = new EngineSlots(2);
  const order: number[] = [];
  const releases = await Promise.all([slots.acquire(), slots.acquire()]);
  const waiting = [3, 4].map((n) =>
    slots.acquire().then((release) => {
      order.push(n);
      return release;
    })
  );
  assert.equal(slots.busy, 2);
  assert.equal(slots.waiting, 2);
  releases[0]();
  releases[0](); // a second release frees nothing more
  const third = await waiting[0];
  assert.deepEqual(order, [3]);
  assert.equal(slots.waiting, 1);
  releases[1]();
  (await waiting[1])();
  third();
  assert.deepEqual(order, [3, 4]);
  assert.equal(slots.busy, 0);
  assert.equal(slots.peak, 2);
});

Deno.test("the GPU-shaped stub answers N requests at a time, the others queue", async () => {
  const engine = await startStubEngine({
    slots: 4,
    reply: '{"a":1}',
    latency: { firstTokenMs: 40, perTokenMs: 2, tokens: 6 }, // 50 ms a request
  });
  try {
    const ask = async () => {
      const res = await fetch(`${engine.url}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ messages: [], stream: true }),
      });
      return await res.text();
    };
    const started = performance.now();
    const bodies = await Promise.all(Array.from({ length: 12 }, ask));
    const wallMs = performance.now() - started;
    // 12 requests on 4 slots: three waves of 50 ms, never more than 4 at once.
    assert.ok(wallMs >= 145, `12 requests took only ${wallMs} ms`);
    assert.equal(engine.peakSlots, 4);
    assert.equal(engine.generations, 12);
    for (const body of bodies) {
      assert.match(body, /"content":"\{\\"a\\":1\}"/);
      assert.ok(body.endsWith("data: [DONE]\n\n"));
    }
  } finally {
    await engine.stop();
  }
});
