/**
 * The server backend of `deno task run`: the run is created with
 * `POST /api/runs` and followed with `GET /api/runs/:id` on a server that
 * answers `GET /api/health`, with the token `holding_server.ts`'s
 * `cliToken` finds (`EVAL_TOKEN`, else `ADMIN_TOKEN`, else
 * `DATA_DIR/admin.token`).
 *
 * @example
 * ```ts
 * import { healthy, serverBackend } from "./remote.ts";
 * const server = "http://127.0.0.1:8000";
 * if (await healthy(server, 1000) === 200) {
 *   const backend = serverBackend(server, "it answers /api/health", "seb_…");
 *   console.error(`using ${backend.label}`);
 * }
 * ```
 * @module
 */
import { badArgument, CliError } from "./args.ts";
import { type ApiAnswer, apiMessage, type Backend, bodyAs } from "./backend.ts";
import { refusedTokenMessage } from "../holding_server.ts";
import type { RunJson } from "./report.ts";

/**
 * The HTTP status a server answers on `/api/health` within `ms`, or null
 * when nothing answers.
 *
 * @example
 * ```ts
 * const status = await healthy("http://127.0.0.1:8000", 1000);
 * if (status === 200) console.error("a server answers");
 * ```
 */
export async function healthy(
  server: string,
  ms: number,
): Promise<number | null> {
  try {
    const res = await fetch(`${server}/api/health`, {
      signal: AbortSignal.timeout(ms),
    });
    await res.body?.cancel();
    return res.status;
  } catch {
    return null;
  }
}

/**
 * The backend that goes through the server at `server` (no trailing
 * slash) with `token`; `why` says in the label why that server was chosen.
 *
 * @example
 * ```ts
 * declare const token: string;
 * const backend = serverBackend("http://127.0.0.1:8000", "--server", token);
 * backend.label; // "the server at http://127.0.0.1:8000 (--server), through its API"
 * const health = await backend.call("GET", "/api/health");
 * console.log(health.status); // 200
 * ```
 */
export function serverBackend(
  server: string,
  why: string,
  token: string,
): Backend {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiAnswer> => {
    let res: Response;
    try {
      res = await fetch(`${server}${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${token}`,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new CliError(
        `the server at ${server} did not answer ${method} ${path}: ${
          (error as Error).message
        }`,
      );
    }
    const text = await res.text();
    if (res.status === 401 || res.status === 403) {
      let said = "no reason given";
      try {
        said = JSON.parse(text)?.error?.message ?? said;
      } catch { /* not JSON: the status says enough */ }
      throw new CliError(refusedTokenMessage(server, res.status, said), 2);
    }
    try {
      return { status: res.status, json: JSON.parse(text) };
    } catch {
      throw new CliError(
        `the server at ${server} answered ${method} ${path} with HTTP ${res.status} and no JSON`,
      );
    }
  };
  return {
    label: `the server at ${server} (${why}), through its API`,
    embedded: false,
    reportBase: server,
    call,
    async createRun(suiteId, targetId, options, isPublic, matrix) {
      const answer = await call("POST", "/api/runs", {
        suite_id: suiteId,
        target_id: targetId,
        public: isPublic,
        options,
        ...(matrix ? { matrix } : {}),
      });
      if (answer.status === 400) throw badArgument(apiMessage(answer));
      if (answer.status !== 202) {
        throw new CliError(`could not create the run: ${apiMessage(answer)}`);
      }
      const share = answer.json.share_token;
      return {
        id: String(answer.json.id),
        cases: Number(answer.json.case_count),
        ...(typeof share === "string" ? { shareToken: share } : {}),
      };
    },
    follow: () => Promise.resolve(),
    async progress(runId) {
      const answer = await call("GET", `/api/runs/${runId}`);
      if (answer.status !== 200) {
        throw new CliError(`GET /api/runs/${runId}: ${apiMessage(answer)}`);
      }
      const run = bodyAs<RunJson>(answer);
      return {
        status: run.status,
        done: run.progress.done,
        total: run.progress.total,
        byOutcome: run.progress.by_outcome,
      };
    },
    stop: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
