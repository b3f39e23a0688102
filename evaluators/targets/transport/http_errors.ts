/**
 * Classifies a failed exchange with an engine or provider into a typed
 * {@link TargetError}. Shared by every adapter: the difference between "the
 * engine refused this schema" and "the network or a rate limit failed" is
 * the whole point of honest accounting. A 429 is never a refused schema,
 * whatever its message says (a message that mentions "4295 tokens" is not a
 * rate limit either: only the status decides). A 5xx, or an error event in
 * a stream, whose message ties it to the request or the grammar (llama.cpp's
 * "Unexpected empty grammar stack after accepting piece") is the engine
 * failing on a schema it accepted: `engine_error`; any other 5xx is an
 * `infra_error`.
 *
 * @example
 * ```ts
 * import { classifyHttpError, errorFromException } from "./http_errors.ts";
 * classifyHttpError({ status: 429, message: "slow down", headers: new Headers({ "retry-after": "2" }) });
 * // { kind: "infra_error", retryable: true, rateLimited: true, retryAfterMs: 2000, ... }
 * ```
 * @module
 */
import type { TargetError } from "../target.ts";

const CONTEXT =
  /exceed_context_size|exceeds the available context|context[ _]length|context size|maximum context|context window|too many tokens|prompt is too long/i;
const SCHEMA =
  /json[ _-]?schema|grammar|parser|response_format|response_schema|responseSchema|schema conversion|unsupported schema|invalid schema|structured output/i;
/** A failure after the schema was accepted that names the grammar or the request. */
const ENGINE =
  /grammar|json[ _-]?schema|response_format|response_schema|responseSchema|schema conversion|structured output|sampler|\bparser\b|failed to parse input/i;

/** One failed HTTP exchange. */
export interface HttpFailure {
  status: number;
  message: string;
  /** The provider's error type or code, when it gives one. */
  type?: string;
  headers?: Headers;
}

/**
 * Milliseconds to wait before trying again, from `retry-after-ms`,
 * `retry-after` (seconds or an HTTP date), the `x-ratelimit-reset-*`
 * headers (`1s`, `6m0s`, `20ms`) and Anthropic's
 * `anthropic-ratelimit-*-reset` (an RFC 3339 time), for a limit that is
 * spent (its `-remaining` is 0); the longest one wins.
 *
 * @example
 * ```ts
 * retryAfterMs(new Headers({ "x-ratelimit-reset-requests": "1m30s" })); // 90000
 * ```
 */
export function retryAfterMs(
  headers: Headers | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const waits: number[] = [];
  const ms = Number(headers.get("retry-after-ms"));
  if (headers.get("retry-after-ms") && Number.isFinite(ms)) waits.push(ms);
  const after = headers.get("retry-after");
  if (after) {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) waits.push(seconds * 1000);
    else if (!Number.isNaN(Date.parse(after))) {
      waits.push(Math.max(0, Date.parse(after) - now));
    }
  }
  for (
    const name of [
      "x-ratelimit-reset-requests",
      "x-ratelimit-reset-tokens",
      "x-ratelimit-reset",
    ]
  ) {
    const value = headers.get(name);
    if (value) {
      const parsed = parseDuration(value);
      if (parsed !== undefined) waits.push(parsed);
    }
  }
  for (const kind of ["requests", "tokens", "input-tokens", "output-tokens"]) {
    const reset = headers.get(`anthropic-ratelimit-${kind}-reset`);
    const remaining = headers.get(`anthropic-ratelimit-${kind}-remaining`);
    if (!reset || remaining === null || Number(remaining) > 0) continue;
    const at = Date.parse(reset);
    if (!Number.isNaN(at)) waits.push(Math.max(0, at - now));
  }
  return waits.length ? Math.max(...waits) : undefined;
}

function parseDuration(text: string): number | undefined {
  const plain = Number(text);
  if (Number.isFinite(plain)) return plain * 1000;
  const units: Record<string, number> = {
    h: 3_600_000,
    m: 60_000,
    s: 1000,
    ms: 1,
  };
  let total = 0;
  let matched = false;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(m[1]) * units[m[2]];
    matched = true;
  }
  return matched ? total : undefined;
}

/**
 * The typed error for a non-2xx exchange.
 *
 * @example
 * ```ts
 * classifyHttpError({ status: 400, message: "JSON schema conversion failed" }).kind; // "unsupported_schema"
 * ```
 */
export function classifyHttpError(failure: HttpFailure): TargetError {
  const { status, message } = failure;
  const type = failure.type ?? "";
  const text = `HTTP ${status}: ${message}`.slice(0, 2000);
  // 529: Anthropic's "overloaded", a rate limit of the whole service.
  if (status === 429 || status === 529) {
    return {
      kind: "infra_error",
      message: text,
      status,
      retryable: true,
      rateLimited: true,
      retryAfterMs: retryAfterMs(failure.headers),
    };
  }
  if (status === 400 || status === 422) {
    if (CONTEXT.test(type) || CONTEXT.test(message)) {
      return {
        kind: "context_exceeded",
        message: text,
        status,
        retryable: false,
      };
    }
    if (SCHEMA.test(message) || SCHEMA.test(type)) {
      return {
        kind: "unsupported_schema",
        message: text,
        status,
        retryable: false,
      };
    }
    return { kind: "bad_request", message: text, status, retryable: false };
  }
  if (status >= 500 && (ENGINE.test(message) || ENGINE.test(type))) {
    return { kind: "engine_error", message: text, status, retryable: true };
  }
  if (status === 408 || status === 409 || status >= 500) {
    return {
      kind: "infra_error",
      message: text,
      status,
      retryable: true,
      retryAfterMs: retryAfterMs(failure.headers),
    };
  }
  return { kind: "bad_request", message: text, status, retryable: false };
}

