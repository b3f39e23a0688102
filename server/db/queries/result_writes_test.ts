import assert from "node:assert/strict";
import { asc, eq } from "drizzle-orm";
import { dbTest } from "../../testing/database.ts";
import { seedRun, seedSuite, seedTarget } from "../../testing/seed.ts";
import { results } from "../schema.ts";
import { claimResults, releaseLeases } from "./queue.ts";
import { writeResults } from "./result_writes.ts";
import { ResultWriter } from "../../worker/result_writer.ts";
import type { Database } from "../client.ts";

async function pendingRun(database: Database, n: number) {
  const suite = await seedSuite(
    database,
    "writes",
    Array.from({ length: n }, (_, i) => ({
      key: `c${i}`,
      schema: { type: "object" },
    })),
  );
  const target = await seedTarget(database, { name: "t" });
  return await seedRun(database, { suite, target, results: () => null });
}

const stored = (database: Database, runId: string) =>
  database.db.select().from(results).where(eq(results.runId, runId))
    .orderBy(asc(results.id));

dbTest(
  "a batch lands in one write; a lost lease and a second write are rejected row by row",
  async (database) => {
    const run = await pendingRun(database, 4);
    const mine = await claimResults(database, {
      runId: run.id,
      workerId: "w1",
      limit: 4,
      leaseMs: 60_000,
    });
    assert.equal(mine.length, 4);
    const [a, b, c, d] = mine.map((k) => k.resultId);
    // d's lease is lost: handed back, then taken by another worker.
    await releaseLeases(database, "w1", [d]);
    const theirs = await claimResults(database, {
      runId: run.id,
      workerId: "w2",
      limit: 4,
      leaseMs: 60_000,
    });
    assert.deepEqual(theirs.map((k) => k.resultId), [d]);
    const landed = await writeResults(database, "w1", [
      {
        resultId: a,
        write: {
          outcome: "valid",
          rawOutput: '{"z":1,"a":2}\u0000',
          // Key order of a json column is kept; arrays reach text[].
          sentSchema: { z: 1, a: 2 },
          failingKeywords: ["type", "enum"],
          errors: [{
            keyword: "type",
            instance_path: "",
            schema_path: "#/type",
            message: "must be object",
          }],
          latencyMs: 12.5,
          promptTokens: 7,
          answer: "forty-two",
          keyOrder: true,
        },
      },
      { resultId: b, write: { outcome: "invalid_json", errorMessage: "x" } },
      { resultId: c, write: { outcome: "invalid_json", errorMessage: "y" } },
      { resultId: d, write: { outcome: "valid" } },
    ]);
    assert.deepEqual([...landed].sort((x, y) => x - y), [a, b, c]);
    const rows = await stored(database, run.id);
    const [ra, rb, rc, rd] = rows;
    assert.equal(ra.outcome, "valid");
    assert.equal(ra.rawOutput, '{"z":1,"a":2}\uFFFD');
    assert.deepEqual(Object.keys(ra.sentSchema as object), ["z", "a"]);
    assert.deepEqual(ra.failingKeywords, ["type", "enum"]);
    assert.equal(ra.errors?.[0].message, "must be object");
    assert.equal(ra.latencyMs, 12.5);
    assert.equal(ra.promptTokens, 7);
    assert.equal(ra.answer, "forty-two");
    assert.equal(ra.keyOrder, true);
    assert.ok(ra.finishedAt instanceof Date);
    assert.equal(ra.leaseOwner, null);
    assert.deepEqual([rb.errorMessage, rc.errorMessage], ["x", "y"]);
    // The row whose lease w1 lost is still w2's, unwritten.
    assert.equal(rd.outcome, null);
    assert.equal(rd.leaseOwner, "w2");
    // A second write of a written row is rejected, and changes nothing.
    const again = await writeResults(database, "w1", [
      { resultId: a, write: { outcome: "schema_violation" } },
    ]);
    assert.equal(again.size, 0);
    assert.equal((await stored(database, run.id))[0].outcome, "valid");
  },
);

dbTest(
  "the result writer sends many finished cases in few statements, each answered",
  async (database) => {
    const run = await pendingRun(database, 40);
    const claimed = await claimResults(database, {
      runId: run.id,
      workerId: "w1",
      limit: 40,
      leaseMs: 60_000,
    });
    const writer = new ResultWriter(database, "w1", { maxBatch: 16 });
    const answers = await Promise.all(
      claimed.map((k, i) =>
        writer.write(k.resultId, {
          outcome: i % 2 ? "valid" : "schema_violation",
          attempts: 1,
        })
      ),
    );
    assert.ok(answers.every((x) => x === true));
    assert.ok(writer.batches <= 3, `${writer.batches} statements for 40`);
    assert.equal(writer.largestBatch, 16);
    const rows = await stored(database, run.id);
    assert.ok(rows.every((r) => r.outcome !== null && r.leaseOwner === null));
    // A rejected write answers false, not an error.
    assert.equal(
      await writer.write(claimed[0].resultId, { outcome: "valid" }),
      false,
    );
  },
);

dbTest(
  "a row the database refuses fails only its own case, not the batch it came in",
  async (database) => {
    const run = await pendingRun(database, 3);
    const [a, b, c] = (await claimResults(database, {
      runId: run.id,
      workerId: "w1",
      limit: 3,
      leaseMs: 60_000,
    })).map((k) => k.resultId);
    const writer = new ResultWriter(database, "w1");
    const answers = await Promise.allSettled([
      writer.write(a, { outcome: "valid" }),
      // Out of range for an integer column.
      writer.write(b, { outcome: "valid", promptTokens: 2 ** 40 }),
      writer.write(c, { outcome: "valid" }),
    ]);
    assert.deepEqual(answers.map((x) => x.status), [
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    const rows = await stored(database, run.id);
    assert.deepEqual(rows.map((r) => r.outcome), ["valid", null, "valid"]);
  },
);
