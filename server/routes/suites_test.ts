import assert from "node:assert/strict";
import { dbTest } from "../testing/database.ts";
import { ADMIN_HEADERS, testApp } from "../testing/api.ts";

const person = {
  type: "object",
  properties: { name: { type: "string" } },
  required: ["name"],
};
const suiteBody = {
  name: "people",
  description: "who is who",
  cases: [
    { key: "p1", schema: person, subset: "easy", tags: ["object"] },
    {
      key: "p2",
      schema: {
        type: "array",
        items: { $ref: "#/$defs/x" },
        $defs: { x: { uniqueItems: true } },
      },
    },
  ],
};

function jsonl(n: number, offset = 0): string {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      unique_id: `id_${i + offset}`,
      json_schema: JSON.stringify({
        type: "object",
        properties: { n: { const: i + offset } },
      }),
    })).join("\n") + "\n";
}

dbTest(
  "suites: create, re-create (idempotent), next version, new name",
  async (database) => {
    const { call } = testApp(database);
    const first = await call("POST", "/api/suites", suiteBody);
    assert.equal(first.status, 201);
    assert.equal(first.json.name, "people");
    assert.equal(first.json.version, 1);
    assert.equal(first.json.case_count, 2);
    assert.match(first.json.hash, /^[0-9a-f]{64}$/);

    const again = await call("POST", "/api/suites", suiteBody);
    assert.equal(again.status, 200);
    assert.equal(again.json.id, first.json.id);

    // The same cases in another order are the same suite.
    const reordered = await call("POST", "/api/suites", {
      ...suiteBody,
      cases: [...suiteBody.cases].reverse(),
    });
    assert.equal(reordered.status, 200);
    assert.equal(reordered.json.id, first.json.id);

    const changed = await call("POST", "/api/suites", {
      ...suiteBody,
      cases: [...suiteBody.cases, { key: "p3", schema: true }],
    });
    assert.equal(changed.status, 201);
    assert.equal(changed.json.version, 2);
    assert.notEqual(changed.json.id, first.json.id);

    const other = await call("POST", "/api/suites", {
      ...suiteBody,
      name: "animals",
    });
    assert.equal(other.status, 201);
    assert.equal(other.json.version, 1);

    const taken = await call("POST", "/api/suites", {
      ...suiteBody,
      version: 1,
      cases: [{ key: "z", schema: {} }],
    });
    assert.equal(taken.status, 409);
    assert.equal(taken.json.error.code, "version_taken");
  },
);

dbTest(
  "suites: a case records its draft, keywords and subset",
  async (database) => {
    const { call } = testApp(database);
    const created = await call("POST", "/api/suites", {
      name: "drafts",
      cases: [
        {
          key: "old",
          schema: {
            $schema: "http://json-schema.org/draft-04/schema#",
            type: "string",
          },
        },
        {
          key: "guess",
          schema: {
            id: "legacy",
            type: "object",
            minProperties: 1,
            exclusiveMinimum: true,
            minimum: 0,
            properties: { enum: { minimum: 1 } },
          },
        },
        {
          key: "new",
          schema: { type: "array", prefixItems: [{ type: "string" }] },
          subset: "arrays",
          tags: ["a", "b"],
        },
      ],
    });
    assert.equal(created.status, 201);
    const got = await call("GET", `/api/suites/${created.json.id}`);
    assert.equal(got.status, 200);
    const [old, guess, fresh] = got.json.cases.items;
    assert.equal(old.draft, "draft4");
    assert.equal(old.draft_note, null);
    assert.equal(guess.draft, "draft4");
    // Syntax invalid in 2020-12 decides, never an "id" alone.
    assert.match(
      guess.draft_note,
      /boolean exclusiveMaximum\/exclusiveMinimum/,
    );
    // "enum" here is a property name, not a keyword.
    assert.deepEqual(guess.keywords, [
      "exclusiveMinimum",
      "id",
      "minProperties",
      "minimum",
      "properties",
      "type",
    ]);
    assert.equal(fresh.draft, "draft2020-12");
    assert.equal(fresh.subset, "arrays");
    assert.deepEqual(fresh.tags, ["a", "b"]);
    assert.deepEqual(fresh.schema, {
      type: "array",
      prefixItems: [{ type: "string" }],
    });
    assert.equal(got.json.cases.next_cursor, null);
  },
);

