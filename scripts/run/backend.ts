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
 * A run just made.
 *
 * @example
 * ```ts
 * const made: CreatedRun = { id: "8c0c…", cases: 5, shareToken: "shr_…" };
 * ```
 */
export interface CreatedRun {
  id: string;
  cases: number;
  /** A private run's share secret (shown once). */
  shareToken?: string;
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
  /**
   * Where a server serves this database's run reports: the server gone
   * through, or (embedded) the server `deno task start` would be on
   * this machine's `PORT`.
   */
  readonly reportBase: string;
  /** One API call: the in-process app, or the server over HTTP. */
  call(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  /**
   * Creates the run (a cell of a config matrix when `matrix` is given);
   * `cases` is how many cases it has, `shareToken` a private run's share
   * secret.
   */
  createRun(
    suiteId: string,
    targetId: string,
    options: RunOptionsInput,
    isPublic: boolean,
    matrix?: { id: string; cell: string },
  ): Promise<CreatedRun>;
  /**
   * Follows a run made earlier (`--resume`): embedded, the worker takes
   * up its pending cases.
   */
  follow(runId: string): Promise<void>;
  progress(runId: string): Promise<Progress>;
  /** Stops the worker (embedded), handing back what it has not finished. */
  stop(): Promise<void>;
  close(): Promise<void>;
}
