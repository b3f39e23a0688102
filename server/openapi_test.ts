import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import { createApp } from "./app.ts";
import { openDatabase } from "./db/client.ts";
import { readEnv } from "./env.ts";
import { API_SCHEMAS } from "./http/request_body.ts";

Deno.test("GET /api/openapi.json describes every body schema and route", async () => {
  const database = await openDatabase({ memory: true });
  try {
    const app = createApp({ database, env: readEnv({}) });
    const res = await app.request("/api/openapi.json");
    assert.equal(res.status, 200);
    const doc = await res.json();
    assert.equal(doc.openapi, "3.1.0");
    for (const name of Object.keys(API_SCHEMAS)) {
      assert.ok(doc.components.schemas[name], name);
    }
    assert.equal(
      doc.paths["/api/suites"].post.requestBody.content["application/json"]
        .schema.$ref,
      "#/components/schemas/suite_create",
    );
    assert.ok(
      doc.paths["/api/runs/{id}/results"].get.parameters.some((
        p: { name: string },
      ) => p.name === "outcome"),
    );
    // The component schemas still work as JSON Schemas once their refs are rewritten.
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema(doc, "doc");
    const validate = ajv.getSchema("doc#/components/schemas/suite_create")!;
    assert.equal(
      validate({ name: "x", cases: [{ key: "a", schema: {} }] }),
      true,
    );
    assert.equal(
      validate({ name: "x", cases: [{ key: "a", schema: 3 }] }),
      false,
    );
  } finally {
    await database.close();
  }
});

Deno.test("the target kinds the API accepts are the registry's", async () => {
  const { TARGET_KINDS } = await import("../evaluators/targets/registry.ts");
  const kinds =
    (API_SCHEMAS.target_create.properties.kind as { enum: string[] }).enum;
  assert.deepEqual([...kinds].sort(), [...TARGET_KINDS].sort());
});