dbTest("suites: schemas keep their property order", async (database) => {
  const { call } = testApp(database);
  const schema = {
    type: "object",
    properties: {
      zeta: { type: "string" },
      alpha: { type: "integer" },
      mid: {},
    },
  };
  const created = await call("POST", "/api/suites", {
    name: "order",
    cases: [{ key: "o", schema }],
  });
  const got = await call("GET", `/api/suites/${created.json.id}`);
  assert.deepEqual(Object.keys(got.json.cases.items[0].schema.properties), [
    "zeta",
    "alpha",
    "mid",
  ]);
});

dbTest(
  "suites: import JSONL, twice, and a bad line stores nothing",
  async (database) => {
    const { call } = testApp(database);
    const first = await call(
      "POST",
      "/api/suites/import?name=hub&subset=Demo",
      jsonl(100),
      { raw: true },
    );
    assert.equal(first.status, 201);
    assert.equal(first.json.case_count, 100);
    const again = await call(
      "POST",
      "/api/suites/import?name=hub&subset=Demo",
      jsonl(100),
      { raw: true },
    );
    assert.equal(again.status, 200);
    assert.equal(again.json.id, first.json.id);

    const lines = jsonl(5, 500).split("\n");
    lines[2] = '{"unique_id": "broken", "json_schema": "{not json"}';
    lines[3] = "[1, 2]";
    const bad = await call(
      "POST",
      "/api/suites/import?name=broken",
      lines.join("\n"),
      { raw: true },
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, "invalid_jsonl");
    assert.match(bad.json.error.message, /^line 3: json_schema is not JSON/);
    assert.deepEqual(
      bad.json.error.details.map((d: { path: string }) => d.path),
      ["/lines/3", "/lines/4"],
    );
    const list = await call("GET", "/api/suites?name=broken");
    assert.deepEqual(list.json.items, []);

    const noName = await call("POST", "/api/suites/import", jsonl(1), {
      raw: true,
    });
    assert.equal(noName.status, 400);
    assert.equal(noName.json.error.path, "name");
  },
);

dbTest(
  "suites: lists and cases are paginated with cursors",
  async (database) => {
    const { call } = testApp(database);
    for (const name of ["a", "b", "c"]) {
      const r = await call(
        "POST",
        "/api/suites/import?name=" + name,
        jsonl(5),
        { raw: true },
      );
      assert.equal(r.status, 201);
    }
    const page1 = await call("GET", "/api/suites?limit=2");
    assert.deepEqual(page1.json.items.map((s: { name: string }) => s.name), [
      "a",
      "b",
    ]);
    assert.ok(page1.json.next_cursor);
    const page2 = await call(
      "GET",
      `/api/suites?limit=2&cursor=${page1.json.next_cursor}`,
    );
    assert.deepEqual(page2.json.items.map((s: { name: string }) => s.name), [
      "c",
    ]);
    assert.equal(page2.json.next_cursor, null);

    const id = page1.json.items[0].id;
    const cases1 = await call("GET", `/api/suites/${id}?limit=3`);
    assert.deepEqual(
      cases1.json.cases.items.map((c: { key: string }) => c.key),
      ["id_0", "id_1", "id_2"],
    );
    const cases2 = await call(
      "GET",
      `/api/suites/${id}?limit=3&cursor=${cases1.json.cases.next_cursor}`,
    );
    assert.deepEqual(
      cases2.json.cases.items.map((c: { key: string }) => c.key),
      ["id_3", "id_4"],
    );
    assert.equal(cases2.json.cases.next_cursor, null);

    assert.equal(
      (await call("GET", "/api/suites?cursor=nonsense")).status,
      400,
    );
    assert.equal((await call("GET", "/api/suites?limit=0")).status, 400);
    assert.equal((await call("GET", "/api/suites/not-a-uuid")).status, 404);
    assert.equal(
      (await call("GET", `/api/suites/${crypto.randomUUID()}`)).status,
      404,
    );
  },
);

