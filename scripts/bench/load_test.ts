/**
 * The load test (issue 8): the server (`server/main.ts`, a subprocess on a
 * fresh embedded PGlite) runs a suite on the real llama-server (the
 * stub engine, 100 ms a reply, when llama-server is not set up here) while
 * autocannon hits the leaderboard `/` and the run's own report
 * `/api/runs/:id` with 64 connections each, both at once, for a few seconds
 * from early in the run. Every request
 * must succeed (no errors, no non-2xx), and the run must be unaffected:
 * it ends `done`, every case with exactly one result, every outcome an
 * answer (`valid`, or `truncated` where the tiny model runs out of its 64
 * tokens), no `infra_error`, nothing skipped. Prints requests/s and p99
 * for each route.
 *
 * The second test (issue 15) measures `/api/health` p50/p99 alone, under
 * 300 event streams, after they closed, and under 400 slow clients
 * (`hostile_clients.ts`), each client from its own 127.x address, while a
 * run goes on a slow stub engine; it checks that health always answers
 * 200, that the cap on streams in all answered 429 beyond it, and that the
 * run, cancelled, ends with one result per case.
 *
 * @example
 * ```sh
 * deno test -A scripts/bench/load_test.ts
 * ```
 * @module
 */
import assert from "node:assert/strict";
import { BenchClient, type Json } from "./api.ts";
import { BENCH_TOKEN, startBenchServer } from "./proc.ts";
import { chaosSuite } from "../chaos/suite.ts";
import { ProcessGroup } from "../chaos/proc.ts";
import { httpLoad, type HttpLoadResult } from "./http_load.ts";
import {
  llamaServerPaths,
  startLlamaServer,
} from "../../evaluators/targets/testing/llama_server.ts";
import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";
import {
  type HealthLatency,
  healthLatency,
  openEventStreams,
  openSlowClients,
} from "./hostile_clients.ts";

const CASES = 300;
const CONNECTIONS = 64;
const SECONDS = 4;

