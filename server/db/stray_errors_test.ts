import assert from "node:assert/strict";
import { isConnectionDrop } from "./stray_errors.ts";

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
