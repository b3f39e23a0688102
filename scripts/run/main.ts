/**
 * `deno task run`: runs one suite on one target from the command line and
 * prints its scores.
 *
 * ```sh
 * deno task run --suite NAME|ID --target URL|NAME [--mode M] [--endpoint E]
 *   [--limit N] [--concurrency N] [--max-tokens N] [--temperature T]
 *   [--validation declared|jsb] [--engine-wait S] [--server URL] [--json]
 *   [--public] [--open]
 * deno task run --config FILE [--output FILE] [--resume MATRIX_ID] [--open]
 * ```
 *
 * `--config` runs the matrix of a config file (`config_main.ts`). Every
 * run prints its report URL (a private one with its share link; embedded,
 * where the server will serve it).
 *
 * Two ways to run, the same runner underneath:
 * - embedded (the default): opens the database the environment names
 *   (`DATABASE_URL`, or PGlite in `DATA_DIR`), applies the migrations,
 *   loads the built-in suites, creates the run (`trigger: "cli"`) and drives
 *   an in-process {@link Worker} until the run is done;
 * - through a server: with `--server URL`, when a server already answers
 *   `GET http://127.0.0.1:$PORT/api/health`, or when a server on another
 *   port holds `DATA_DIR` (PGlite is one process's database;
 *   `../holding_server.ts`), the run is created with `POST /api/runs` and
 *   followed with `GET /api/runs/:id`, with `EVAL_TOKEN`, else
 *   `ADMIN_TOKEN`, else `DATA_DIR/admin.token` (none: one line, exit 2).
 *
 * Progress goes to stderr, the score table (or with `--json` the run's
 * JSON) to stdout. Exit codes: 0 the run is done, 1 it ended otherwise,
 * 2 bad arguments or a run that measured nothing (`failed`, with its
 * reason: an engine that did not answer within `--engine-wait`, 10 s by
 * default, the run's `engine_wait_ms`; a refused key), 130 interrupted (Ctrl-C:
 * the cases not yet run stay pending).
 *
 * @example
 * ```sh
 * deno task run --suite smoke --target http://127.0.0.1:8080 --limit 10
 * deno task run --suite glaive --target local-qwen --json > run.json
 * ```
 * @module
 */
import { ApiError } from "../../server/errors.ts";
import {
  badArgument,
  type CliArgs,
  CliError,
  parseCli,
  USAGE,
} from "./args.ts";
import {
  apiMessage,
  type Backend,
  bodyAs,
  type CreatedRun,
} from "./backend.ts";
import { EMBEDDED_NOTE, openReport, reportUrl } from "./report_url.ts";
import { configMain } from "./config_main.ts";
import { openBackend, reachable } from "./connect.ts";
import { findSuite, findTarget } from "./lookup.ts";
import { formatReport, type RunJson } from "./report.ts";
import { watchRun } from "./watch.ts";
import { DataDirLockedError } from "../../server/db/data_dir_lock.ts";

async function main(args: string[]): Promise<number> {
  if (args.some((a) => a === "--config" || a.startsWith("--config="))) {
    return await configMain(args);
  }
  const cli = parseCli(args);
  if (!cli) {
    console.log(USAGE);
    return 0;
  }
  const { backend } = await openBackend(cli.server);

  try {
    return await drive(cli, backend);
  } finally {
    await backend.close();
  }
}

async function drive(cli: CliArgs, backend: Backend): Promise<number> {
  const suite = await findSuite(backend, cli.suite, cli.suiteVersion);
  // The embedded runner reaches the engine from here: check it answers
  // before anything is stored (a server may see other hosts than we do).
  const waitMs = cli.options.engine_wait_ms ?? 10_000;
  if (backend.embedded && cli.url) await reachable(cli.url.baseUrl, waitMs);
  const target = await findTarget(backend, cli);
  if (backend.embedded && !cli.url && target.kind === "llamacpp") {
    if (target.base_url) await reachable(target.base_url, waitMs);
  }
  let run: CreatedRun;
  try {
    run = await backend.createRun(
      suite.id,
      target.id,
      cli.options,
      cli.public,
    );
  } catch (error) {
    if (error instanceof ApiError) throw badArgument(error.message);
    throw error;
  }
  const suiteLabel = `${suite.name} v${suite.version}`;
  console.error(
    `run ${run.id}: ${run.cases} of ${suite.case_count} cases of ${suiteLabel} on "${target.name}"`,
  );
  const url = reportUrl(backend.reportBase, run.id, run.shareToken);
  console.error(`report: ${url}${backend.embedded ? EMBEDDED_NOTE : ""}`);
  if (cli.open) await openReport(url);

  const { interrupted } = await watchRun(backend, run.id);
  await backend.stop();

  const answer = await backend.call("GET", `/api/runs/${run.id}`);
  if (answer.status !== 200) {
    throw new CliError(`GET /api/runs/${run.id}: ${apiMessage(answer)}`);
  }
  const json = bodyAs<RunJson>(answer);
  console.log(
    cli.json ? JSON.stringify(json, null, 2) : formatReport(json, {
      suite: suiteLabel,
      target: target.name,
    }),
  );
  if (interrupted) {
    const left = json.progress.total - json.progress.done;
    console.error(
      backend.embedded
        ? `interrupted: run ${run.id} has ${left} case(s) pending. They stay pending: start the server on this database (deno task start, same DATA_DIR or DATABASE_URL), or on PostgreSQL deno task worker, and it finishes the run.`
        : `stopped watching: ${backend.label} goes on with run ${run.id} (${left} case(s) left); see GET /api/runs/${run.id}`,
    );
    return 130;
  }
  if (json.status === "failed") {
    // A run that measured nothing is the engine's absence, as an
    // unreachable URL is: exit 2, with the reason.
    console.error(
      `run ${run.id} failed (${json.failure_reason ?? "no reason"}): ${
        typeof json.error === "string" ? json.error : "nothing was measured"
      }`,
    );
    return 2;
  }
  if (json.status !== "done") {
    console.error(`run ${run.id} ended as ${json.status}`);
    return 1;
  }
  return 0;
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(`error: ${error.message}`);
      code = 1;
    } else if (error instanceof CliError) {
      console.error(
        `error: ${error.message}${
          error.usage ? "\n(deno task run --help for usage)" : ""
        }`,
      );
      code = error.code;
    } else {
      console.error(`error: ${(error as Error).stack ?? error}`);
      code = 1;
    }
  }
  Deno.exit(code);
}
