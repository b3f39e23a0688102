/**
 * Re-judging a finished run under today's validator, without calling the
 * engine again: every stored output whose outcome came from validation
 * (`valid`, `schema_violation`, `invalid_schema`) is judged again by the
 * same rule as a live case (`judgeAnswer`), in the run's validation mode;
 * the verdicts go into a new run (`options.rejudged_from`, today's
 * `validator_version`) with a copy of every other result, which is then
 * finished like any run (scores, partial, drift flags). The source run is
 * left as it was, in history. An output stored cut at `MAX_OUTPUT_CHARS`
 * keeps its verdict (the whole text is gone).
 *
 * @example
 * ```ts
 * import { rejudgeRun } from "./rejudge.ts";
 * import type { Database } from "../db/client.ts";
 * import type { RunRow } from "../db/queries/runs.ts";
 * import type { ValidationPool } from "../../evaluators/validation/pool.ts";
 * declare const database: Database;
 * declare const pool: ValidationPool;
 * declare const source: RunRow;
 * const run = await rejudgeRun(database, pool, source);
 * ```
 * @module
 */
import { judgeAnswer } from "../../evaluators/judge_answer.ts";
import type { ValidationPool } from "../../evaluators/validation/pool.ts";
import type { Database } from "../db/client.ts";
import {
  copyRunForRejudge,
  type NewVerdict,
  rowsToRejudge,
  staleBoardRuns,
} from "../db/queries/rejudge.ts";
import { VALIDATOR_VERSION } from "../../evaluators/validation/version.ts";
import { getRun, type RunRow } from "../db/queries/runs.ts";
import { finishStoredRun } from "../worker/finish.ts";

/**
 * Re-judges `source` (a `done` run) into a new run; returns it, finished.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import type { ValidationPool } from "../../evaluators/validation/pool.ts";
 * declare const database: Database;
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const pool: ValidationPool;
 * declare const source: RunRow;
 * (await rejudgeRun(database, pool, source)).options.rejudged_from === source.id; // true
 * ```
 */
export async function rejudgeRun(
  database: Database,
  pool: ValidationPool,
  source: RunRow,
): Promise<RunRow> {
  if (source.status !== "done") {
    throw new Error(`run ${source.id} is ${source.status}, not done`);
  }
  const mode = source.options.validation;
  const validator = pool.forMode(mode);
  const verdicts = new Map<number, NewVerdict>();
  for (const row of await rowsToRejudge(database, source.id)) {
    if (row.rawOutput === null || row.outputTruncated) continue;
    const compiled = await validator.compile(row.schema, {
      hash: row.schemaHash,
    });
    const judgement = await judgeAnswer(
      { text: row.rawOutput, finishReason: row.finishReason },
      compiled,
      mode === "jsb",
    );
    verdicts.set(row.caseId, {
      outcome: judgement.outcome,
      errors: judgement.errors.length ? judgement.errors : null,
      failingKeywords: judgement.failingKeywords.length
        ? judgement.failingKeywords
        : null,
      errorKind: judgement.kind ?? null,
      errorMessage: judgement.reason ?? null,
    });
  }
  const run = await copyRunForRejudge(database, source, verdicts);
  await finishStoredRun(database, run.id);
  return (await getRun(database, run.id))!;
}

/**
 * Re-judges every stale board row (`staleBoardRuns`) with `pool`, which
 * it closes; returns how many runs it made.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import type { ValidationPool } from "../../evaluators/validation/pool.ts";
 * declare const database: Database;
 * declare const pool: ValidationPool;
 * await rejudgeBoard(database, () => {}, pool); // 0 when the board is current
 * ```
 */
export async function rejudgeBoard(
  database: Database,
  print: (line: string) => void,
  pool: ValidationPool,
): Promise<number> {
  let made = 0;
  try {
    for (const source of await staleBoardRuns(database)) {
      const run = await rejudgeRun(database, pool, source);
      made++;
      print(
        `run ${source.id} (validator v${source.validatorVersion}) -> ${run.id} (v${VALIDATOR_VERSION}, ${run.status})`,
      );
    }
  } finally {
    pool.close();
  }
  print(`${made} run(s) re-judged under validator v${VALIDATOR_VERSION}`);
  return made;
}
