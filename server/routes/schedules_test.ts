import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import {
  chatStream,
  startProviderStub,
} from "../../evaluators/targets/testing/provider_stub.ts";
import { latestFiring, Scheduler } from "../cron.ts";
import { dbTest } from "../testing/database.ts";
import { type Caller, testApp } from "../testing/api.ts";

async function fixtures(
  call: Caller,
  url = "http://127.0.0.1:9",
) {
  const suite = await call("POST", "/api/suites", {
    name: "sched",
    cases: [{ key: "a", schema: { type: "object" } }],
  });
  const t1 = await call("POST", "/api/targets", {
    name: "t1",
    kind: "openai-compatible",
    base_url: `${url}/v1`,
    mode: "json_schema",
  });
  const t2 = await call("POST", "/api/targets", {
    name: "t2",
    kind: "openai-compatible",
    base_url: `${url}/v1`,
    mode: "json_schema",
  });
  return {
    suiteId: suite.json.id as string,
    targets: [t1.json.id as string, t2.json.id as string],
  };
}

Deno.test("latestFiring: the last firing at or before now", () => {
  assert.equal(
    latestFiring("0 * * * *", new Date("2026-01-01T10:30:00Z"))?.toISOString(),
    "2026-01-01T10:00:00.000Z",
  );
  assert.equal(
    latestFiring("0 * * * *", new Date("2026-01-01T10:00:00Z"))?.toISOString(),
    "2026-01-01T10:00:00.000Z",
  );
  assert.equal(
    latestFiring("*/10 * * * * *", new Date("2026-01-01T10:00:07Z"))
      ?.toISOString(),
    "2026-01-01T10:00:00.000Z",
  );
});

dbTest(
  "schedules: create, list, change, delete; bad cron and unknown ids are refused",
  async (database) => {
    const { call } = testApp(database);
    const { suiteId, targets } = await fixtures(call);
    const created = await call("POST", "/api/schedules", {
      name: "nightly",
      cron: "0 3 * * *",
      suite_id: suiteId,
      target_ids: targets,
    });
    assert.equal(created.status, 201);
    assert.equal(created.json.enabled, true);
    assert.equal((await call("GET", "/api/schedules")).json.items.length, 1);
    const bad = await call("POST", "/api/schedules", {
      cron: "every night at 3",
      suite_id: suiteId,
      target_ids: targets,
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.path, "/cron");
    const noSuite = await call("POST", "/api/schedules", {
      cron: "0 3 * * *",
      suite_id: crypto.randomUUID(),
      target_ids: targets,
    });
    assert.equal(noSuite.status, 400);
    assert.equal(noSuite.json.error.code, "unknown_suite");
    assert.equal(noSuite.json.error.path, "/suite_id");
    const patched = await call("PATCH", `/api/schedules/${created.json.id}`, {
      enabled: false,
      options: { limit: 1 },
    });
    assert.equal(patched.json.enabled, false);
    assert.deepEqual(patched.json.options, { limit: 1 });
    assert.equal(
      (await call("PATCH", `/api/schedules/${created.json.id}`, {})).status,
      400,
    );
    assert.equal(
      (await call("DELETE", `/api/schedules/${created.json.id}`)).status,
      200,
    );
    assert.equal(
      (await call("GET", `/api/schedules/${created.json.id}`)).status,
      404,
    );
  },
);

dbTest(
  "schedules: two servers firing together make one run per target; missed firings collapse; no pile-up",
  async (database) => {
    const { call } = testApp(database);
    const { suiteId, targets } = await fixtures(call);
    const schedule = await call("POST", "/api/schedules", {
      cron: "0 * * * *",
      suite_id: suiteId,
      target_ids: targets,
    });
    await database.rows(
      sql`update schedules set created_at = '2026-01-01T00:00:00Z' where id = ${schedule.json.id}`,
    );
    // The servers were down for hours: only the latest missed firing fires.
    let now = new Date("2026-01-01T05:30:00Z");
    const a = new Scheduler(database, { now: () => now });
    const b = new Scheduler(database, { now: () => now });
    const made = (await Promise.all([a.tick(), b.tick()])).flat();
    assert.equal(made.length, 2, "one run per target");
    const runs = await database.rows<
      { scheduled_for: Date; public: boolean; trigger: string }
    >(
      sql`select scheduled_for, public, trigger from runs where schedule_id = ${schedule.json.id}`,
    );
    assert.equal(runs.length, 2);
    assert.ok(
      runs.every((r) =>
        new Date(r.scheduled_for).toISOString() === "2026-01-01T05:00:00.000Z"
      ),
    );
    assert.ok(runs.every((r) => r.public === true && r.trigger === "cron"));
    assert.deepEqual(await a.tick(), [], "the same firing again makes nothing");
    // The next firing comes while the first runs are still going: no pile-up.
    now = new Date("2026-01-01T06:00:05Z");
    assert.deepEqual(await b.tick(), []);
    const count = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from runs`,
    );
    assert.equal(count[0].n, 2);
  },
);

dbTest(
  "schedules: a seconds-level schedule with two server instances gives one run per firing",
  async (database) => {
    const stub = await startProviderStub(() => chatStream("{}"));
    const { call, worker } = testApp(database);
    const { suiteId, targets } = await fixtures(call, stub.url);
    const servers = [0, 1].map(() =>
      new Scheduler(database, { tickMs: 100, onRun: () => worker.wake() })
    );
    worker.start();
    try {
      const schedule = await call("POST", "/api/schedules", {
        cron: "* * * * * *",
        suite_id: suiteId,
        target_ids: [targets[0]],
      });
      const counts = async () =>
        (await database.rows<{ runs: number; firings: number }>(sql`
        select count(*)::int as runs, count(distinct scheduled_for)::int as firings
        from runs where schedule_id = ${schedule.json.id}`))[0];
      servers.forEach((s) => s.start());
      // Waits for two firings (about two seconds), not for a fixed time.
      const deadline = Date.now() + 15_000;
      while ((await counts()).firings < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      servers.forEach((s) => s.stop());
      const rows = [await counts()];
      assert.ok(
        rows[0].firings >= 2,
        `only ${rows[0].firings} firings in 15 s`,
      );
      assert.equal(
        rows[0].runs,
        rows[0].firings,
        "each firing gave exactly one run",
      );
    } finally {
      servers.forEach((s) => s.stop());
      await worker.stop();
      await stub.stop();
    }
  },
);
