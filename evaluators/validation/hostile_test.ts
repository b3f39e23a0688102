import assert from "node:assert/strict";
import {
  type HostileRow,
  hostileTable,
  loadHostileCases,
  runHostileCase,
  withListener,
} from "./testing/hostile.ts";
import { ValidationPool } from "./pool.ts";

const VALIDATION_MS = 1000;
const COMPILE_MS = 5000;
/** A worker's restart and the main thread's parsing of a 10 MB output. */
const SLACK_MS = 2500;

Deno.test("hostile schemas: each gets a clear answer within the bound, and no $ref is fetched", async (t) => {
  const pool = new ValidationPool({
    validationTimeoutMs: VALIDATION_MS,
    compileTimeoutMs: COMPILE_MS,
  });
  try {
    await withListener(async (listenerUrl, connections) => {
      await pool.warmUp();
      const cases = await loadHostileCases({ listenerUrl });
      assert.ok(cases.length >= 20, `${cases.length} cases`);
      const rows: HostileRow[] = [];
      for (const kase of cases) {
        await t.step(kase.name, async () => {
          const row = await runHostileCase(kase, pool);
          rows.push(row);
          const { expect } = kase;
          const seen = `${row.outcome} ${row.errorKind}: ${row.errorMessage}`;
          assert.equal(row.outcome, expect.outcome, seen);
          assert.equal(row.errorKind, expect.error_kind ?? null, seen);
          if (expect.failing_keywords) {
            assert.deepEqual(row.failingKeywords, expect.failing_keywords);
          }
          if (expect.reason) {
            assert.ok(row.errorMessage?.includes(expect.reason), seen);
          }
          if (row.outcome === "invalid_schema") {
            // The user sees why: "<kind>: <reason>".
            assert.match(
              row.errorMessage ?? "",
              new RegExp(`^${row.errorKind}: .+`),
            );
          }
          const bound = expect.max_ms ?? COMPILE_MS + VALIDATION_MS + SLACK_MS;
          assert.ok(
            row.ms < bound,
            `${row.ms.toFixed(0)} ms, bound ${bound} ms`,
          );
        });
      }
      console.log(hostileTable(rows));
      assert.equal(connections(), 0, "a $ref made a connection");
    });
    // The slow validation and the slow compile each stopped a worker ...
    assert.ok(pool.restarts >= 2, `${pool.restarts} restarts`);
    // ... and the pool went on working.
    const after = await pool.validate(
      { type: "object", required: ["a"] },
      {},
    );
    assert.equal(after.status, "invalid");
    assert.equal(after.errors[0].keyword, "required");
  } finally {
    pool.close();
  }
});