dbTest(
  "suites: bad bodies are 4xx with a message and a path",
  async (database) => {
    const { app, call } = testApp(database, { env: { MAX_SCHEMA_DEPTH: "5" } });
    const notJson = await app.request("/api/suites", {
      method: "POST",
      headers: ADMIN_HEADERS,
      body: "{nope",
    });
    assert.equal(notJson.status, 400);
    assert.equal((await notJson.json()).error.code, "invalid_json");

    const cases = [
      [{ name: "x" }, "/cases"],
      [{ name: "x", cases: [] }, "/cases"],
      [{ name: "x", cases: [{ key: "a", schema: 42 }] }, "/cases/0/schema"],
      [{
        name: "x",
        cases: [{ key: "a", schema: {} }, { key: "b", schema: "string" }],
      }, "/cases/1/schema"],
      [{ name: "x", cases: [{ key: "a", schema: [] }] }, "/cases/0/schema"],
      [{ name: "x", cases: [{ key: "a", schema: {} }], extra: 1 }, "/extra"],
      [{ name: "", cases: [{ key: "a", schema: {} }] }, "/name"],
      [{
        name: "x",
        cases: [{ key: "a", schema: {} }, { key: "a", schema: {} }],
      }, "/cases/1/key"],
      [{
        name: "x",
        cases: [{ key: "a", schema: { a: { b: { c: { d: { e: {} } } } } } }],
      }, "/cases/0/schema"],
      [[1, 2], ""],
      [{
        name: "x",
        source: { kind: { nested: { deeper: true } } },
        cases: [{ key: "a", schema: {} }],
      }, "/source/kind"],
      [{
        name: "x",
        source: Object.fromEntries(
          Array.from({ length: 21 }, (_, i) => [`f${i}`, i]),
        ),
        cases: [{ key: "a", schema: {} }],
      }, "/source"],
    ] as const;
    for (const [body, path] of cases) {
      const res = await call("POST", "/api/suites", body);
      assert.ok(
        res.status >= 400 && res.status < 500,
        `${JSON.stringify(body)} → ${res.status}`,
      );
      assert.equal(res.json.error.path, path, JSON.stringify(res.json));
      assert.ok(res.json.error.message.length > 5);
    }
    const list = await call("GET", "/api/suites");
    assert.deepEqual(list.json.items, []);
  },
);

dbTest(
  "server: health, unknown routes and the body limit",
  async (database) => {
    const { app, call } = testApp(database, {
      env: { MAX_BODY_BYTES: "2048" },
    });
    const health = await call("GET", "/api/health");
    assert.equal(health.status, 200);
    assert.equal(health.json.status, "ok");
    assert.equal(health.json.database.kind, database.kind);
    assert.equal(health.json.database.migrations.pending, 0);
    assert.ok(health.json.database.migrations.applied >= 1);

    const missing = await call("GET", "/api/nothing");
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.code, "not_found");

    const big = await app.request("/api/suites/import?name=big", {
      method: "POST",
      headers: ADMIN_HEADERS,
      body: jsonl(100),
    });
    assert.equal(big.status, 413);
    assert.equal((await big.json()).error.code, "body_too_large");
  },
);

dbTest(
  "suites: a client's source is stored as given, outside the content",
  async (database) => {
    const { call } = testApp(database);
    const cases = [{ key: "a", schema: { type: "object" } }];
    const source = { kind: "jsonschemabench", from: "hub", revision: "abc" };
    const made = await call("POST", "/api/suites", {
      name: "with-source",
      source,
      cases,
    });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    assert.deepEqual(made.json.source, source);
    const again = await call("POST", "/api/suites", {
      name: "with-source",
      cases,
    });
    assert.equal(again.status, 200, "the same content: the same suite");
    assert.equal(again.json.id, made.json.id);
    assert.deepEqual(again.json.source, source);
    const plain = await call("POST", "/api/suites", {
      name: "without-source",
      cases,
    });
    assert.deepEqual(plain.json.source, { kind: "api" });
  },
);
