import assert from "node:assert/strict";
import { dbTest } from "../testing/database.ts";
import { testApp } from "../testing/api.ts";

dbTest(
  "runs: a config matrix's cell has one run; GET /api/runs?matrix_id= lists the matrix",
  async (database) => {
    const { call } = testApp(database);
    const suite = await call("POST", "/api/suites", {
      name: "s",
      cases: [{ key: "a", schema: {} }],
    });
    const target = await call("POST", "/api/targets", {
      name: "t",
      kind: "llamacpp",
      base_url: "http://127.0.0.1:9",
      mode: "json_schema",
    });
    const matrix = crypto.randomUUID();
    const body = (cell: string) => ({
      suite_id: suite.json.id,
      target_id: target.json.id,
      matrix: { id: matrix, cell },
    });
    const first = await call("POST", "/api/runs", body("s | t"));
    assert.equal(first.status, 202);
    assert.deepEqual(first.json.matrix, { id: matrix, cell: "s | t" });
    const again = await call("POST", "/api/runs", body("s | t"));
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, "cell_taken");
    const other = await call("POST", "/api/runs", body("s | t | {}"));
    assert.equal(other.status, 202);
    // A run outside the matrix is not listed with it.
    const outside = await call("POST", "/api/runs", {
      suite_id: suite.json.id,
      target_id: target.json.id,
    });
    assert.equal(outside.json.matrix, null);

    const listed = await call("GET", `/api/runs?matrix_id=${matrix}`);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.json.items.map((r: { id: string }) => r.id).sort(),
      [first.json.id, other.json.id].sort(),
    );
    const bad = await call("GET", "/api/runs?matrix_id=last");
    assert.equal(bad.status, 400);
    const refused = await call("POST", "/api/runs", {
      ...body("x"),
      matrix: { id: "last", cell: "x" },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.json.error.path, "/matrix/id");
  },
);
