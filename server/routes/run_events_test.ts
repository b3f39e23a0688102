import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { boardChanged } from "../board/cache.ts";
import type { Database } from "../db/client.ts";
import { createToken } from "../db/queries/tokens.ts";
import { RunReports } from "../runs/report_cache.ts";
import { ADMIN_HEADERS, testEnv } from "../testing/api.ts";
import { dbTest } from "../testing/database.ts";
import { finishStoredRun } from "../worker/finish.ts";
import { seedRun, seedSuite, seedTarget } from "../testing/seed.ts";
import { eq } from "drizzle-orm";
import { runs } from "../db/schema.ts";

/** A public run with 2 of its 4 cases done, still running. */
async function runningRun(database: Database) {
  const suite = await seedSuite(
    database,
    "events",
    ["a", "b", "c", "d"].map((key) => ({
      key,
      schema: { type: "object" },
    })),
  );
  const target = await seedTarget(database, { name: "events-target" });
  return await seedRun(database, {
    suite,
    target,
    results: (_key, i) => i < 2 ? { outcome: "valid" } : null,
  });
}

/** An open event stream: its status, and a reader of its text. */
async function open(
  app: ReturnType<typeof createApp>,
  path: string,
  address: string,
  headers: Record<string, string> = {},
) {
  const res = await app.request(path, { headers }, {
    remoteAddr: { hostname: address },
  });
  let text = "";
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  return {
    res,
    /** Reads until `pattern` shows in the text or the stream ends. */
    async until(pattern: RegExp): Promise<string> {
      while (reader && !pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return text;
    },
    async close() {
      await reader?.cancel().catch(() => {});
    },
  };
}

dbTest(
  "300 event streams on one run share one report computation an interval",
  async (database) => {
    const run = await runningRun(database);
    const reports = new RunReports(database);
    const app = createApp({
      database,
      env: testEnv({
        MAX_EVENT_STREAMS: "1000",
        MAX_EVENT_STREAMS_PER_CLIENT: "1000",
      }),
      reports,
    });
    const started = Date.now();
    const streams = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        open(
          app,
          `/api/runs/${run.id}/events?interval_ms=200`,
          `127.0.${i >> 8}.${i & 255}`,
        )),
    );
    try {
      for (const stream of streams) assert.equal(stream.res.status, 200);
      const first = await Promise.all(
        streams.map((s) => s.until(/event: progress\ndata: .*\n/)),
      );
      for (const text of first) assert.match(text, /"done":2/);
      // Let every stream poll a few more times (interval_ms=200 is raised to
      // the 1 s floor), then count.
      await new Promise((r) => setTimeout(r, 2500));
      const elapsedS = (Date.now() - started) / 1000;
      assert.ok(
        reports.computations <= Math.ceil(elapsedS) + 2,
        `${reports.computations} report computations in ${elapsedS} s for 300 streams`,
      );
      // The run ends (cancelled, then finished as the worker would): every
      // stream says done and closes.
      const cancel = await app.request(`/api/runs/${run.id}/cancel`, {
        method: "POST",
        headers: ADMIN_HEADERS,
      });
      assert.equal(cancel.status, 200);
      assert.ok(await finishStoredRun(database, run.id));
      boardChanged();
      const last = await Promise.all(
        streams.map((s) => s.until(/event: done\n/)),
      );
      for (const text of last) {
        assert.match(text, /event: done\ndata: .*"status":"cancelled"/);
      }
    } finally {
      await Promise.all(streams.map((s) => s.close()));
    }
  },
);

dbTest(
  "event streams are capped per client address, per token and in all",
  async (database) => {
    const run = await runningRun(database);
    const app = createApp({
      database,
      env: testEnv({
        MAX_EVENT_STREAMS: "5",
        MAX_EVENT_STREAMS_PER_CLIENT: "2",
      }),
    });
    const path = `/api/runs/${run.id}/events`;
    const held: Awaited<ReturnType<typeof open>>[] = [];
    const expect = async (
      status: number,
      address: string,
      headers?: Record<string, string>,
      message?: RegExp,
    ) => {
      const stream = await open(app, path, address, headers);
      assert.equal(stream.res.status, status, `${address}`);
      if (status === 200) held.push(stream);
      else {
        assert.equal(stream.res.headers.get("retry-after"), "5");
        const body = JSON.parse(await stream.until(/(?!)/));
        assert.equal(body.error.code, "too_many_streams");
        if (message) assert.match(body.error.message, message);
      }
    };
    try {
      // One address: two streams, the third refused.
      await expect(200, "127.0.0.2");
      await expect(200, "127.0.0.2");
      await expect(429, "127.0.0.2", {}, /client address/);
      // One token from several addresses: two, then refused.
      const { token } = await createToken(database, {
        name: "watcher",
        scopes: ["read"],
      });
      const auth = { authorization: `Bearer ${token}` };
      await expect(200, "127.0.0.3", auth);
      await expect(200, "127.0.0.4", auth);
      await expect(429, "127.0.0.5", auth, /token/);
      // In all: five held, the sixth from a fresh address refused.
      await expect(200, "127.0.0.6");
      await expect(429, "127.0.0.7", {}, /server holds its 5/);
      // A closed stream gives its slot back.
      await held.shift()!.close();
      await new Promise((r) => setTimeout(r, 50));
      await expect(200, "127.0.0.7");
    } finally {
      await Promise.all(held.map((s) => s.close()));
    }
  },
);

dbTest(
  "an event stream of a run without progress closes after the idle bound",
  async (database) => {
    const run = await runningRun(database);
    const app = createApp({
      database,
      env: testEnv({ EVENT_STREAM_IDLE_MS: "1000" }),
    });
    const stream = await open(app, `/api/runs/${run.id}/events`, "127.0.0.9");
    const text = await stream.until(/event: idle\n/);
    assert.match(text, /event: progress[\s\S]*event: idle/);
    // The stream has ended: nothing more comes.
    assert.equal(await stream.until(/(?!)/), text);
  },
);

dbTest(
  "an event stream says a run waits for its engine, and since when",
  async (database) => {
    const run = await runningRun(database);
    const since = new Date("2026-12-01T10:00:00Z");
    await database.db.update(runs).set({
      status: "waiting_for_engine",
      waitingSince: since,
    }).where(eq(runs.id, run.id));
    const app = createApp({ database, env: testEnv() });
    const stream = await open(app, `/api/runs/${run.id}/events`, "127.0.0.7");
    try {
      assert.equal(stream.res.status, 200);
      const text = await stream.until(/event: progress\ndata: .*\n/);
      const data = JSON.parse(/event: progress\ndata: (.*)\n/.exec(text)![1]);
      assert.equal(data.status, "waiting_for_engine");
      assert.equal(data.waiting_since, since.toISOString());
    } finally {
      await stream.close();
    }
  },
);
