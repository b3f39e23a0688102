import assert from "node:assert/strict";
import { ValidationPool } from "../../evaluators/validation/pool.ts";
import { createApp } from "../app.ts";
import { createToken } from "../db/queries/tokens.ts";
import { testEnv } from "../testing/api.ts";
import { dbTest } from "../testing/database.ts";

const D7 = "http://json-schema.org/draft-07/schema#";

dbTest(
  "POST /api/validate: verdicts, refusals, modes and limits, for any token",
  async (database) => {
    const pool = new ValidationPool({ size: 1 });
    try {
      const app = createApp({
        database,
        env: testEnv({ MAX_BODY_BYTES: "65536" }),
        validationPool: pool,
      });
      const { token } = await createToken(database, {
        name: "reader",
        scopes: ["read"],
      });
      const post = async (body: unknown, bearer: string | null = token) => {
        const res = await app.request("/api/validate", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          },
          body: typeof body === "string" ? body : JSON.stringify(body),
        });
        return { status: res.status, json: await res.json() };
      };

      // A read token may call it; no token may not.
      assert.equal(
        (await post({ schema: {}, instances: [] }, null)).status,
        401,
      );

      const valid = await post({
        schema: { type: "object", required: ["a"] },
        instances: [{ a: 1 }, {}],
      });
      assert.equal(valid.status, 200);
      assert.deepEqual(valid.json.schema, {
        ok: true,
        draft: "draft2020-12",
        inferred: true,
        note: "no $schema: 2020-12",
      });
      assert.equal(valid.json.results[0].valid, true);
      assert.deepEqual(valid.json.results[0].errors, []);
      assert.equal(valid.json.results[1].valid, false);
      assert.deepEqual(valid.json.results[1].errors[0], {
        instance_path: "",
        keyword: "required",
        message: "must have required property 'a'",
      });

      const declared = await post({
        schema: { $schema: D7, type: "integer" },
        instances: [1],
      });
      assert.equal(declared.json.schema.inferred, false);
      assert.equal(declared.json.schema.draft, "draft7");

      // Numbers are judged as the body wrote them.
      const big = await post(
        '{"schema": {"maximum": 9223372036854776000}, "instances": [9223372036854776001, 9223372036854776000]}',
      );
      assert.deepEqual(
        big.json.results.map((r: { valid: boolean }) => r.valid),
        [
          false,
          true,
        ],
      );

      const refused = await post({ schema: { type: "strin" }, instances: [1] });
      assert.equal(refused.status, 200);
      assert.equal(refused.json.schema.ok, false);
      assert.equal(refused.json.schema.kind, "invalid_schema");
      assert.match(refused.json.schema.message, /type/);
      assert.deepEqual(refused.json.results, []);

      // jsb and declared differ where the paper's harness did: "dependencies"
      // is not a 2020-12 keyword, so jsb ignores it; draft-07 applies it.
      const dependencies = { $schema: D7, dependencies: { a: ["b"] } };
      const modes = async (schema: unknown, instance: unknown) =>
        await Promise.all(
          ["declared", "jsb"].map(async (validation) =>
            (await post({ schema, instances: [instance], validation })).json
              .results[0].valid
          ),
        );
      assert.deepEqual(await modes(dependencies, { a: 1 }), [false, true]);
      const uuid = { type: "string", format: "uuid" };
      const id = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
      assert.deepEqual(await modes(uuid, id), [true, false]);
      assert.deepEqual(await modes(uuid, "nope"), [false, false]);

      const tooMany = await post({
        schema: {},
        instances: Array(1001).fill(1),
      });
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.json.error.code, "too_many_instances");
      const badMode = await post({
        schema: {},
        instances: [],
        validation: "x",
      });
      assert.equal(badMode.status, 400);
      const tooLarge = await post({
        schema: {},
        instances: ["x".repeat(70_000)],
      });
      assert.equal(tooLarge.status, 413);
      assert.equal((await post("{")).status, 400);
    } finally {
      pool.close();
    }
  },
);