/**
 * The typed error for an error the engine sends inside a stream it had
 * already begun (llama.cpp's `data: {"error": {...}}` event, or an
 * `error:` line): `engine_error` when its message names the grammar or the
 * request, else a retryable `infra_error`.
 *
 * @example
 * ```ts
 * classifyStreamError("Unexpected empty grammar stack after accepting piece: } (92)").kind; // "engine_error"
 * classifyStreamError("slot unavailable").kind; // "infra_error"
 * ```
 */
export function classifyStreamError(message: string): TargetError {
  const text = `stream error: ${message}`.slice(0, 2000);
  return ENGINE.test(message)
    ? { kind: "engine_error", message: text, retryable: true }
    : { kind: "infra_error", message: text, retryable: true };
}

/**
 * The first `max` bytes of a body, decoded; the rest is never read (a
 * hostile server may send gigabytes).
 *
 * @example
 * ```ts
 * await readPrefix(new Response("x".repeat(10)), 4); // "xxxx"
 * ```
 */
export async function readPrefix(
  response: Response,
  max: number,
): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      size += value.length;
    }
  } catch {
    /* a reset mid-body: keep what came */
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return new TextDecoder().decode(bytes.subarray(0, max));
}

/**
 * The error a non-2xx `Response` stands for (reads at most 4 KB of its body).
 *
 * @example
 * ```ts
 * (await errorFromResponse(new Response("boom", { status: 503 }))).retryable; // true
 * ```
 */
export async function errorFromResponse(
  response: Response,
): Promise<TargetError> {
  const body = (await readPrefix(response, 4096)).slice(0, 4096);
  let message = body;
  let type = "";
  try {
    const parsed = JSON.parse(body) as {
      error?: { message?: string; type?: string; status?: string } | string;
      message?: string;
    };
    const error = Array.isArray(parsed)
      ? (parsed[0] as typeof parsed)?.error
      : parsed.error;
    if (typeof error === "string") message = error;
    else if (error) {
      message = error.message ?? body;
      type = error.type ?? error.status ?? "";
    } else if (parsed.message) message = parsed.message;
  } catch { /* not JSON: keep the text */ }
  return classifyHttpError({
    status: response.status,
    message,
    type,
    headers: response.headers,
  });
}

/**
 * The error a thrown fetch/stream failure stands for (refused connection,
 * reset, timeout): a retryable `infra_error`, unless `signal` (the run's
 * own) was aborted.
 *
 * @example
 * ```ts
 * const signal = new AbortController().signal;
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
  const message = withCauses(error);
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

/**
 * An error's message followed by those of its causes (at most three): an
 * SDK's "Connection error." hides "Connection refused" in its cause.
 */
function withCauses(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 4; depth++) {
    const text = current instanceof Error ? current.message : String(current);
    if (text && !parts.some((p) => p.includes(text))) parts.push(text);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(": ");
}

/**
 * Whether a failed request may mean the engine itself is down, so that its
 * health is worth asking before the case is judged: a transport failure
 * (refused, reset, cut mid-stream), a timeout, or a 502/503/504 (a proxy
 * with nothing behind it, a llama-server still loading its model).
 *
 * @example
 * ```ts
 * mayBeOutage({ kind: "infra_error", message: "transport: Connection refused", retryable: true }); // true
 * mayBeOutage({ kind: "infra_error", message: "HTTP 429: slow down", status: 429, retryable: true }); // false
 * ```
 */
export function mayBeOutage(error: TargetError | undefined): boolean {
  if (!error || error.kind !== "infra_error" || !error.retryable) return false;
  if (error.status !== undefined) return !answersAsUp(error.status);
  return isUnreachable(error.message);
}

/**
 * Whether an HTTP status from an engine's health probe means it is up:
 * any answer but a gateway's or a loading server's 502, 503 or 504 (a 401
 * is the key's problem, a 404 a proxy that has no such path).
 *
 * @example
 * ```ts
 * answersAsUp(200); // true
 * answersAsUp(503); // false
 * ```
 */
export function answersAsUp(status: number): boolean {
  return ![502, 503, 504].includes(status);
}

/**
 * Whether an error message says the engine never answered over HTTP: a
 * refused connection, a DNS failure, a timeout (the transport errors of
 * {@link errorFromException}, `transport: …` and `timeout: …`).
 *
 * @example
 * ```ts
 * isUnreachable("transport: error sending request: Connection refused"); // true
 * isUnreachable("HTTP 503: loading model"); // false
 * ```
 */
export function isUnreachable(message: string | null | undefined): boolean {
  return !!message && /^(transport|timeout):/.test(message);
}

/**
 * Whether a transport failure is a refused connection: nothing listened, so
 * the request never reached the engine (the engine was already down).
 *
 * @example
 * ```ts
 * connectionRefused("transport: error sending request: Connection refused (os error 111)"); // true
 * connectionRefused("transport: error reading a body from connection"); // false
 * ```
 */
export function connectionRefused(message: string): boolean {
  return /connection refused|ECONNREFUSED|os error 111\b/i.test(message);
}

/**
 * Replaces every occurrence of the given secrets in `text` with `***`, so
 * a key an SDK echoes in an error never reaches a row or a log.
 *
 * @example
 * ```ts
 * scrub("bad key sk-123", ["sk-123"]); // "bad key ***"
 * ```
 */
export function scrub(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.replaceAll(secret, "***");
  }
  return out;
}
