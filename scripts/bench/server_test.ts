import assert from "node:assert/strict";
import { ProcessGroup } from "../chaos/proc.ts";
import { BENCH_TOKEN, startBenchServer } from "./proc.ts";
import { BenchClient } from "./api.ts";
import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";

Deno.test({
  name:
    "bench server: started through boot.ts, it honours MAX_OUTPUT_CHARS as the server does",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const logDir = await Deno.makeTempDir({ prefix: "bench-server-test-" });
  const dataDir = await Deno.makeTempDir({ prefix: "bench-server-db-" });
  const group = new ProcessGroup(logDir);
  const long = JSON.stringify({ text: "x".repeat(5000) });
  const engine = await startStubEngine({ reply: long });
  try {
    const server = await startBenchServer(group, { dataDir }, {
      env: { MAX_OUTPUT_CHARS: "1024" },
    });
    const api = new BenchClient(server.url, BENCH_TOKEN);
    const suite = await api.post("/api/suites", {
      name: "bench-output-limit",
      cases: [{ key: "one", schema: { type: "object" } }],
    });
    const target = await api.target("stub", engine.url);
    const { run } = await api.runToEnd({
      suite_id: suite.id as string,
      target_id: target,
    }, 100);
    assert.equal(run.status, "done");
    const page = await api.get(`/api/runs/${run.id}/results`);
    const [result] = page.items as Record<string, unknown>[];
    assert.equal(result.output_truncated, true, JSON.stringify(result));
    assert.equal((result.raw_output as string).length, 1024);
    assert.ok(long.length > 1024);
    await server.stop();
  } finally {
    await group.stopAll();
    await engine.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    await Deno.remove(logDir, { recursive: true }).catch(() => {});
  }
});
