// Issue 18, items 6 and 7: a suite whose schemas our validator cannot read
// is kept, with a warning per such case; enum errors list the allowed
// values; an empty import says so.
import assert from "node:assert/strict";
import { dbTest } from "../testing/database.ts";
import { ADMIN_HEADERS, testApp } from "../testing/api.ts";

dbTest(
  "suite create: 201 with a warning for each unreadable schema, the suite kept",
  async (database) => {
    const { call } = testApp(database);
    const made = await call("POST", "/api/suites", {
      name: "unreadable",
      cases: [
        { key: "fine", schema: { type: "object" } },
        { key: "bad-type", schema: { type: "wat" } },
        { key: "dangling", schema: { $ref: "#/$defs/missing" } },
        { key: "lookbehind", schema: { type: "string", pattern: "(?<=a)b" } },
      ],
    });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    assert.equal(made.json.case_count, 4);
    const kinds = made.json.warnings.map((
      w: { path: string; kind: string },
    ) => `${w.path} ${w.kind}`);
    assert.deepEqual(kinds, [
      "/cases/1 invalid_schema",
      "/cases/2 unresolvable_ref",
      "/cases/3 unsupported_pattern",
    ]);
    for (const w of made.json.warnings) assert.ok(w.message.length > 10);
    const clean = await call("POST", "/api/suites", {
      name: "clean",
      cases: [{ key: "a", schema: { type: "string" } }],
    });
    assert.deepEqual(clean.json.warnings, []);
  },
);

dbTest(
  "sharp edges: an enum error lists the allowed values; an empty import says it holds no cases",
  async (database) => {
    const { call, app } = testApp(database);
    const kind = await call("POST", "/api/targets", {
      name: "x",
      kind: "llama",
      mode: "json_schema",
    });
    assert.equal(kind.status, 400);
    assert.match(kind.json.error.message, /^\/kind must be one of "llamacpp",/);
    const empty = await app.request("/api/suites/import?name=empty", {
      method: "POST",
      headers: ADMIN_HEADERS,
      body: "",
    });
    const body = await empty.json();
    assert.equal(empty.status, 400);
    assert.equal(body.error.code, "empty_import");
    assert.match(body.error.message, /no cases/);
    const none = await call("POST", "/api/suites", { name: "e", cases: [] });
    assert.equal(none.status, 400);
    assert.match(none.json.error.message, /\/cases is empty/);
  },
);
