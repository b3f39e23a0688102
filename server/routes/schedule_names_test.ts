// Issue 18, item 4: schedule names are unique, every schedule answer says
// when it fires next, cron expressions have 5 or 6 fields as the README
// documents, and the suite and targets may be named by name.
import assert from "node:assert/strict";
import { cronError, nextFiring } from "../cron.ts";
import { dbTest } from "../testing/database.ts";
import { testApp } from "../testing/api.ts";

Deno.test("cronError: 5 or 6 fields, never croner's 7th (the year)", () => {
  assert.equal(cronError("0 3 * * *"), null);
  assert.equal(cronError("*/10 * * * * *"), null);
  assert.match(cronError("0 0 3 * * * 2030")!, /7 fields/);
  assert.match(cronError("0 3 * *")!, /4 fields/);
  assert.equal(
    nextFiring("0 * * * *", new Date("2026-01-01T10:30:00Z"))?.toISOString(),
    "2026-01-01T11:00:00.000Z",
  );
});

dbTest(
  "schedules: by names, unique names (409), next_fire_at in every answer, 7-field cron refused",
  async (database) => {
    const { call } = testApp(database);
    const suite = (await call("POST", "/api/suites", {
      name: "nightly-suite",
      cases: [{ key: "a", schema: { type: "object" } }],
    })).json;
    const target = (await call("POST", "/api/targets", {
      name: "nightly-target",
      kind: "openai-compatible",
      base_url: "http://127.0.0.1:9/v1",
      mode: "json_schema",
    })).json;
    const made = await call("POST", "/api/schedules", {
      name: "nightly",
      cron: "0 3 * * *",
      suite: "nightly-suite",
      targets: ["nightly-target"],
    });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    assert.equal(made.json.suite_id, suite.id);
    assert.deepEqual(made.json.target_ids, [target.id]);
    const next = new Date(made.json.next_fire_at);
    assert.equal(next.getUTCHours(), 3);
    assert.equal(next.getUTCMinutes(), 0);
    assert.ok(next.getTime() > Date.now());

    const again = await call("POST", "/api/schedules", {
      name: "nightly",
      cron: "0 4 * * *",
      suite_id: suite.id,
      target_ids: [target.id],
    });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, "name_taken");

    const other = (await call("POST", "/api/schedules", {
      name: "hourly",
      cron: "0 * * * *",
      suite: suite.id,
      targets: [target.id],
    })).json;
    const rename = await call("PATCH", `/api/schedules/${other.id}`, {
      name: "nightly",
    });
    assert.equal(rename.status, 409);
    // Its own name again is no clash.
    const same = await call("PATCH", `/api/schedules/${made.json.id}`, {
      name: "nightly",
      enabled: false,
    });
    assert.equal(same.status, 200);
    assert.equal(same.json.next_fire_at, null);

    const seven = await call("POST", "/api/schedules", {
      cron: "0 0 3 * * * 2030",
      suite: "nightly-suite",
      targets: ["nightly-target"],
    });
    assert.equal(seven.status, 400);
    assert.equal(seven.json.error.code, "invalid_cron");

    const unknown = await call("POST", "/api/schedules", {
      cron: "0 3 * * *",
      suite: "nightly-suite",
      targets: ["nightly-targett"],
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.error.path, "/targets/0");
    assert.match(unknown.json.error.message, /nightly-target/);

    const listed = (await call("GET", "/api/schedules")).json.items;
    assert.ok(listed.every((s: object) => "next_fire_at" in s));
    const one = (await call("GET", `/api/schedules/${other.id}`)).json;
    assert.ok(one.next_fire_at);
  },
);
