import assert from "node:assert/strict";
import type { Database } from "../db/client.ts";
import { dbTest } from "../testing/database.ts";
import { testApp } from "../testing/api.ts";

function harness(database: Database, env: Record<string, string> = {}) {
  const { call, worker, finished } = testApp(database, { env });
  const target = (name: string, baseUrl: string) =>
    call("POST", "/api/targets", {
      name,
      kind: "openai-compatible",
      base_url: baseUrl,
      model: "m",
      mode: "json_schema",
    });
  return { call, target, worker, finished };
}

dbTest(
  "targets: a link-local or metadata base_url is refused, saying why",
  async (database) => {
    const { call, target } = harness(database);
    const refused: [string, RegExp][] = [
      ["http://169.254.169.254/v1", /cloud metadata/],
      ["http://2852039166/v1", /169\.254\.169\.254 is the cloud metadata/],
      ["http://0xa9.0xfe.0xa9.0xfe/v1", /cloud metadata/],
      ["http://[::ffff:169.254.169.254]/v1", /an IPv6 form of 169\.254/],
      ["http://[fd00:ec2::254]/v1", /AWS/],
      ["http://100.100.100.200/v1", /Alibaba/],
      ["http://metadata.google.internal/v1", /GCP/],
      ["http://169.254.3.4:8080/v1", /link-local/],
      ["http://[fe80::1]:8080/v1", /link-local/],
      ["http://0.0.0.0:8080/v1", /unspecified/],
      ["http://224.0.0.1/v1", /multicast/],
      ["http://user:pw@127.0.0.1:8080/v1", /credentials/],
    ];
    for (const [url, why] of refused) {
      const res = await target("t", url);
      assert.equal(res.status, 400, url);
      assert.equal(res.json.error.code, "base_url_blocked", url);
      assert.equal(res.json.error.path, "/base_url", url);
      assert.match(res.json.error.message, why, url);
      if (!url.includes("@")) {
        assert.match(res.json.error.message, /TARGET_ALLOWED_HOSTS/, url);
      } else assert.doesNotMatch(res.json.error.message, /pw/);
    }
    const list = await call("GET", "/api/targets");
    assert.deepEqual(list.json.items, [], "nothing was stored");
  },
);

dbTest(
  "targets: loopback and private base_urls are created",
  async (database) => {
    const { target } = harness(database);
    for (
      const [i, url] of [
        "http://127.0.0.1:8080/v1",
        "http://localhost:8080/v1",
        "http://[::1]:8080/v1",
        "http://10.1.2.3:8000/v1",
        "http://192.168.0.10:8000/v1",
      ].entries()
    ) {
      const res = await target(`t${i}`, url);
      assert.equal(res.status, 201, `${url}: ${JSON.stringify(res.json)}`);
      assert.equal(res.json.base_url, url);
    }
  },
);

dbTest(
  "targets: TARGET_ALLOWED_HOSTS lets an operator allow a blocked host",
  async (database) => {
    const { target } = harness(database, {
      TARGET_ALLOWED_HOSTS:
        "169.254.169.254, metadata.google.internal,fe80::/10",
    });
    for (
      const [i, url] of [
        "http://169.254.169.254/v1",
        "http://metadata.google.internal/v1",
        "http://[fe80::1]:8080/v1",
      ].entries()
    ) {
      const res = await target(`t${i}`, url);
      assert.equal(res.status, 201, `${url}: ${JSON.stringify(res.json)}`);
    }
    const other = await target("t9", "http://169.254.1.1/v1");
    assert.equal(other.status, 400, "only what is listed is allowed");
  },
);

dbTest(
  "runs: a target whose base_url is blocked by the time it runs gets infra_error, not a request",
  async (database) => {
    // Created while the operator allowed the address; the worker has no
    // such allowance, as when the allow-list changes or a name re-resolves.
    const { call, target, worker, finished } = harness(database, {
      TARGET_ALLOWED_HOSTS: "169.254.169.254",
    });
    const created = await target("meta", "http://169.254.169.254:9/v1");
    assert.equal(created.status, 201);
    const suite = await call("POST", "/api/suites", {
      name: "ssrf",
      cases: [
        { key: "a", schema: { type: "object" } },
        { key: "b", schema: { type: "string" } },
      ],
    });
    const run = await call("POST", "/api/runs", {
      suite_id: suite.json.id,
      target_id: created.json.id,
      options: { retries: 0, timeout_ms: 1000 },
    });
    assert.equal(run.status, 202, JSON.stringify(run.json));
    // The worker is given no allowance of its own (the test app's env
    // reaches the routes, not the worker's options).
    worker.start();
    try {
      await finished(run.json.id, 30_000);
    } finally {
      await worker.stop();
    }
    const results = await call("GET", `/api/runs/${run.json.id}/results`);
    assert.equal(results.json.items.length, 2);
    for (const item of results.json.items) {
      assert.equal(item.outcome, "infra_error", JSON.stringify(item));
      assert.match(item.error_message, /^no request made: base_url/);
      assert.match(item.error_message, /cloud metadata.*TARGET_ALLOWED_HOSTS/);
    }
  },
);
