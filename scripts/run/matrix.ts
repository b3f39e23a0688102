/**
 * Runs the matrix of a config (`deno task run --config`): each cell in
 * turn, created as a cell of the matrix (`POST /api/runs` with
 * `matrix: {id, cell}`), followed with one progress display, and checked
 * against its thresholds once it ends. With `resume`, the cells that
 * already have a run are not run again: a finished one is read back, an
 * unfinished one (interrupted) is followed to its end.
 *
 * @example
 * ```ts
 * import { runMatrix } from "./matrix.ts";
 * import type { Backend } from "./backend.ts";
 * import type { Config } from "./config.ts";
 * import type { Env } from "../../server/env.ts";
 * declare const backend: Backend;
 * declare const config: Config;
 * declare const env: Env;
 * const ran = await runMatrix(backend, config, env, { matrixId: crypto.randomUUID(), resume: false });
 * console.log(ran.interrupted, ran.cells.length);
 * ```
 * @module
 */
import { isActive } from "../../server/runs/status.ts";
import type { Env } from "../../server/env.ts";
import { CliError } from "./args.ts";
import { apiMessage, type Backend, bodyAs } from "./backend.ts";
import type { Cell, Config } from "./config.ts";
import { resolveSuites } from "./config_suites.ts";
import { resolveTargets } from "./config_targets.ts";
import { reachable } from "./connect.ts";
import type { RunJson } from "./report.ts";
import { reportUrl } from "./report_url.ts";
import { checkThresholds, type Verdict } from "./thresholds.ts";
import { watchRun } from "./watch.ts";

/**
 * One cell of the matrix as it ended (or stood when interrupted).
 *
 * @example
 * ```ts
 * declare const ran: CellRun;
 * console.log(ran.cell.key, ran.run.status, ran.url);
 * ```
 */
export interface CellRun {
  cell: Cell;
  suite: { id: string; name: string; version: number };
  target: { id: string; name: string };
  run: RunJson;
  /** Its report page (a private run made now: with its share link). */
  url: string;
  /** Whether this call made the run (not a `--resume` of an earlier one). */
  made: boolean;
  verdicts: Verdict[];
}

/**
 * What {@link runMatrix} did.
 *
 * @example
 * ```ts
 * declare const ran: MatrixRun;
 * ran.cells.filter((c) => c.verdicts.some((v) => !v.ok)).length;
 * ```
 */
