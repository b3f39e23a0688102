/**
 * kill -9 of the server on PGlite mid-run, then a restart on the same
 * data directory (issue 15): the new owner, holding the directory's lock,
 * gives back the dead one's leases at start-up, so the run resumes in
 * seconds rather than after the 60 s lease; it ends with one result per
 * case. Prints the time from the restart to the first case finished
 * after it, and to the run's end.
 *
 * @example
 * ```sh
 * deno test -A scripts/chaos/pglite_restart_test.ts
 * ```
 * @module
 */
import assert from "node:assert/strict";
import { BenchClient, type Json } from "../bench/api.ts";
import { BENCH_TOKEN, startBenchServer } from "../bench/proc.ts";
import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";
import { ProcessGroup } from "./proc.ts";
import { chaosSuite } from "./suite.ts";

const CASES = 24;

Deno.test({
  name:
    "kill -9 of the server on PGlite: a restart resumes at once, one result per case",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const logDir = await Deno.makeTempDir({ prefix: "pglite-restart-" });
  const dataDir = await Deno.makeTempDir({ prefix: "pglite-restart-db-" });
  const group = new ProcessGroup(logDir);
  const engine = await startStubEngine({
    reply: '{"c":"a","n":1}',
    delayMs: 500,
  });
  try {
    const first = await startBenchServer(group, { dataDir }, {
      entry: "server/main.ts",
    });
    let api = new BenchClient(first.url, BENCH_TOKEN);
    const run = await api.publicRun(
      chaosSuite(CASES),
      "restart stub",
      engine.url,
    );
    const done = async () =>
      ((await api.get(`/api/runs/${run.id}`)).progress as { done: number })
        .done;
    while (await done() < 4) await new Promise((r) => setTimeout(r, 100));
    first.proc.kill("SIGKILL");
    await first.proc.exited;

    const restarted = Date.now();
    const second = await startBenchServer(group, { dataDir }, {
      entry: "server/main.ts",
    });
    api = new BenchClient(second.url, BENCH_TOKEN);
    const atRestart = await done();
    let resumedMs: number | null = null;
    let report: Json;
    for (;;) {
      report = await api.get(`/api/runs/${run.id}`);
      const now = (report.progress as { done: number }).done;
      if (resumedMs === null && now > atRestart) {
        resumedMs = Date.now() - restarted;
      }
      if (report.finished_at) break;
      if (Date.now() - restarted > 120_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const endedMs = Date.now() - restarted;
    const released = /released (\d+) leases/.exec(second.proc.tail());
    console.log(
      `restart on PGlite: ${
        released?.[1] ?? 0
      } leases released; first case done ${
        resumedMs ?? "-"
      } ms after the restart, the run ended after ${endedMs} ms (${atRestart}/${CASES} done at the restart)`,
    );
    const keys = new Set<string>();
    let rows = 0;
    const page = await api.get(`/api/runs/${run.id}/results?limit=500`);
    for (const item of page.items as Json[]) {
      rows++;
      keys.add(item.key as string);
    }
    await second.stop();
    assert.ok(released && Number(released[1]) > 0, second.proc.tail());
    assert.ok(report.finished_at, "the run finished after the restart");
    assert.equal(report.status, "done");
    assert.equal(rows, CASES, "one result row per case");
    assert.equal(keys.size, CASES);
  } finally {
    await group.stopAll();
    await engine.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    await Deno.remove(logDir, { recursive: true }).catch(() => {});
  }
});
