import assert from "node:assert/strict";
import { mapConcurrent } from "./map_concurrent.ts";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("mapConcurrent keeps the order and the bound", async () => {
  let inFlight = 0;
  let most = 0;
  const out = await mapConcurrent([5, 1, 4, 2, 3, 0], 3, async (n, i) => {
    inFlight++;
    most = Math.max(most, inFlight);
    await tick(n);
    inFlight--;
    return `${i}:${n}`;
  });
  assert.deepEqual(out, ["0:5", "1:1", "2:4", "3:2", "4:3", "5:0"]);
  assert.equal(most, 3);
  assert.deepEqual(await mapConcurrent([], 4, () => Promise.resolve(1)), []);
});

Deno.test("mapConcurrent starts nothing after a failure and waits for what runs", async () => {
  const started: number[] = [];
  let finished = 0;
  await assert.rejects(
    () =>
      mapConcurrent([0, 1, 2, 3, 4, 5], 2, async (n) => {
        started.push(n);
        if (n === 1) throw new Error("page 1 failed");
        await tick(10);
        finished++;
        return n;
      }),
    /page 1 failed/,
  );
  assert.deepEqual(started, [0, 1]);
  assert.equal(finished, 1, "the call in flight was waited for");
});
