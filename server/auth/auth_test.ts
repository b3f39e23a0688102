import assert from "node:assert/strict";
import type { Database } from "../db/client.ts";
import { apiTokens } from "../db/schema.ts";
import { dbTest } from "../testing/database.ts";
import {
  ADMIN_HEADERS,
  type JsonAnswer,
  TEST_ADMIN_TOKEN,
  testApp,
} from "../testing/api.ts";

type Call = (
  method: string,
  path: string,
  body?: unknown,
  token?: string | null,
) => Promise<{ status: number; json: JsonAnswer["json"]; headers: Headers }>;

function harness(database: Database, extra: Record<string, string> = {}) {
  const { app } = testApp(database, { env: extra });
  const call: Call = async (method, path, body, token) => {
    const headers: Record<string, string> = {
      "content-type": path.includes("/import")
        ? "text/plain"
        : "application/json",
    };
    if (token === undefined) Object.assign(headers, ADMIN_HEADERS);
    else if (token !== null) headers.authorization = `Bearer ${token}`;
    const res = await app.request(path, {
      method,
      headers,
      body: body === undefined
        ? undefined
        : typeof body === "string"
        ? body
        : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      json: text.startsWith("{") ? JSON.parse(text) : { text },
      headers: res.headers,
    };
  };
  const token = async (name: string, scopes: string[]) => {
    const made = await call("POST", "/api/tokens", { name, scopes });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    return made.json.token as string;
  };
  return { app, call, token };
}

const suiteBody = (name: string) => ({
  name,
  cases: [{ key: "a", schema: { type: "object" } }],
});

dbTest(
  "auth matrix: no token 401, too weak 403, enough 2xx, on every write route",
  async (database) => {
    const { call, token } = harness(database);
    const read = await token("reader", ["read"]);
    const write = await token("writer", ["write"]);
    const admin = await token("operator", ["admin"]);
    const target = await call("POST", "/api/targets", {
      name: "t",
      kind: "llamacpp",
      base_url: "http://127.0.0.1:9",
      mode: "json_schema",
    });
    assert.equal(target.status, 201);
    const suite = await call("POST", "/api/suites", suiteBody("base"));
    let n = 0;
    const jsonl = () =>
      JSON.stringify({ unique_id: `u${n}`, json_schema: '{"type":"object"}' });
    // [method, path, body, scope needed, expected success status]
    const routes: Array<
      [
        string,
        string,
        () => Promise<unknown> | unknown,
        "write" | "admin",
        number,
      ]
    > = [
      ["POST", "/api/suites", () => suiteBody(`s${n}`), "write", 201],
      ["POST", `/api/suites/import?name=i`, jsonl, "write", 201],
      [
        "POST",
        "/api/runs",
        () => ({
          suite_id: suite.json.id,
          target_id: target.json.id,
        }),
        "write",
        202,
      ],
      [
        "POST",
        "/api/targets",
        () => ({
          name: `t${n}`,
          kind: "llamacpp",
          base_url: "http://127.0.0.1:9",
          mode: "json_schema",
        }),
        "admin",
        201,
      ],
      [
        "POST",
        "/api/schedules",
        () => ({
          name: `sch${n}`,
          cron: "0 3 * * *",
          suite_id: suite.json.id,
          target_ids: [target.json.id],
        }),
        "admin",
        201,
      ],
      [
        "POST",
        "/api/tokens",
        () => ({ name: `k${n}`, scopes: ["read"] }),
        "admin",
        201,
      ],
    ];
    for (const [method, path, body, scope, ok] of routes) {
      n++;
      const none = await call(method, path, await body(), null);
      assert.equal(none.status, 401, `${path} without a token`);
      assert.equal(none.json.error.code, "unauthorized");
      assert.match(none.headers.get("www-authenticate") ?? "", /^Bearer/);
      const weak = await call(method, path, await body(), read);
      assert.equal(weak.status, 403, `${path} with a read token`);
      assert.match(
        weak.json.error.message,
        new RegExp(`needs the ${scope} scope`),
      );
      n++;
      const mid = await call(method, path, await body(), write);
      assert.equal(
        mid.status,
        scope === "write" ? ok : 403,
        `${path} with write`,
      );
      n++;
      const top = await call(method, path, await body(), admin);
      assert.equal(
        top.status,
        ok,
        `${path} with admin: ${JSON.stringify(top.json)}`,
      );
    }
    // Operator actions on a run, and on schedules and tokens.
    const run = await call("POST", "/api/runs", {
      suite_id: suite.json.id,
      target_id: target.json.id,
      public: true,
    }, write);
    for (const action of ["hide", "unhide"]) {
      const path = `/api/runs/${run.json.id}/${action}`;
      assert.equal((await call("POST", path, {}, null)).status, 401);
      assert.equal((await call("POST", path, {}, write)).status, 403);
      assert.equal((await call("POST", path, {}, admin)).status, 200);
    }
    const schedules = await call("GET", "/api/schedules");
    const scheduleId = schedules.json.items[0].id;
    for (const method of ["PATCH", "DELETE"]) {
      const body = method === "PATCH" ? { enabled: false } : undefined;
      const path = `/api/schedules/${scheduleId}`;
      assert.equal((await call(method, path, body, null)).status, 401);
      assert.equal((await call(method, path, body, write)).status, 403);
      assert.equal((await call(method, path, body, admin)).status, 200, method);
    }
    assert.equal(
      (await call("GET", "/api/tokens", undefined, null)).status,
      401,
    );
    assert.equal(
      (await call("GET", "/api/tokens", undefined, write)).status,
      403,
    );
    // Cancel: the owner or an admin, nobody else.
    const other = await token("other-writer", ["write"]);
    const mine = await call("POST", "/api/runs", {
      suite_id: suite.json.id,
      target_id: target.json.id,
      public: true,
    }, write);
    const cancel = `/api/runs/${mine.json.id}/cancel`;
    assert.equal((await call("POST", cancel, {}, null)).status, 401);
    assert.equal((await call("POST", cancel, {}, other)).status, 403);
    assert.equal((await call("POST", cancel, {}, write)).status, 200);
    // Reads stay open.
    assert.equal(
      (await call("GET", "/api/suites", undefined, null)).status,
      200,
    );
    assert.equal((await call("GET", "/", undefined, null)).status, 200);
  },
);

dbTest(
  "tokens: shown once, listed without secrets, revoked and rotated at once",
  async (database) => {
    const { call, token } = harness(database);
    const secret = await token("ci", ["write"]);
    assert.match(secret, /^seb_[A-Za-z0-9_-]{40,}$/);
    const list = await call("GET", "/api/tokens");
    assert.equal(list.status, 200);
    const [row] = list.json.items;
    assert.deepEqual(Object.keys(row).sort(), [
      "created_at",
      "id",
      "last_used_at",
      "name",
      "revoked_at",
      "scopes",
    ]);
    assert.ok(!JSON.stringify(list.json).includes(secret.slice(4, 20)));
    const stored = JSON.stringify(
      await database.db.select().from(apiTokens),
    );
    assert.ok(!stored.includes(secret), "only a hash is stored");

    const post = (t: string | null) =>
      call("POST", "/api/suites", suiteBody(`x${Math.random()}`), t);
    assert.equal((await post(secret)).status, 201);
    const used = await call("GET", "/api/tokens");
    assert.ok(used.json.items[0].last_used_at, "last use recorded");

    const rotated = await call("POST", `/api/tokens/${row.id}/rotate`, {});
    assert.equal(rotated.status, 200);
    assert.equal(rotated.json.id, row.id, "same id: its runs stay its own");
    assert.notEqual(rotated.json.token, secret);
    const old = await post(secret);
    assert.equal(old.status, 401);
    assert.equal(old.json.error.code, "invalid_token");
    assert.equal((await post(rotated.json.token)).status, 201);

    assert.equal(
      (await call("POST", `/api/tokens/${row.id}/revoke`, {})).status,
      200,
    );
    assert.equal((await post(rotated.json.token)).status, 401);
    assert.equal(
      (await call("GET", "/api/suites", undefined, rotated.json.token)).status,
      401,
      "a revoked token is refused on reads too",
    );
    assert.equal(
      (await call("POST", `/api/tokens/${row.id}/revoke`, {})).status,
      404,
    );
    assert.equal(
      (await call("POST", `/api/tokens/not-an-id/rotate`, {})).status,
      404,
    );
    for (const bad of ["Basic abc", "Bearer", "Bearer a b"]) {
      const res = await useHeader(harness(database).app, bad);
      assert.equal(res, 401, bad);
    }
  },
);

async function useHeader(
  app: { request: (p: string, i: RequestInit) => Response | Promise<Response> },
  value: string,
): Promise<number> {
  return (await app.request("/api/suites", {
    headers: { authorization: value },
  }))
    .status;
}

dbTest(
  "private runs: owner, admin or share link; strangers get 404",
  async (database) => {
    const { call, token } = harness(database);
    const owner = await token("owner", ["write"]);
    const stranger = await token("stranger", ["write"]);
    const suite = await call("POST", "/api/suites", suiteBody("p"), owner);
    const target = await call("POST", "/api/targets", {
      name: "t",
      kind: "llamacpp",
      base_url: "http://127.0.0.1:9",
      mode: "json_schema",
    });
    const run = await call("POST", "/api/runs", {
      suite_id: suite.json.id,
      target_id: target.json.id,
    }, owner);
    assert.equal(run.status, 202);
    assert.equal(run.json.public, false);
    assert.match(run.json.share_token, /^shr_/);
    assert.equal(
      run.json.share_url,
      `/runs/${run.json.id}?share=${run.json.share_token}`,
    );
    const id = run.json.id;
    const paths = [
      `/api/runs/${id}`,
      `/api/runs/${id}/results`,
      `/api/runs/${id}/results.jsonl`,
      `/api/runs/${id}/results.csv`,
      `/runs/${id}`,
      `/runs/${id}/cases/a`,
    ];
    for (const path of paths) {
      assert.equal(
        (await call("GET", path, undefined, null)).status,
        404,
        path,
      );
      assert.equal(
        (await call("GET", path, undefined, stranger)).status,
        404,
        path,
      );
      const mine = await call("GET", path, undefined, owner);
      assert.equal(mine.status, 200, path);
      assert.equal(mine.headers.get("cache-control"), "private, no-store");
      assert.equal((await call("GET", path)).status, 200, `${path} as admin`);
      const sep = path.includes("?") ? "&" : "?";
      const shared = await call(
        "GET",
        `${path}${sep}share=${run.json.share_token}`,
        undefined,
        null,
      );
      assert.equal(shared.status, 200, `${path} with the share link`);
      const guessed = await call(
        "GET",
        `${path}${sep}share=shr_guess`,
        undefined,
        null,
      );
      assert.equal(guessed.status, 404);
    }
    const page = await call("GET", run.json.share_url, undefined, null);
    assert.match(
      page.headers.get("set-cookie") ?? "",
      new RegExp(`^share_${id}=`),
    );
    assert.match(page.headers.get("cache-control") ?? "", /no-store/);
    const listed = async (t: string | null) =>
      (await call("GET", "/api/runs", undefined, t)).json.items.map(
        (r: { id: string }) => r.id,
      );
    assert.deepEqual(await listed(null), []);
    assert.deepEqual(await listed(stranger), []);
    assert.deepEqual(await listed(owner), [id]);
    const compare = await call(
      "GET",
      `/api/compare?a=${id}&b=${id}`,
      undefined,
      null,
    );
    assert.equal(compare.status, 404);
    const open = await call("POST", "/api/runs", {
      suite_id: suite.json.id,
      target_id: target.json.id,
      public: true,
    }, owner);
    assert.equal(open.json.share_token, undefined);
    assert.equal(
      (await call("GET", `/api/runs/${open.json.id}`, undefined, null)).status,
      200,
    );
  },
);

dbTest(
  "limits: runs in flight per token, prompt size",
  async (database) => {
    const { call, token } = harness(database, {
      MAX_RUNS_IN_FLIGHT_PER_TOKEN: "1",
      MAX_PROMPT_BYTES: "300",
    });
    const writer = await token("w", ["write"]);
    const suite = await call("POST", "/api/suites", suiteBody("r"), writer);
    assert.equal(suite.status, 201);
    const target = await call("POST", "/api/targets", {
      name: "t",
      kind: "llamacpp",
      base_url: "http://127.0.0.1:9",
      mode: "json_schema",
    });
    const body = { suite_id: suite.json.id, target_id: target.json.id };
    const first = await call("POST", "/api/runs", body, writer);
    assert.equal(first.status, 202);
    const second = await call("POST", "/api/runs", body, writer);
    assert.equal(second.status, 429);
    assert.equal(second.json.error.code, "too_many_runs");
    assert.match(second.json.error.message, /MAX_RUNS_IN_FLIGHT_PER_TOKEN/);
    assert.ok(second.headers.get("retry-after"));
    const other = await token("w2", ["write"]);
    assert.equal((await call("POST", "/api/runs", body, other)).status, 202);
    await call("POST", `/api/runs/${first.json.id}/cancel`, {}, writer);
    assert.equal(
      (await call("POST", "/api/runs", body, writer)).status,
      202,
      "a finished run frees its place",
    );
    const long = await call("POST", "/api/suites", {
      name: "long",
      cases: [{ key: "a", schema: {}, prompt: "é".repeat(200) }],
    });
    assert.equal(long.status, 413);
    assert.equal(long.json.error.path, "/cases/0/prompt");
    const template = await call("POST", "/api/runs", {
      ...body,
      options: {
        prompt_template: { system: "x".repeat(400), user: "{{schema}}" },
      },
    });
    assert.equal(template.status, 400, JSON.stringify(template.json));
  },
);

dbTest(
  "limits: writes per token and, apart, per client address; 429 Retry-After",
  async (database) => {
    const { app } = testApp(database, {
      env: { WRITE_RATE_PER_MINUTE: "3", TRUST_PROXY: "true" },
    });
    const post = async (token: string, address: string) => {
      const res = await app.request("/api/suites", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${token}`,
          "x-forwarded-for": `10.9.9.9, ${address}`,
        },
        body: JSON.stringify(suiteBody(`s${Math.random()}`)),
      });
      return { status: res.status, res, json: await res.json() };
    };
    const make = async (name: string, address: string) => {
      const res = await app.request("/api/tokens", {
        method: "POST",
        headers: { ...ADMIN_HEADERS, "x-forwarded-for": address },
        body: JSON.stringify({ name, scopes: ["write"] }),
      });
      return (await res.json()).token as string;
    };
    const a = await make("a", "10.0.0.100");
    const b = await make("b", "10.0.0.101");
    // One token from many addresses: its own budget runs out.
    for (const address of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) {
      assert.equal((await post(a, address)).status, 201);
    }
    const limited = await post(a, "10.0.0.4");
    assert.equal(limited.status, 429);
    assert.equal(limited.json.error.code, "rate_limited");
    assert.match(limited.json.error.message, /WRITE_RATE_PER_MINUTE/);
    assert.ok(Number(limited.res.headers.get("retry-after")) >= 1);
    // Many tokens from one address: the address's budget runs out.
    assert.equal((await post(b, "10.0.0.50")).status, 201);
    assert.equal((await post(TEST_ADMIN_TOKEN, "10.0.0.50")).status, 201);
    assert.equal((await post(b, "10.0.0.50")).status, 201);
    assert.equal((await post(b, "10.0.0.50")).status, 429, "address spent");
    assert.equal((await post(b, "10.0.0.51")).status, 201, "b still has one");
    // Reads are never rate limited.
    for (let i = 0; i < 10; i++) {
      const res = await app.request("/api/suites", {
        headers: { authorization: `Bearer ${a}` },
      });
      assert.equal(res.status, 200);
    }
  },
);
