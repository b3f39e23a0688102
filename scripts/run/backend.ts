/**
 * What `deno task run` runs on: the embedded database (`embedded.ts`) or a
 * server over HTTP (`remote.ts`), behind the same calls, and the shapes
 * those calls answer with.
 *
 * @example
 * ```ts
 * import { apiMessage, type Backend } from "./backend.ts";
 * declare const backend: Backend;
 * const answer = await backend.call("GET", "/api/suites?limit=1");
 * if (answer.status !== 200) console.error(apiMessage(answer));
 * ```
 * @module
 */
import type { RunOptionsInput } from "../../server/runs/options.ts";

/**
 * A JSON body as it was parsed: its fields are the API's to document and
 * are not checked here.
 *
 * @example
 * ```ts
 * const body: ApiBody = { id: "8c0c…", case_count: 5 };
 * ```
 */
export type ApiBody = Record<string, unknown>;

/**
 * What one API call answered.
 *
 * @example
 * ```ts
 * const answer: ApiAnswer = { status: 404, json: { error: { message: "no such run" } } };
 * ```
 */
export interface ApiAnswer {
  status: number;
  json: ApiBody;
}

/**
 * The answer's body read as the shape the API documents for it (a cast:
 * nothing is checked).
 *
 * @example
 * ```ts
 * declare const answer: ApiAnswer;
 * const suite = bodyAs<{ id: string; name: string }>(answer);
 * console.log(suite.name);
 * ```
 */
export function bodyAs<T extends object>(answer: ApiAnswer): T {
  return answer.json as ApiBody & T;
}

/**
 * The API's error message of an answer, or its HTTP status.
 *
 * @example
 * ```ts
 * apiMessage({ status: 404, json: { error: { message: "no such run" } } }); // "no such run"
 * apiMessage({ status: 502, json: {} }); // "HTTP 502"
 * ```
 */
export function apiMessage(answer: ApiAnswer): string {
  const error = answer.json.error as { message?: string } | undefined;
  return error?.message ?? `HTTP ${answer.status}`;
}

/**
 * Where the run's progress stands.
 *
 * @example
 * ```ts
 * const progress: Progress = {
 *   status: "running",
 *   done: 3,
 *   total: 10,
 *   byOutcome: { valid: 3 },
 * };
 * ```
 */
export interface Progress {
  status: string;
  done: number;
  total: number;
  byOutcome: Record<string, number>;
}

/**
 * The embedded database or a server: the same calls either way.
 *
 * @example
 * ```ts
 * declare const backend: Backend;
 * declare const suiteId: string, targetId: string;
 * const run = await backend.createRun(suiteId, targetId, { limit: 5 }, false);
 * console.log((await backend.progress(run.id)).status); // "running"
 * await backend.close();
 * ```
 */
export interface Backend {
  /** Says which path was taken. */
  readonly label: string;
  /** Whether Ctrl-C stops the run's processing (embedded) or only the watch. */
  readonly embedded: boolean;
  /** One API call: the in-process app, or the server over HTTP. */
  call(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  /** Creates the run; `cases` is how many cases it has. */
  createRun(
    suiteId: string,
    targetId: string,
    options: RunOptionsInput,
    isPublic: boolean,
  ): Promise<{ id: string; cases: number }>;
  progress(runId: string): Promise<Progress>;
  /** Stops the worker (embedded), handing back what it has not finished. */
  stop(): Promise<void>;
  close(): Promise<void>;
}
