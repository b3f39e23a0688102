import assert from "node:assert/strict";
import { SchemaValidator, type Verdict } from "./validate.ts";
import { PoolClosedError, ValidationPool } from "./pool.ts";

const person = {
  type: "object",
  properties: {
    name: { type: "string", minLength: 1 },
    age: { type: "integer", minimum: 0 },
    email: { type: "string", format: "email" },
    tags: { type: "array", items: { type: "string" }, uniqueItems: true },
  },
  required: ["name", "age"],
  additionalProperties: false,
};

/** Distinct objects under uniqueItems: Ajv compares every pair. */
const slowOutput = Array.from({ length: 20_000 }, (_, i) => ({ id: i }));
const slowSchema = { type: "array", uniqueItems: true };

Deno.test("pool: the same verdicts and reduced errors as the synchronous validator", async () => {
  const pool = new ValidationPool();
  try {
    const instances = [
      { name: "Ada", age: 36 },
      { name: "", age: -1, email: "nope", tags: ["a", "a"], extra: 1 },
      "not an object",
    ];
    for (const mode of ["declared", "jsb"] as const) {
      const sync = new SchemaValidator({ mode });
      for (const instance of instances) {
        assert.deepEqual(
          await pool.validate(person, instance, { mode }),
          sync.validate(person, instance),
        );
      }
    }
    const bad = await pool.validate(person, { name: "", age: 1.5 });
    assert.equal(bad.status, "invalid");
    assert.deepEqual(bad.errors.map((e) => e.keyword).sort(), [
      "minLength",
      "type",
    ]);
    const lookahead = await pool.compile({ pattern: "(?=a)" });
    assert.equal(lookahead.ok, false);
    assert.equal(!lookahead.ok && lookahead.kind, "unsupported_pattern");
  } finally {
    pool.close();
  }
});

Deno.test("pool: a schema is compiled once and then checked by key, fast", async () => {
  const pool = new ValidationPool();
  try {
    const first = await pool.compile(person);
    assert.ok(first.ok);
    const again = await pool.compile({ ...person }, { mode: "declared" });
    if (!again.ok) throw new Error(again.reason);
    assert.equal(again.compileMs, 0, "served from the worker's cache");
    for (let i = 0; i < 200; i++) await again.check({ name: "w", age: i });
    const n = 2000;
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      const verdict: Verdict = await again.check({ name: `n${i}`, age: i });
      assert.equal(verdict.status, "valid");
    }
    const perCheck = (performance.now() - started) / n;
    console.log(`warm check through the pool: ${perCheck.toFixed(3)} ms`);
    assert.ok(perCheck < 1, `${perCheck} ms per check`);
  } finally {
    pool.close();
  }
});

Deno.test("pool: a check past its bound stops the worker, and the next check compiles again unseen", async () => {
  const pool = new ValidationPool({ size: 1, validationTimeoutMs: 500 });
  try {
    const compiled = await pool.compile(person);
    if (!compiled.ok) throw new Error(compiled.reason);
    assert.equal((await compiled.check({ name: "a", age: 1 })).status, "valid");
    const started = performance.now();
    const slow = await pool.validate(slowSchema, slowOutput);
    const elapsed = performance.now() - started;
    assert.equal(slow.status, "invalid_schema");
    assert.equal(
      slow.status === "invalid_schema" && slow.kind,
      "validation_timeout",
    );
    assert.equal(
      slow.status === "invalid_schema" && slow.reason,
      "checking the output took longer than 500 ms",
    );
    assert.ok(elapsed < 500 + 2000, `${elapsed} ms`);
    assert.equal(pool.restarts, 1);
    // The same compiled handle works: its fresh worker compiles it again.
    const after = await compiled.check({ name: "b", age: -1 });
    assert.equal(after.status, "invalid");
    assert.equal(after.errors[0].keyword, "minimum");
    // A small array under the same schema is fine: the bound is per output.
    assert.equal(
      (await pool.validate(slowSchema, slowOutput.slice(0, 50))).status,
      "valid",
    );
  } finally {
    pool.close();
  }
});

Deno.test("pool: a compile past its bound is compile_timeout, remembered for that schema", async () => {
  const pool = new ValidationPool({ size: 1, compileTimeoutMs: 1000 });
  try {
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) {
      properties[`p${i}`] = {
        type: "string",
        pattern: `^x${i}[a-z]+$`,
        format: "email",
      };
    }
    const schema = { type: "object", properties };
    await pool.warmUp(); // a worker's start is not counted against the bound
    const started = performance.now();
    const compiled = await pool.compile(schema);
    assert.ok(performance.now() - started < 1000 + 2000);
    assert.equal(compiled.ok, false);
    assert.equal(!compiled.ok && compiled.kind, "compile_timeout");
    assert.equal(
      !compiled.ok && compiled.reason,
      "compiling the schema took longer than 1000 ms",
    );
    const again = performance.now();
    const verdict = await pool.validate(schema, {});
    assert.equal(
      verdict.status === "invalid_schema" && verdict.kind,
      "compile_timeout",
    );
    assert.ok(performance.now() - again < 500, "not compiled a second time");
    assert.equal(pool.restarts, 1);
    assert.equal(
      (await pool.validate({ type: "string" }, "x")).status,
      "valid",
    );
  } finally {
    pool.close();
  }
});

Deno.test("pool: close fails what waits, and a later call starts workers again", async () => {
  const pool = new ValidationPool({ size: 1, validationTimeoutMs: 60_000 });
  await pool.warmUp();
  const waiting = pool.validate(slowSchema, slowOutput);
  const queued = pool.validate({ type: "string" }, "x");
  await new Promise((resolve) => setTimeout(resolve, 50));
  pool.close();
  await assert.rejects(waiting, PoolClosedError);
  await assert.rejects(queued, PoolClosedError);
  try {
    assert.equal(
      (await pool.validate({ type: "string" }, "x")).status,
      "valid",
    );
  } finally {
    pool.close();
  }
});

Deno.test("pool: a worker that compiled recycleChars of schema text is replaced, and its validators are compiled again on demand", async () => {
  const pool = new ValidationPool({
    size: 1,
    validator: { recycleChars: JSON.stringify(person).length + 1 },
  });
  try {
    const first = await pool.compile(person);
    assert.ok(first.ok);
    assert.equal((await first.check({ name: "Ada", age: 1 })).status, "valid");
    const other = { ...person, required: ["name"] };
    const second = await pool.compile(other);
    assert.ok(second.ok);
    assert.equal(pool.recycles, 1);
    assert.equal(pool.restarts, 0);
    // Both keys went with the old worker: the checks compile them again.
    assert.equal((await first.check({ name: "Ada" })).status, "invalid");
    assert.equal((await second.check({ name: "Ada" })).status, "valid");
  } finally {
    pool.close();
  }
});