export interface MatrixRun {
  matrixId: string;
  cells: CellRun[];
  /** Ctrl-C stopped it: the cells after the last one listed did not run. */
  interrupted: boolean;
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** The runs the matrix already has, by cell. */
async function earlierRuns(
  backend: Backend,
  matrixId: string,
): Promise<Map<string, RunJson & { matrix: { cell: string } }>> {
  const answer = await backend.call(
    "GET",
    `/api/runs?matrix_id=${matrixId}&limit=500`,
  );
  if (answer.status !== 200) {
    throw new CliError(`GET /api/runs: ${apiMessage(answer)}`);
  }
  const items = bodyAs<{
    items: (RunJson & { matrix: { cell: string } | null })[];
  }>(answer).items;
  const found = new Map<string, RunJson & { matrix: { cell: string } }>();
  for (const run of items) {
    if (run.matrix) found.set(run.matrix.cell, { ...run, matrix: run.matrix });
  }
  return found;
}

async function readRun(backend: Backend, runId: string): Promise<RunJson> {
  const answer = await backend.call("GET", `/api/runs/${runId}`);
  if (answer.status !== 200) {
    throw new CliError(`GET /api/runs/${runId}: ${apiMessage(answer)}`);
  }
  return bodyAs<RunJson>(answer);
}

/**
 * Runs every cell of `config` (see the module's doc). Throws (exit 2)
 * before anything runs when the config names what cannot be found or an
 * engine the embedded runner cannot reach; a resume of a matrix with no
 * runs is a usage error too.
 *
 * @example
 * ```ts
 * import type { Backend } from "./backend.ts";
 * import type { Config } from "./config.ts";
 * import type { Env } from "../../server/env.ts";
 * declare const backend: Backend;
 * declare const config: Config;
 * declare const env: Env;
 * const ran = await runMatrix(backend, config, env, { matrixId: "5d1e…", resume: true });
 * ran.cells.every((c) => c.verdicts.every((v) => v.ok));
 * ```
 */
export async function runMatrix(
  backend: Backend,
  config: Config,
  env: Env,
  options: { matrixId: string; resume: boolean },
): Promise<MatrixRun> {
  const { matrixId } = options;
  const earlier = options.resume
    ? await earlierRuns(backend, matrixId)
    : new Map();
  if (options.resume && earlier.size === 0) {
    throw new CliError(
      `--resume ${matrixId}: no run of this database is a cell of that matrix`,
      2,
      true,
    );
  }
  const suites = await resolveSuites(backend, config.suites, env);
  const targets = await resolveTargets(backend, config.targets);
  // The embedded runner reaches the engines from here: check they answer
  // before anything is stored (a server may see other hosts than we do).
  if (backend.embedded) {
    const checked = new Set<string>();
    for (const cell of config.cells) {
      const target = targets.get(cell.target)!;
      const base = target.base_url;
      if (target.kind !== "llamacpp" || !base || checked.has(base)) continue;
      if (earlier.has(cell.key) && !isActive(earlier.get(cell.key)!.status)) {
        continue;
      }
      checked.add(base);
      await reachable(base, cell.options.engine_wait_ms ?? 10_000);
    }
  }

  const cells: CellRun[] = [];
  const total = config.cells.length;
  // Ctrl-C while a run is made ends the matrix before the next one (a
  // run's watch handles it while the run goes).
  let asked = false;
  const onSignal = () => {
    if (asked) Deno.exit(130);
    asked = true;
  };
  for (const signal of SIGNALS) Deno.addSignalListener(signal, onSignal);
  try {
    for (const [i, cell] of config.cells.entries()) {
      if (asked) {
        await backend.stop();
        return { matrixId, cells, interrupted: true };
      }
      const suite = suites.get(cell.suite)!;
      const target = targets.get(cell.target)!;
      const head = `[${
        i + 1
      }/${total}] ${suite.name} v${suite.version} on "${target.name}"`;
      const before = earlier.get(cell.key);
      let runId: string;
      let shareToken: string | undefined;
      // The cell's row: its run read back; thresholds judged once it is done.
      const ended = async (judge: boolean): Promise<CellRun> => {
        const run = await readRun(backend, runId);
        return {
          cell,
          suite,
          target,
          run,
          url: reportUrl(backend.reportBase, runId, shareToken),
          made: !before,
          verdicts: judge && run.status === "done"
            ? checkThresholds(run, cell.thresholds)
            : [],
        };
      };
      if (before && !isActive(before.status)) {
        console.error(
          `${head}: run ${before.id} already ended ${before.status}, not run again`,
        );
        runId = before.id;
      } else {
        if (before) {
          console.error(`${head}: resuming run ${before.id}`);
          runId = before.id;
          await backend.follow(runId);
        } else {
          const made = await backend.createRun(
            suite.id,
            target.id,
            cell.options,
            cell.public,
            { id: matrixId, cell: cell.key },
          );
          runId = made.id;
          shareToken = made.shareToken;
          console.error(`${head}: run ${runId}, ${made.cases} cases`);
        }
        const { interrupted } = await watchRun(backend, runId);
        if (interrupted) {
          await backend.stop();
          cells.push(await ended(false));
          return { matrixId, cells, interrupted: true };
        }
      }
      cells.push(await ended(true));
    }
  } finally {
    for (const signal of SIGNALS) Deno.removeSignalListener(signal, onSignal);
  }
  await backend.stop();
  return { matrixId, cells, interrupted: false };
}
