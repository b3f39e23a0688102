/**
 * `deno task run --config FILE`: runs the matrix a config file names
 * (suites × targets × options, `schemas/evalserver_config.json`), embedded
 * or through a server as `deno task run` chooses, and prints one table.
 *
 * ```sh
 * deno task run --config FILE [--output FILE] [--resume MATRIX_ID]
 *   [--server URL] [--open]
 * ```
 *
 * @example
 * ```ts
 * import { configMain } from "./config_main.ts";
 * Deno.exitCode = await configMain(["--config", "docs/examples/evalserver.json"]);
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { isUuid } from "../../evaluators/validation/uuid.ts";
import { badArgument, CliError } from "./args.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { openBackend } from "./connect.ts";
import { runMatrix } from "./matrix.ts";
import { exitCode, formatMatrix, matrixJson } from "./matrix_table.ts";
import { EMBEDDED_NOTE, openReport } from "./report_url.ts";

/**
 * What `deno task run --config FILE --help` prints.
 *
 * @example
 * ```ts
 * console.log(CONFIG_USAGE); // "usage: deno task run --config FILE [options]\n..."
 * ```
 */
export const CONFIG_USAGE = `usage: deno task run --config FILE [options]

Runs every run a config file names (evalserver.json: suites, targets, the
matrix of suites x targets x options, visibility, thresholds; its JSON
Schema is schemas/evalserver_config.json, an example docs/examples/evalserver.json),
one after the other, and prints one table: a row per run, with its report URL.

  --config FILE         the config file (JSON)
  --output FILE         also write the results as JSON to FILE
  --resume MATRIX_ID    resume an interrupted matrix (its id is printed at the
                        start): runs that ended are not run again, an unfinished
                        one goes on; without it, every call runs afresh
  --server URL          go through that server's API (as deno task run)
  --open                open each run's report page (xdg-open; else a hint)
  -h, --help            this text

Exit status: 0 every run is done and every threshold holds, 1 a threshold
fails or a run ended otherwise, 2 a bad config or argument, or a run that
measured nothing (an engine that could not be reached), 130 interrupted
(Ctrl-C; resume with --resume).`;

interface ConfigCli {
  config: string;
  output?: string;
  resume?: string;
  server?: string;
  open: boolean;
}

function parseConfigCli(args: string[]): ConfigCli | null {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        config: { type: "string" },
        output: { type: "string" },
        resume: { type: "string" },
        server: { type: "string" },
        open: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw badArgument(
      `${
        (error as Error).message
      } (with --config, the suites, targets and options are the file's)`,
    );
  }
  const v = parsed.values;
  if (v.help) return null;
  if (!v.config) throw badArgument("--config needs a file");
  if (v.resume !== undefined && !isUuid(v.resume)) {
    throw badArgument(`--resume takes a matrix id (a uuid), got "${v.resume}"`);
  }
  let server = v.server;
  if (server !== undefined) {
    if (!/^https?:\/\/[^?#]+$/i.test(server)) {
      throw badArgument(`--server must be an http(s):// URL, got "${server}"`);
    }
    server = server.replace(/\/+$/, "");
  }
  return {
    config: v.config,
    output: v.output,
    resume: v.resume,
    server,
    open: v.open ?? false,
  };
}

/**
 * Runs `deno task run --config …` with `args`; its exit status. Throws a
 * {@link CliError} for what it refuses (the caller prints it).
 *
 * @example
 * ```ts
 * const code = await configMain(["--config", "evalserver.json", "--output", "out.json"]);
 * console.log(code); // 0, 1, 2 or 130
 * ```
 */
export async function configMain(args: string[]): Promise<number> {
  const cli = parseConfigCli(args);
  if (!cli) {
    console.log(CONFIG_USAGE);
    return 0;
  }
  let config;
  try {
    config = await loadConfig(cli.config);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 2);
    throw error;
  }
  const { env, backend } = await openBackend(cli.server);
  const matrixId = cli.resume ?? crypto.randomUUID();
  console.error(
    `matrix ${matrixId}: ${config.cells.length} run(s) from ${config.path}${
      cli.resume ? " (resumed)" : ""
    }; resume it with --resume ${matrixId}`,
  );
  let ran;
  try {
    ran = await runMatrix(backend, config, env, {
      matrixId,
      resume: cli.resume !== undefined,
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 2);
    throw error;
  } finally {
    await backend.close();
  }
  console.log(formatMatrix(ran));
  if (backend.embedded) console.error(`report URLs${EMBEDDED_NOTE}`);
  if (cli.output) {
    await Deno.writeTextFile(
      cli.output,
      `${JSON.stringify(matrixJson(ran), null, 2)}\n`,
    );
    console.error(`wrote ${cli.output}`);
  }
  if (cli.open) { for (const cell of ran.cells) await openReport(cell.url); }
  if (ran.interrupted) {
    console.error(
      `interrupted: resume with deno task run --config ${cli.config} --resume ${matrixId}`,
    );
  }
  return exitCode(ran);
}
