import assert from "node:assert/strict";
import { isUuid } from "./uuid.ts";

Deno.test("isUuid: 8-4-4-4-12 hex digits, either case", () => {
  assert.equal(isUuid("0b5c4f9e-6f3c-4a59-9f0e-2a1d1c3b4e5f"), true);
  assert.equal(isUuid("0B5C4F9E-6F3C-4A59-9F0E-2A1D1C3B4E5F"), true);
  assert.equal(isUuid(crypto.randomUUID()), true);
});

Deno.test("isUuid: anything else is not", () => {
  for (
    const text of [
      "",
      "-".repeat(36),
      "0b5c4f9e6f3c4a599f0e2a1d1c3b4e5f",
      "{0b5c4f9e-6f3c-4a59-9f0e-2a1d1c3b4e5f}",
      "urn:uuid:0b5c4f9e-6f3c-4a59-9f0e-2a1d1c3b4e5f",
      "0b5c4f9e-6f3c-4a59-9f0e-2a1d1c3b4e5g",
      " 0b5c4f9e-6f3c-4a59-9f0e-2a1d1c3b4e5f",
    ]
  ) assert.equal(isUuid(text), false, text);
});