Deno.test({
  name: "the leaderboard and a read API under 64 connections while a run goes",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const logDir = await Deno.makeTempDir({ prefix: "load-test-" });
  const dataDir = await Deno.makeTempDir({ prefix: "load-test-db-" });
  const group = new ProcessGroup(logDir);
  const real = await llamaServerPaths() !== null;
  const engine = real
    ? await startLlamaServer({ slots: 4, ctxPerSlot: 2048 })
    : await startStubEngine({ reply: '{"c":"a","n":1}', delayMs: 100 });
  try {
    const server = await startBenchServer(group, { dataDir }, {
      entry: "server/main.ts",
    });
    const api = new BenchClient(server.url, BENCH_TOKEN);
    const run = await api.publicRun(
      chaosSuite(CASES),
      "load llama",
      engine.url,
      {
        max_tokens: 64,
      },
    );
    const progress = async () =>
      (await api.get(`/api/runs/${run.id}`)).progress as { done: number };
    while ((await progress()).done === 0) {
      await new Promise((r) => setTimeout(r, 100));
    }
    // Both routes at once, so that both are loaded while the run goes.
    const doneAtLoadStart = (await progress()).done;
    const loads: HttpLoadResult[] = await Promise.all(
      ["/", `/api/runs/${run.id}`].map((path) =>
        httpLoad({
          url: `${server.url}${path}`,
          connections: CONNECTIONS,
          durationS: SECONDS,
          headers: api.headers,
        })
      ),
    );
    const doneAfterLoad = (await progress()).done;
    for (const load of loads) {
      console.log(
        `${load.url.replace(server.url, "")}: ${
          load.rps.toFixed(0)
        } req/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms, ${load.requests} requests, errors ${load.errors}, non-2xx ${load.non2xx}`,
      );
    }
    console.log(
      `engine: ${
        real ? "llama-server" : "stub engine"
      }; run ${doneAtLoadStart}/${CASES} done when the load began, ${doneAfterLoad}/${CASES} when it ended`,
    );
    let report: Json;
    for (;;) {
      report = await api.get(`/api/runs/${run.id}`);
      if (report.finished_at) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const keys = new Set<string>();
    let rows = 0;
    let cursor: string | null = null;
    do {
      const page = await api.get(
        `/api/runs/${run.id}/results?limit=500${
          cursor ? `&cursor=${cursor}` : ""
        }`,
      );
      for (const item of page.items as Json[]) {
        rows++;
        keys.add(item.key as string);
      }
      cursor = page.next_cursor as string | null;
    } while (cursor);
    await server.stop();
    for (const load of loads) {
      assert.equal(load.errors, 0, `${load.url}: connection errors`);
      assert.equal(load.non2xx, 0, `${load.url}: answers outside 2xx`);
      assert.ok(load.requests > 0);
    }
    // The load must overlap most of the run (the page cache makes the
    // board cheap, so the run may well end before the load does).
    assert.ok(
      doneAtLoadStart < CASES / 2,
      `the load began with ${doneAtLoadStart} of ${CASES} cases done`,
    );
    assert.equal(report.status, "done");
    const { total, done, by_outcome } = report.progress as {
      total: number;
      done: number;
      by_outcome: Record<string, number>;
    };
    assert.equal(total, CASES);
    assert.equal(done, CASES);
    const outcomes = Object.fromEntries(
      Object.entries(by_outcome).filter(([, n]) => n > 0),
    );
    // What the engine gives on these bounded cases: an answer (the tiny
    // model can spend its 64 tokens before closing the object). Nothing
    // the load could cause: no infra_error, nothing skipped or lost.
    const allowed = real ? ["valid", "truncated"] : ["valid"];
    for (const outcome of Object.keys(outcomes)) {
      assert.ok(allowed.includes(outcome), `outcome ${outcome} under load`);
    }
    assert.equal(rows, CASES, "one result row per case");
    assert.equal(keys.size, CASES, "every case has its result");
  } finally {
    await group.stopAll();
    await engine.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    await Deno.remove(logDir, { recursive: true }).catch(() => {});
  }
});

const HOSTILE_CASES = 200;

Deno.test({
  name: "/api/health under 300 event streams and under 400 slow clients",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const logDir = await Deno.makeTempDir({ prefix: "load-test-" });
  const dataDir = await Deno.makeTempDir({ prefix: "load-test-db-" });
  const group = new ProcessGroup(logDir);
  // A slow engine keeps the run going through every phase.
  const engine = await startStubEngine({
    reply: '{"c":"a","n":1}',
    delayMs: 1000,
  });
  try {
    const server = await startBenchServer(group, { dataDir }, {
      entry: "server/main.ts",
    });
    const api = new BenchClient(server.url, BENCH_TOKEN);
    const run = await api.publicRun(
      chaosSuite(HOSTILE_CASES),
      "hostile stub",
      engine.url,
    );
    const phases: [string, HealthLatency][] = [];
    const measure = async (name: string, seconds: number) => {
      const figures = await healthLatency(server.url, seconds);
      phases.push([name, figures]);
      console.log(
        `/api/health ${name}: p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, ${figures.requests} requests, ${figures.timeouts} over 5 s, ${figures.non200} not 200`,
      );
    };
    const settle = () => new Promise((r) => setTimeout(r, 2000));
    await measure("alone", 3);
    const streams = openEventStreams(server.url, run.id as string, 300);
    await settle();
    await measure("under 300 event streams", 5);
    await streams.stop();
    await measure("after the streams closed", 3);
    const slow = openSlowClients(server.url, 400, {
      authorization: `Bearer ${BENCH_TOKEN}`,
    });
    await settle();
    await measure("under 400 slow clients", 5);
    await slow.stop();
    const show = (m: Map<string, number>) =>
      [...m].map(([status, n]) => `${status} ${n}`).join(", ");
    console.log(`event streams answered: ${show(streams.statuses)}`);
    console.log(`slow clients answered: ${show(slow.statuses)}`);

    // Nothing is lost: cancelled, the run ends with one result per case.
    await api.post(`/api/runs/${run.id}/cancel`, {});
    let report: Json;
    for (;;) {
      report = await api.get(`/api/runs/${run.id}`);
      if (report.finished_at) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const progress = report.progress as { total: number; done: number };
    await server.stop();
    assert.equal(progress.total, HOSTILE_CASES);
    assert.equal(progress.done, HOSTILE_CASES);
    for (const [name, figures] of phases) {
      assert.equal(figures.non200, 0, `health answered otherwise ${name}`);
    }
    // The cap on streams in all (MAX_EVENT_STREAMS, 200) holds.
    assert.ok((streams.statuses.get("429") ?? 0) > 0, show(streams.statuses));
  } finally {
    await group.stopAll();
    await engine.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    await Deno.remove(logDir, { recursive: true }).catch(() => {});
  }
});
