import assert from "node:assert/strict";
import { isConnectionDrop, isDriverWriteAfterClose } from "./stray_errors.ts";

Deno.test("connection drops are told apart from bugs", () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  assert.equal(isConnectionDrop(coded("ECONNRESET")), true);
  assert.equal(isConnectionDrop(coded("57P01")), true);
  assert.equal(isConnectionDrop(new Error("read ECONNRESET")), true);
  assert.equal(
    isConnectionDrop(new Error("the database system is shutting down")),
    true,
  );
  assert.equal(isConnectionDrop(new TypeError("x is undefined")), false);
  assert.equal(isConnectionDrop(coded("23505")), false);
  assert.equal(isConnectionDrop(null), false);
});

Deno.test("the driver's write on a closed socket is told apart from our own TypeErrors", () => {
  const driver = new TypeError(
    "Cannot read properties of null (reading 'write')",
  );
  driver.stack =
    `${driver.message}\n    at Immediate.nextWrite (file:///x/node_modules/.deno/postgres@3.4.9/node_modules/postgres/src/connection.js:255:22)`;
  assert.equal(isDriverWriteAfterClose(driver), true);
  const ours = new TypeError(
    "Cannot read properties of null (reading 'write')",
  );
  ours.stack =
    `${ours.message}\n    at run (file:///x/server/worker/worker.ts:10:3)`;
  assert.equal(isDriverWriteAfterClose(ours), false);
  assert.equal(isDriverWriteAfterClose(new Error("reading 'write'")), false);
});
