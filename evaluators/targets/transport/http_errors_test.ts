import assert from "node:assert/strict";
import {
  classifyHttpError,
  classifyStreamError,
  connectionRefused,
  errorFromException,
  errorFromResponse,
  mayBeOutage,
} from "./http_errors.ts";

const GRAMMAR = "Unexpected empty grammar stack after accepting piece: } (92)";

Deno.test("http errors: a 5xx whose body names the grammar is engine_error, retried", async () => {
  // llama.cpp's body for an exception raised while serving the request.
  const body = {
    error: {
      code: 500,
      message: `got exception: ${GRAMMAR}`,
      type: "server_error",
    },
  };
  const error = await errorFromResponse(
    Response.json(body, { status: 500 }),
  );
  assert.equal(error.kind, "engine_error");
  assert.equal(error.retryable, true);
  assert.equal(error.status, 500);
  assert.match(error.message, /grammar stack/);
  for (
    const message of [
      "Failed to initialize samplers: Unexpected empty grammar stack",
      "json-schema-to-grammar: unsupported pattern",
      "Failed to parse input at pos 12",
    ]
  ) {
    assert.equal(
      classifyHttpError({ status: 500, message }).kind,
      "engine_error",
      message,
    );
  }
});

Deno.test("http errors: 429, a plain 5xx and an unavailable engine stay infra_error", async () => {
  const limited = classifyHttpError({ status: 429, message: "grammar busy" });
  assert.equal(limited.kind, "infra_error");
  assert.equal(limited.rateLimited, true);
  for (
    const [status, message] of [
      [503, "Loading model"],
      [503, "Service Unavailable"],
      [500, "The server had an error while processing your request."],
      [502, "<html><title>502 Bad Gateway</title></html>"],
      [504, "upstream timed out"],
    ] as const
  ) {
    const error = classifyHttpError({ status, message });
    assert.equal(error.kind, "infra_error", `${status} ${message}`);
    assert.equal(error.retryable, true);
  }
  const unavailable = await errorFromResponse(
    Response.json({
      error: { code: 503, message: "Loading model", type: "unavailable_error" },
    }, { status: 503 }),
  );
  assert.equal(unavailable.kind, "infra_error");
  // A 400 naming the grammar is a refusal up front, not an engine error.
  assert.equal(
    classifyHttpError({ status: 400, message: "JSON schema conversion failed" })
      .kind,
    "unsupported_schema",
  );
});

Deno.test("http errors: an error event mid-stream is engine_error when it names the grammar", () => {
  const grammar = classifyStreamError(GRAMMAR);
  assert.equal(grammar.kind, "engine_error");
  assert.equal(grammar.retryable, true);
  assert.equal(grammar.message, `stream error: ${GRAMMAR}`);
  // An older build's `error:` line carries the whole JSON object.
  assert.equal(
    classifyStreamError(
      JSON.stringify({ code: 500, message: GRAMMAR, type: "server_error" }),
    ).kind,
    "engine_error",
  );
  const other = classifyStreamError("connection to slot lost");
  assert.equal(other.kind, "infra_error");
  assert.equal(other.retryable, true);
});

Deno.test("http errors: a refused connection and a timeout are infra_error", () => {
  const refused = errorFromException(
    new TypeError("error sending request: Connection refused (os error 111)"),
  );
  assert.equal(refused.kind, "infra_error");
  assert.equal(refused.retryable, true);
  const timeout = errorFromException(
    new DOMException("Signal timed out.", "TimeoutError"),
  );
  assert.equal(timeout.kind, "infra_error");
  assert.match(timeout.message, /^timeout/);
});

Deno.test("http errors: what may be an outage asks the engine's health; a refused connection never reached it", () => {
  const infra = (message: string, status?: number) => ({
    kind: "infra_error" as const,
    message,
    status,
    retryable: true,
  });
  assert.ok(mayBeOutage(infra("transport: Connection refused (os error 111)")));
  assert.ok(mayBeOutage(infra("timeout: signal timed out")));
  assert.ok(mayBeOutage(infra("HTTP 503: Loading model", 503)));
  assert.ok(mayBeOutage(infra("HTTP 502: Bad Gateway", 502)));
  assert.ok(!mayBeOutage(infra("HTTP 429: slow down", 429)));
  assert.ok(!mayBeOutage(infra("HTTP 500: the server had an error", 500)));
  assert.ok(
    !mayBeOutage({
      kind: "engine_error",
      message: "transport: x",
      retryable: true,
    }),
  );
  assert.ok(!mayBeOutage(undefined));
  assert.ok(connectionRefused("transport: Connection refused (os error 111)"));
  assert.ok(connectionRefused("transport: connect ECONNREFUSED 127.0.0.1:9"));
  assert.ok(
    !connectionRefused("transport: error reading a body from connection"),
  );
});
