/**
 * Typed API errors. Handlers throw {@link ApiError}; the app's error handler
 * turns it into `{ "error": { "code", "message", "path"? } }` with its
 * status. Anything else becomes a 500 whose details stay in the log.
 *
 * @example
 * ```ts
 * import { ApiError } from "./errors.ts";
 * throw new ApiError(404, "not_found", "no suite with that id");
 * ```
 * @module
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The body of every error response. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    /** JSON Pointer into the request body (or a query parameter name). */
    path?: string;
    /** More problems of the same request, when there are several. */
    details?: { path?: string; message: string }[];
  };
}

/** An error meant for the caller, with its HTTP status. */
export class ApiError extends Error {
  /** Response headers that go with it (`Retry-After`, `WWW-Authenticate`). */
  readonly headers: Record<string, string> = {};

  /**
   * @param status the HTTP status (4xx for the caller's mistakes)
   * @param code a stable, machine-readable code
   * @param message a sentence for people
   * @param path where in the request the problem is
   * @param details further problems of the same request
   */
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly path?: string,
    readonly details?: { path?: string; message: string }[],
  ) {
    super(message);
    this.name = "ApiError";
  }

  /**
   * Adds a response header; returns the error, for `throw e.withHeader(…)`.
   *
   * @example
   * ```ts
   * throw new ApiError(429, "rate_limited", "slow down").withHeader("Retry-After", "5");
   * ```
   */
  withHeader(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }

  /** The JSON body for this error. */
  toBody(): ErrorBody {
    const error: ErrorBody["error"] = {
      code: this.code,
      message: this.message,
    };
    if (this.path !== undefined) error.path = this.path;
    if (this.details?.length) error.details = this.details;
    return { error };
  }
}
