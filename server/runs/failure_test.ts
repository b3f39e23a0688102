import assert from "node:assert/strict";
import { failureOf, isAuthRefusal } from "./failure.ts";
import { isUnreachable } from "../../evaluators/targets/transport/http_errors.ts";

const summary = (by_outcome: Record<string, number>) => ({
  total: Object.values(by_outcome).reduce((a, b) => a + b, 0),
  by_outcome,
});

Deno.test("failureOf: a run that measured something is no failure", () => {
  assert.equal(
    failureOf({ summary: summary({ valid: 1 }), infraMessages: [] }),
    null,
  );
  // Half infra_error is not more than half.
  assert.equal(
    failureOf({
      summary: summary({ valid: 2, infra_error: 2 }),
      infraMessages: ["HTTP 500: x", "HTTP 500: x"],
    }),
    null,
  );
  // Skipped cases are not attempted: 1 infra of 3 attempted.
  assert.equal(
    failureOf({
      summary: summary({ valid: 2, infra_error: 1, skipped: 5 }),
      infraMessages: ["transport: refused"],
    }),
    null,
  );
});

Deno.test("failureOf: E = 0 is nothing_measured", () => {
  assert.equal(
    failureOf({ summary: summary({ invalid_schema: 3 }), infraMessages: [] })
      ?.reason,
    "nothing_measured",
  );
  assert.equal(
    failureOf({
      summary: summary({ invalid_schema: 2, infra_error: 1 }),
      infraMessages: ["HTTP 503: loading"],
    })?.reason,
    "nothing_measured",
  );
  assert.equal(
    failureOf({ summary: summary({ skipped: 3 }), infraMessages: [] })?.reason,
    "nothing_measured",
  );
});

Deno.test("failureOf: mostly infra errors, an unreachable engine, a refused key", () => {
  const down = failureOf({
    summary: summary({ infra_error: 3 }),
    infraMessages: [
      "transport: Connection refused (after 4 tries)",
      "timeout: the request timed out",
      "transport: dns error",
    ],
  });
  assert.equal(down?.reason, "engine_down");
  assert.equal(
    down?.message,
    "the engine could not be reached: transport: Connection refused (after 4 tries)",
  );
  // One answered with HTTP: the engine was there.
  assert.equal(
    failureOf({
      summary: summary({ infra_error: 3 }),
      infraMessages: ["transport: refused", "HTTP 503: busy", "transport: x"],
    })?.reason,
    "mostly_infra_errors",
  );
  // Unreachable, but some cases were measured: not the engine being down.
  const mostly = failureOf({
    summary: summary({ infra_error: 3, valid: 1 }),
    infraMessages: ["transport: a", "transport: b", "transport: c"],
  });
  assert.equal(mostly?.reason, "mostly_infra_errors");
  assert.match(mostly!.message, /\(3 of 4\): transport: a$/);
  assert.equal(
    failureOf({
      summary: summary({ infra_error: 2 }),
      infraMessages: ["HTTP 401: bad key", "HTTP 403: forbidden"],
    })?.reason,
    "auth_failed",
  );
});

Deno.test("isAuthRefusal and isUnreachable read the adapters' words", () => {
  assert.ok(isAuthRefusal("HTTP 401: Incorrect API key provided"));
  assert.ok(
    isAuthRefusal("could not describe the engine: GET /props: HTTP 403"),
  );
  assert.ok(!isAuthRefusal("HTTP 4010"));
  assert.ok(!isAuthRefusal(null));
  assert.ok(isUnreachable("timeout: signal timed out"));
  assert.ok(!isUnreachable("stream error: transport: x"));
});
