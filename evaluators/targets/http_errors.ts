/**
 * Classifies a failed HTTP exchange with an engine into a typed
 * {@link TargetError}. Shared by the adapters: the difference between "the
 * engine refused this schema" and "the network failed" is the whole point of
 * honest accounting.
 *
 * @example
 * ```ts
 * import { errorFromResponse, errorFromException } from "./http_errors.ts";
 * const error = await errorFromResponse(response); // { kind: "context_exceeded", ... }
 * ```
 * @module
 */
import type { TargetError } from "./target.ts";

const CONTEXT =
  /exceed_context_size|exceeds the available context|context length|context size|maximum context|too many tokens/i;
const SCHEMA =
  /json[ _-]?schema|grammar|parser|response_format|schema conversion|unsupported schema|invalid schema/i;

/**
 * The error a non-2xx response stands for. Reads the body (at most 4 KB of
 * it is kept).
 *
 * @example
 * ```ts
 * (await errorFromResponse(new Response("boom", { status: 503 }))).retryable; // true
 * ```
 */
export async function errorFromResponse(
  response: Response,
): Promise<TargetError> {
  const body = (await response.text().catch(() => "")).slice(0, 4096);
  let message = body;
  let type = "";
  try {
    const parsed = JSON.parse(body) as {
      error?: { message?: string; type?: string } | string;
      message?: string;
    };
    if (typeof parsed.error === "string") message = parsed.error;
    else if (parsed.error) {
      message = parsed.error.message ?? body;
      type = parsed.error.type ?? "";
    } else if (parsed.message) message = parsed.message;
  } catch { /* not JSON: keep the text */ }
  const status = response.status;
  const text = `HTTP ${status}: ${message}`.slice(0, 2000);
  if (status === 400 || status === 422) {
    if (CONTEXT.test(type) || CONTEXT.test(message)) {
      return {
        kind: "context_exceeded",
        message: text,
        status,
        retryable: false,
      };
    }
    if (SCHEMA.test(message)) {
      return {
        kind: "unsupported_schema",
        message: text,
        status,
        retryable: false,
      };
    }
    return { kind: "bad_request", message: text, status, retryable: false };
  }
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: "infra_error", message: text, status, retryable: true };
  }
  return { kind: "bad_request", message: text, status, retryable: false };
}

/**
 * The error a thrown fetch/stream failure stands for (refused connection,
 * reset, timeout): always a retryable `infra_error`, unless `signal` (the
 * run's own) was aborted.
 *
 * @example
 * ```ts
 * errorFromException(new TypeError("error sending request"), signal).kind; // "infra_error"
 * ```
 */
export function errorFromException(
  error: unknown,
  signal?: AbortSignal,
): TargetError {
  if (signal?.aborted) {
    return {
      kind: "infra_error",
      message: "aborted: the run was cancelled or is shutting down",
      retryable: false,
    };
  }
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  const timeout = name === "TimeoutError" || /timed? ?out/i.test(message);
  return {
    kind: "infra_error",
    message: (timeout ? `timeout: ${message}` : `transport: ${message}`).slice(
      0,
      2000,
    ),
    retryable: true,
  };
}
